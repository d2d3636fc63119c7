/**
 * SageMaker `DescribeModel`.
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import { MODEL_NAME_PATTERN, modelNotFound, RequestValidator } from "./validation.ts";

/** Handles `DescribeModel`; a missing model is SageMaker's `ValidationException`. */
export function DescribeModel(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): Record<string, unknown> {
  const v = new RequestValidator();
  const name = v.string(input.ModelName, "modelName", {
    required: true,
    max: 63,
    pattern: MODEL_NAME_PATTERN,
  });
  v.throwIfInvalid();
  const model = backend.state.models.get(name!.toLowerCase());
  if (!model) throw modelNotFound(backend.state.arn("model", name!));
  return {
    ModelName: model.name,
    ModelArn: model.arn,
    CreationTime: new Date(model.creationTime),
    ...model.description,
  };
}
