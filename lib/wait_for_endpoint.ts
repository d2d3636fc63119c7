/**
 * Waiting for an endpoint to reach a status, split as smithy's waiters are:
 * pure acceptors (what one `DescribeEndpoint` means: success, failure or
 * retry) and one polling engine (clock, signal, deadline, backoff,
 * progress).
 *
 * @module
 */
import {
  DescribeEndpointCommand,
  type DescribeEndpointCommandOutput,
} from "@aws-sdk/client-sagemaker";
import { Backoff } from "./backoff.ts";
import type { AwsClients } from "./clients.ts";
import { type Clock, systemClock } from "./clock.ts";
import { EndpointFailedError, WaitTimeoutError } from "./errors.ts";
import { emitProgress, formatDuration, type ProgressCallback } from "./progress.ts";
import { assertDurationMs, assertSageMakerName } from "./validation.ts";

/** What one `DescribeEndpoint` call showed. */
export interface EndpointObservation {
  /** `EndpointStatus`, or `Missing` when the endpoint does not exist. */
  readonly status: string;
  /** `FailureReason`, when SageMaker gave one. */
  readonly failureReason?: string;
}

/** What an acceptor decides about an observation. */
export type WaiterState = "success" | "failure" | "retry";

/** Maps an observation to a waiter state. Must be pure. */
export type EndpointAcceptor = (observation: EndpointObservation) => WaiterState;

/** The status reported for an endpoint that does not exist. */
export const MISSING_ENDPOINT_STATUS = "Missing";

const NEVER_IN_SERVICE = new Set(["Failed", "Deleting", "UpdateRollbackFailed"]);

/**
 * `InService` -> success; `Failed`, `UpdateRollbackFailed`, `Deleting` or
 * missing -> failure; anything else (`Creating`, `Updating`, ...) -> retry.
 *
 * @example
 * ```ts
 * import { endpointInServiceAcceptor } from "@sagemaker-async/toolkit";
 *
 * if (endpointInServiceAcceptor({ status: "Creating" }) !== "retry") throw new Error();
 * if (endpointInServiceAcceptor({ status: "InService" }) !== "success") throw new Error();
 * if (endpointInServiceAcceptor({ status: "Failed" }) !== "failure") throw new Error();
 * ```
 */
export function endpointInServiceAcceptor({ status }: EndpointObservation): WaiterState {
  if (status === "InService") return "success";
  if (status === MISSING_ENDPOINT_STATUS || NEVER_IN_SERVICE.has(status)) return "failure";
  return "retry";
}

/** Missing -> success; `Failed` -> failure; anything else -> retry. */
export function endpointDeletedAcceptor({ status }: EndpointObservation): WaiterState {
  if (status === MISSING_ENDPOINT_STATUS) return "success";
  if (status === "Failed") return "failure";
  return "retry";
}

/**
 * Whether an SDK error says a SageMaker endpoint, endpoint config or model
 * does not exist: SageMaker answers `ValidationException` "Could not find
 * ..." (some implementations use `ResourceNotFound`).
 */
export function isSageMakerNotFoundError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (name === "ResourceNotFound" || name === "ResourceNotFoundException") return true;
  return name === "ValidationException" && typeof message === "string" &&
    /could not find/i.test(message);
}

/** Options shared by the endpoint waiters. */
export interface WaitForEndpointOptions {
  /** The SageMaker client. */
  clients: Pick<AwsClients, "sagemaker">;
  /** The endpoint. */
  endpointName: string;
  /** Give up after this much clock time (ms); default 45 minutes (`Infinity`: never). */
  maxWaitMs?: number;
  /** First delay between polls (ms, > 0); default 5 s. Doubles up to `maxDelayMs`. */
  minDelayMs?: number;
  /** Longest delay between polls (ms); default 30 s. */
  maxDelayMs?: number;
  /** Time source; default the system clock. */
  clock?: Clock;
  /** Stops the wait; rejects with `signal.reason` unchanged. */
  signal?: AbortSignal;
  /** Receives an `endpoint-status` event after every poll. */
  onProgress?: ProgressCallback;
}

/** Options for {@linkcode waitForEndpointStatus}. */
export interface WaitForEndpointStatusOptions extends WaitForEndpointOptions {
  /** Decides what each observation means. */
  acceptor: EndpointAcceptor;
  /** What is awaited, for messages: e.g. `InService` or `deleted`. */
  waitingFor: string;
}

/** How a successful wait ended. */
export interface EndpointWaitResult {
  /** The endpoint. */
  readonly endpointName: string;
  /** The status that ended the wait (`Missing` when it is gone). */
  readonly status: string;
  /** Clock time spent waiting, ms. */
  readonly elapsedMs: number;
  /** `DescribeEndpoint` calls made. */
  readonly polls: number;
  /** The last `DescribeEndpoint` output, unless the endpoint is gone. */
  readonly endpoint?: DescribeEndpointCommandOutput;
}

const DEFAULT_MAX_WAIT_MS = 45 * 60_000;

