/**
 * SageMaker `DescribeEndpoint`: status, failure reason, and per variant the
 * current and desired weights and instance counts (current = instances in
 * service).
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import { currentInstanceCount, type EndpointRecord } from "./state.ts";
import { ENDPOINT_NAME_RULE, RequestValidator } from "./validation.ts";

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
      CurrentInstanceCount: currentInstanceCount(v),
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
  const name = v.string(input.EndpointName, "endpointName", ENDPOINT_NAME_RULE);
  v.throwIfInvalid();
  return describeEndpointRecord(backend.state.requireEndpoint(name!));
}
