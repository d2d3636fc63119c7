/**
 * SageMaker `DescribeModel`.
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import { MODEL_NAME_RULE, RequestValidator } from "./validation.ts";

/** Handles `DescribeModel`; a missing model is SageMaker's `ValidationException`. */
export function DescribeModel(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): Record<string, unknown> {
  const v = new RequestValidator();
  const name = v.string(input.ModelName, "modelName", MODEL_NAME_RULE);
  v.throwIfInvalid();
  const model = backend.state.requireModel(name!);
  return {
    ModelName: model.name,
    ModelArn: model.arn,
    CreationTime: new Date(model.creationTime),
    ...model.description,
  };
}
