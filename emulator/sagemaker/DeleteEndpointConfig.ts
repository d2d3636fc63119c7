/**
 * SageMaker `DeleteEndpointConfig`. As in SageMaker, a config may be deleted
 * while endpoints use it; they keep running.
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import { ENDPOINT_NAME_RULE, RequestValidator } from "./validation.ts";

/** Handles `DeleteEndpointConfig`. */
export function DeleteEndpointConfig(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): Record<string, never> {
  const v = new RequestValidator();
  const name = v.string(input.EndpointConfigName, "endpointConfigName", ENDPOINT_NAME_RULE);
  v.throwIfInvalid();
  const { state } = backend;
  const config = state.requireEndpointConfig(name!);
  state.endpointConfigs.delete(name!.toLowerCase());
  state.tags.delete(config.arn);
  backend.changed();
  return {};
}
