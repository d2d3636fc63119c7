/**
 * What both Runtime operations check: the endpoint name in the path, the
 * custom attributes header, and that the endpoint exists, can take traffic
 * and is of the kind the operation serves. SageMaker Runtime reports an
 * endpoint that is missing or not in service (`Creating`, `Failed`,
 * `Deleting`) as not found; `Updating` endpoints keep serving.
 *
 * @module
 */
import { type EmulatorContext, requireBackend } from "../context.ts";
import { AwsError } from "../errors.ts";
import { SageMakerEmulatorBackend } from "../sagemaker/backend.ts";
import type { EndpointRecord } from "../sagemaker/state.ts";
import type { RequestValidator, StringRule } from "../sagemaker/validation.ts";

/** The Runtime API's endpoint name rule. */
export const RUNTIME_ENDPOINT_NAME_PATTERN = "^[a-zA-Z0-9](-*[a-zA-Z0-9])*$";

/**
 * The emulator's SageMaker backend (Runtime needs its queue and lifecycle,
 * not just the `SageMakerBackend` view). Throws when SageMaker is
 * not running, which the service renders as `InternalFailure`.
 */
export function sageMakerBackend(context: EmulatorContext): SageMakerEmulatorBackend {
  const backend = requireBackend(context, "sagemaker");
  if (!(backend instanceof SageMakerEmulatorBackend)) {
    throw new TypeError("SageMaker Runtime needs the emulator's own SageMaker service");
  }
  return backend;
}

/** Validates a decoded endpoint name from the path into `v`. */
export function validateEndpointName(v: RequestValidator, name: string): void {
  v.string(name, "endpointName", {
    required: true,
    max: 63,
    pattern: RUNTIME_ENDPOINT_NAME_PATTERN,
  });
}

/** `X-Amzn-SageMaker-Custom-Attributes`: at most 1024 ASCII characters. */
export const CUSTOM_ATTRIBUTES_RULE: Readonly<StringRule> = { max: 1024, pattern: "\\p{ASCII}*" };

/** Which operation asks: real-time endpoints serve `InvokeEndpoint`, async ones `InvokeEndpointAsync`. */
export type InvocationKind = "realtime" | "async";

/**
 * The endpoint if it can take traffic of this kind, else `ValidationError`
 * as SageMaker Runtime words it.
 */
export function servingEndpoint(
  backend: SageMakerEmulatorBackend,
  target: { name: string; kind: InvocationKind },
): EndpointRecord {
  const { name, kind } = target;
  const account = backend.context.config.accountId;
  const endpoint = backend.state.endpoint(name);
  if (!endpoint || (endpoint.status !== "InService" && endpoint.status !== "Updating")) {
    throw new AwsError("ValidationError", `Endpoint ${name} of account ${account} not found.`);
  }
  if (kind === "realtime" && endpoint.asyncConfig) {
    throw new AwsError(
      "ValidationError",
      `Endpoint ${endpoint.name} of account ${account} is configured for asynchronous inference: use InvokeEndpointAsync.`,
    );
  }
  if (kind === "async" && !endpoint.asyncConfig) {
    throw new AwsError(
      "ValidationError",
      `Endpoint ${endpoint.name} of account ${account} is not configured for asynchronous inference.`,
    );
  }
  return endpoint;
}
