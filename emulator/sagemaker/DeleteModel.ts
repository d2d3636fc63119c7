/**
 * SageMaker `DeleteModel`. Endpoints already using the model keep running
 * (they captured its container), as in SageMaker.
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import { MODEL_NAME_PATTERN, modelNotFound, RequestValidator } from "./validation.ts";

/** Handles `DeleteModel`. */
export function DeleteModel(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): Record<string, never> {
  const v = new RequestValidator();
  const name = v.string(input.ModelName, "modelName", {
    required: true,
    max: 63,
    pattern: MODEL_NAME_PATTERN,
  });
  v.throwIfInvalid();
  const { state } = backend;
  const model = state.models.get(name!.toLowerCase());
  if (!model) throw modelNotFound(state.arn("model", name!));
  state.models.delete(name!.toLowerCase());
  state.tags.delete(model.arn);
  backend.changed();
  return {};
}
