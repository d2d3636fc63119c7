/**
 * SageMaker `DescribeEndpoint`: status, failure reason, and per variant the
 * current and desired weights and instance counts (current = instances in
 * service).
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import type { EndpointRecord } from "./state.ts";
import { ENDPOINT_NAME_PATTERN, RequestValidator } from "./validation.ts";

/** The `DescribeEndpoint` document of an endpoint. */
export function describeEndpointRecord(endpoint: EndpointRecord): Record<string, unknown> {
  return {
    EndpointName: endpoint.name,
    EndpointArn: endpoint.arn,
    EndpointConfigName: endpoint.configName,
    ProductionVariants: endpoint.variants.map((v) => ({
      VariantName: v.variantName,
      CurrentWeight: v.currentWeight,
      DesiredWeight: v.desiredWeight,
      CurrentInstanceCount: v.instances.filter((i) => i.status === "InService").length,
      DesiredInstanceCount: v.desiredInstanceCount,
    })),
    EndpointStatus: endpoint.status,
    FailureReason: endpoint.failureReason,
    CreationTime: new Date(endpoint.creationTime),
    LastModifiedTime: new Date(endpoint.lastModifiedTime),
    AsyncInferenceConfig: endpoint.asyncConfig?.raw,
  };
}

/** Handles `DescribeEndpoint`; a missing endpoint is `ValidationException` (the waiters rely on it). */
export function DescribeEndpoint(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): Record<string, unknown> {
  const v = new RequestValidator();
  const name = v.string(input.EndpointName, "endpointName", {
    required: true,
    max: 63,
    pattern: ENDPOINT_NAME_PATTERN,
  });
  v.throwIfInvalid();
  return describeEndpointRecord(backend.lifecycle.require(name!));
}
