/**
 * SageMaker `DeleteEndpoint`: `Deleting`, then gone after
 * `timings.endpointDeletionMs`. Queued async requests fail at once with a
 * failure object; running ones finish or fail when the endpoint is gone.
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import { ENDPOINT_NAME_RULE, RequestValidator } from "./validation.ts";

/** Handles `DeleteEndpoint`. */
export function DeleteEndpoint(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): Record<string, never> {
  const v = new RequestValidator();
  const name = v.string(input.EndpointName, "endpointName", ENDPOINT_NAME_RULE);
  v.throwIfInvalid();
  backend.lifecycle.delete(backend.state.requireEndpoint(name!));
  return {};
}
