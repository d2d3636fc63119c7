/**
 * The shape of one emulated service, as the core routes to it.
 *
 * @module
 */
import type { EmulatorContext } from "./context.ts";
import type { AwsError } from "./errors.ts";
import type { AwsRequest, ServiceHandler } from "./request.ts";

/** Every {@linkcode ServiceKey}. */
export const SERVICE_KEYS = [
  "s3",
  "sagemaker",
  "sagemaker-runtime",
  "application-autoscaling",
  "monitoring",
  "sts",
  "sns",
] as const;

/**
 * Which service a request is for. `sagemaker-runtime` shares the SigV4 name
 * `sagemaker` with the control plane and is told apart by its path.
 */
export type ServiceKey = typeof SERVICE_KEYS[number];

/** A running service. */
export interface ServiceModule {
  /** Which requests it serves. */
  readonly key: ServiceKey;
  /** Handles one routed request. Errors must be rendered, not thrown. */
  readonly handle: ServiceHandler;
  /** Renders an error raised before `handle` runs (authentication, routing). */
  renderError(error: AwsError, request: AwsRequest): Response;
  /**
   * Emulator-only introspection under `/_emulator/<key>/...` (unsigned, not
   * an AWS API): e.g. reading messages SNS delivered to an in-emulator queue.
   * `subpath` is the rest of the raw path after `/_emulator/<key>`.
   */
  admin?(request: AwsRequest, subpath: string): Promise<Response>;
  /**
   * The wire operation a request is for (`PutObject`), used to match
   * injected faults. Optional: without it the core uses `X-Amz-Target`'s
   * operation or the query protocol's `Action`.
   */
  operationName?(request: AwsRequest): string;
  /** Stops background work; called once on shutdown. */
  close?(): Promise<void>;
}

/**
 * Creates a service: loads persisted state, registers its backend on the
 * context, schedules background work.
 */
export type ServiceFactory = (
  context: EmulatorContext,
) => ServiceModule | Promise<ServiceModule>;