/**
 * Polls `DescribeEndpoint` until the acceptor says success (resolves) or
 * failure (rejects with `EndpointFailedError` carrying `FailureReason`), or
 * the deadline passes (rejects with `WaitTimeoutError` carrying the last
 * status). Delays grow from `minDelayMs` to `maxDelayMs`; the last one is cut
 * short so a final poll happens at the deadline. SDK errors other than "not
 * found" pass through unchanged.
 */
export async function waitForEndpointStatus(
  options: WaitForEndpointStatusOptions,
): Promise<EndpointWaitResult> {
  const { clients, endpointName, acceptor, waitingFor, signal, onProgress } = options;
  const clock = options.clock ?? systemClock;
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const minDelayMs = options.minDelayMs ?? 5_000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  assertSageMakerName(endpointName, "endpoint name");
  assertDurationMs(maxWaitMs, "maxWaitMs");
  assertDurationMs(minDelayMs, "minDelayMs");
  assertDurationMs(maxDelayMs, "maxDelayMs");
  if (minDelayMs <= 0 || minDelayMs > maxDelayMs || !Number.isFinite(maxDelayMs)) {
    throw new RangeError(
      `Invalid delays: minDelayMs ${minDelayMs} must be > 0 and <= maxDelayMs ${maxDelayMs}, ` +
        "both finite",
    );
  }
  signal?.throwIfAborted();
  const delays = new Backoff({
    initialMs: minDelayMs,
    maxMs: maxDelayMs,
    multiplier: 2,
    jitter: "none",
  });

  const start = clock.now();
  let polls = 0;
  for (;;) {
    let observation: EndpointObservation;
    let endpoint: DescribeEndpointCommandOutput | undefined;
    try {
      endpoint = await clients.sagemaker.send(
        new DescribeEndpointCommand({ EndpointName: endpointName }),
        { abortSignal: signal },
      );
      observation = {
        status: endpoint.EndpointStatus ?? "Unknown",
        ...(endpoint.FailureReason !== undefined && { failureReason: endpoint.FailureReason }),
      };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (!isSageMakerNotFoundError(error)) throw error;
      observation = { status: MISSING_ENDPOINT_STATUS };
    }
    polls++;
    const elapsedMs = clock.now() - start;
    emitProgress(onProgress, {
      type: "endpoint-status",
      endpointName,
      status: observation.status,
      elapsedMs,
      message: `Endpoint ${endpointName} is ${observation.status} (${formatDuration(elapsedMs)})`,
    });
    const state = acceptor(observation);
    if (state === "success") {
      return {
        endpointName,
        status: observation.status,
        elapsedMs,
        polls,
        ...(endpoint !== undefined && { endpoint }),
      };
    }
    if (state === "failure") {
      throw new EndpointFailedError({
        endpointName,
        status: observation.status,
        failureReason: observation.failureReason ??
          (observation.status === MISSING_ENDPOINT_STATUS
            ? "the endpoint does not exist"
            : undefined),
      });
    }
    const remaining = maxWaitMs - elapsedMs;
    if (remaining <= 0) {
      throw new WaitTimeoutError({
        waitingFor: `endpoint ${endpointName} to be ${waitingFor}`,
        waitedMs: elapsedMs,
        lastObserved: { at: clock.now(), rounds: polls, summary: `status ${observation.status}` },
      });
    }
    await clock.sleep(Math.min(delays.next(), remaining), signal);
  }
}

/**
 * Waits until the endpoint is `InService`.
 *
 * @example Against a fake client whose endpoint becomes InService on the second poll
 * ```ts
 * import { DescribeEndpointCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
 * import { mockClient } from "aws-sdk-client-mock";
 * import { waitForEndpointInService } from "@sagemaker-async/toolkit";
 * import { ManualClock } from "@sagemaker-async/toolkit/testing";
 *
 * const sagemaker = new SageMakerClient({ region: "us-east-1" });
 * mockClient(sagemaker).on(DescribeEndpointCommand)
 *   .resolvesOnce({ EndpointStatus: "Creating" })
 *   .resolves({ EndpointStatus: "InService" });
 * const result = await waitForEndpointInService({
 *   clients: { sagemaker },
 *   endpointName: "falcon",
 *   clock: new ManualClock({ autoAdvance: true }),
 * });
 * if (result.status !== "InService" || result.polls !== 2) throw new Error("unexpected wait");
 * ```
 */
export function waitForEndpointInService(
  options: WaitForEndpointOptions,
): Promise<EndpointWaitResult> {
  return waitForEndpointStatus({
    ...options,
    acceptor: endpointInServiceAcceptor,
    waitingFor: "InService",
  });
}

/** Waits until `DescribeEndpoint` says the endpoint does not exist. */
export function waitForEndpointDeleted(
  options: WaitForEndpointOptions,
): Promise<EndpointWaitResult> {
  return waitForEndpointStatus({
    ...options,
    acceptor: endpointDeletedAcceptor,
    waitingFor: "deleted",
  });
}
