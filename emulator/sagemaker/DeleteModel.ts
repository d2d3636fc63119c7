/**
 * SageMaker `DeleteModel`. Endpoints already using the model keep running
 * (they captured its container), as in SageMaker.
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import { MODEL_NAME_RULE, RequestValidator } from "./validation.ts";

/** Handles `DeleteModel`. */
export function DeleteModel(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): Record<string, never> {
  const v = new RequestValidator();
  const name = v.string(input.ModelName, "modelName", MODEL_NAME_RULE);
  v.throwIfInvalid();
  const { state } = backend;
  const model = state.requireModel(name!);
  state.models.delete(name!.toLowerCase());
  state.tags.delete(model.arn);
  backend.changed();
  return {};
}
