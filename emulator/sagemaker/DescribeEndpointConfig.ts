/**
 * SageMaker `DescribeEndpointConfig`.
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import { ENDPOINT_NAME_PATTERN, endpointConfigNotFound, RequestValidator } from "./validation.ts";

/** Handles `DescribeEndpointConfig`. */
export function DescribeEndpointConfig(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): Record<string, unknown> {
  const v = new RequestValidator();
  const name = v.string(input.EndpointConfigName, "endpointConfigName", {
    required: true,
    max: 63,
    pattern: ENDPOINT_NAME_PATTERN,
  });
  v.throwIfInvalid();
  const config = backend.state.endpointConfigs.get(name!.toLowerCase());
  if (!config) throw endpointConfigNotFound(backend.state.arn("endpoint-config", name!));
  return {
    EndpointConfigName: config.name,
    EndpointConfigArn: config.arn,
    ...config.description,
    CreationTime: new Date(config.creationTime),
  };
}
