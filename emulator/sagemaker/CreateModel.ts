/**
 * SageMaker `CreateModel`. The container (`PrimaryContainer`, or
 * `Containers[0]`) is validated as AWS does; whether it can run is decided
 * when an endpoint starts (see `containers/resolve.ts`).
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import {
  alreadyExists,
  MODEL_NAME_RULE,
  RequestValidator,
  ROLE_ARN_PATTERN,
  S3_URI_PATTERN,
  validationException,
} from "./validation.ts";

function validateContainer(
  v: RequestValidator,
  value: unknown,
  path: string,
): Record<string, unknown> | undefined {
  const container = v.object(value, path);
  if (!container) return undefined;
  v.string(container.Image, `${path}.image`, { max: 255, pattern: "[\\S]+" });
  v.string(container.ModelDataUrl, `${path}.modelDataUrl`, { max: 1024, pattern: S3_URI_PATTERN });
  v.string(container.ContainerHostname, `${path}.containerHostname`, {
    max: 63,
    pattern: "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
  });
  v.string(container.Mode, `${path}.mode`, { values: ["SingleModel", "MultiModel"] });
  v.stringMap(container.Environment, `${path}.environment`, {
    maxEntries: 100,
    key: { max: 1024, pattern: "[a-zA-Z_][a-zA-Z0-9_]*" },
    value: { max: 1024 },
  });
  v.object(container.ModelDataSource, `${path}.modelDataSource`);
  v.object(container.ImageConfig, `${path}.imageConfig`);
  return container;
}

/** Handles `CreateModel`. */
export function CreateModel(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): { ModelArn: string } {
  const v = new RequestValidator();
  const name = v.string(input.ModelName, "modelName", MODEL_NAME_RULE);
  const primary = validateContainer(v, input.PrimaryContainer, "primaryContainer");
  const containers = v.list(input.Containers, "containers", { max: 15 })?.map((c, i) =>
    validateContainer(v, c, `containers.${i + 1}.member`)
  );
  v.string(input.ExecutionRoleArn, "executionRoleArn", {
    min: 20,
    max: 2048,
    pattern: ROLE_ARN_PATTERN,
  });
  const networkIsolation = v.boolean(input.EnableNetworkIsolation, "enableNetworkIsolation");
  v.object(input.VpcConfig, "vpcConfig");
  v.object(input.InferenceExecutionConfig, "inferenceExecutionConfig");
  const tags = v.tags(input.Tags, "tags");
  v.throwIfInvalid();
  const container = primary ?? containers?.[0];
  if (!container) {
    throw validationException("Either PrimaryContainer or Containers must be specified.");
  }
  const { state } = backend;
  const arn = state.arn("model", name!);
  if (state.models.has(name!.toLowerCase())) throw alreadyExists("model", arn);
  const description: Record<string, unknown> = {};
  for (
    const member of [
      "PrimaryContainer",
      "Containers",
      "ExecutionRoleArn",
      "VpcConfig",
      "InferenceExecutionConfig",
    ]
  ) {
    if (input[member] !== undefined) description[member] = input[member];
  }
  description.EnableNetworkIsolation = networkIsolation ?? false;
  state.models.set(name!.toLowerCase(), {
    name: name!,
    arn,
    creationTime: backend.context.clock.now(),
    description,
    container: {
      Image: container.Image as string | undefined,
      Environment: container.Environment as Record<string, string> | undefined,
    },
  });
  if (tags && tags.length > 0) state.tags.set(arn, tags);
  backend.changed();
  return { ModelArn: arn };
}
