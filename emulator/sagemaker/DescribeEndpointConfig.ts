/**
 * SageMaker `DescribeEndpointConfig`.
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import { ENDPOINT_NAME_RULE, RequestValidator } from "./validation.ts";

/** Handles `DescribeEndpointConfig`. */
export function DescribeEndpointConfig(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): Record<string, unknown> {
  const v = new RequestValidator();
  const name = v.string(input.EndpointConfigName, "endpointConfigName", ENDPOINT_NAME_RULE);
  v.throwIfInvalid();
  const config = backend.state.requireEndpointConfig(name!);
  return {
    EndpointConfigName: config.name,
    EndpointConfigArn: config.arn,
    ...config.description,
    CreationTime: new Date(config.creationTime),
  };
}
