/**
 * SageMaker `DeleteEndpointConfig`. As in SageMaker, a config may be deleted
 * while endpoints use it; they keep running.
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import { ENDPOINT_NAME_PATTERN, endpointConfigNotFound, RequestValidator } from "./validation.ts";

/** Handles `DeleteEndpointConfig`. */
export function DeleteEndpointConfig(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): Record<string, never> {
  const v = new RequestValidator();
  const name = v.string(input.EndpointConfigName, "endpointConfigName", {
    required: true,
    max: 63,
    pattern: ENDPOINT_NAME_PATTERN,
  });
  v.throwIfInvalid();
  const { state } = backend;
  const config = state.endpointConfigs.get(name!.toLowerCase());
  if (!config) throw endpointConfigNotFound(state.arn("endpoint-config", name!));
  state.endpointConfigs.delete(name!.toLowerCase());
  state.tags.delete(config.arn);
  backend.changed();
  return {};
}
