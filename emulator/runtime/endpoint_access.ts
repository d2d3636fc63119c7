/**
 * What both Runtime operations check first: the endpoint name in the path,
 * and that the endpoint exists and can take traffic. SageMaker Runtime
 * reports an endpoint that is missing or not in service (`Creating`,
 * `Failed`, `Deleting`) as not found; `Updating` endpoints keep serving.
 *
 * @module
 */
import type { EmulatorContext } from "../context.ts";
import { AwsError } from "../errors.ts";
import { SageMakerEmulatorBackend } from "../sagemaker/backend.ts";
import type { EndpointRecord } from "../sagemaker/state.ts";
import type { RequestValidator } from "../sagemaker/validation.ts";

/** The Runtime API's endpoint name rule. */
export const RUNTIME_ENDPOINT_NAME_PATTERN = "^[a-zA-Z0-9](-*[a-zA-Z0-9])*$";

/** The emulator's SageMaker backend, or `InternalFailure` if SageMaker is not running. */
export function sageMakerBackend(context: EmulatorContext): SageMakerEmulatorBackend {
  const backend = context.sagemaker;
  if (!(backend instanceof SageMakerEmulatorBackend)) {
    throw new AwsError(
      "InternalFailure",
      "The emulator was started without the sagemaker service",
      { status: 500 },
    );
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

/** The endpoint if it can take traffic, else `ValidationError` as SageMaker Runtime words it. */
export function servingEndpoint(
  backend: SageMakerEmulatorBackend,
  name: string,
): EndpointRecord {
  const endpoint = backend.state.endpoints.get(name.toLowerCase());
  if (!endpoint || (endpoint.status !== "InService" && endpoint.status !== "Updating")) {
    throw new AwsError(
      "ValidationError",
      `Endpoint ${name} of account ${backend.context.config.accountId} not found.`,
    );
  }
  return endpoint;
}
