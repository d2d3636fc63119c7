/**
 * SageMaker `CreateEndpoint`: stores the endpoint in `Creating` and starts
 * its lifecycle (see `endpoint_lifecycle.ts`). The config and every model it
 * names must exist; the models' containers are captured now.
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import type { EndpointRecord } from "./state.ts";
import { alreadyExists, ENDPOINT_NAME_RULE, RequestValidator } from "./validation.ts";

/** Handles `CreateEndpoint`. */
export function CreateEndpoint(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): { EndpointArn: string } {
  const v = new RequestValidator();
  const name = v.string(input.EndpointName, "endpointName", ENDPOINT_NAME_RULE);
  const configName = v.string(input.EndpointConfigName, "endpointConfigName", ENDPOINT_NAME_RULE);
  v.object(input.DeploymentConfig, "deploymentConfig");
  const tags = v.tags(input.Tags, "tags");
  v.throwIfInvalid();
  const { state, lifecycle } = backend;
  const arn = state.arn("endpoint", name!);
  if (state.endpoints.has(name!.toLowerCase())) throw alreadyExists("endpoint", arn);
  const config = state.requireEndpointConfig(configName!);
  const perType = new Map<string, number>();
  const variants = config.variants.map((spec) => {
    const model = state.requireModel(spec.ModelName);
    perType.set(
      spec.InstanceType,
      (perType.get(spec.InstanceType) ?? 0) + spec.InitialInstanceCount,
    );
    return {
      variantName: spec.VariantName,
      modelName: model.name,
      instanceType: spec.InstanceType,
      container: model.container,
      currentWeight: spec.InitialVariantWeight,
      desiredWeight: spec.InitialVariantWeight,
      desiredInstanceCount: spec.InitialInstanceCount,
      instances: [],
    };
  });
  for (const [type, count] of perType) lifecycle.checkInstanceLimit(type, count);
  const now = backend.context.clock.now();
  const endpoint: EndpointRecord = {
    name: name!,
    arn,
    configName: config.name,
    status: "Creating",
    failureReason: undefined,
    creationTime: now,
    lastModifiedTime: now,
    variants,
    asyncConfig: config.asyncConfig,
    pendingUntil: undefined,
  };
  state.endpoints.set(name!.toLowerCase(), endpoint);
  if (tags && tags.length > 0) state.tags.set(arn, tags);
  lifecycle.create(endpoint);
  return { EndpointArn: arn };
}
