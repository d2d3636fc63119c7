/**
 * The resource lookup shared by `AddTags`, `ListTags` and `DeleteTags`.
 * The wording for an ARN that names nothing is the emulator's (unconfirmed).
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import { RequestValidator, SAGEMAKER_ARN_PATTERN, validationException } from "./validation.ts";

/** Maximum tags per resource. */
export const MAX_TAGS_PER_RESOURCE = 50;

/** Validates `ResourceArn` (plus whatever `more` checks) and requires the resource to exist. */
export function taggedResource(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
  more: (v: RequestValidator) => void = () => {},
): string {
  const v = new RequestValidator();
  const arn = v.string(input.ResourceArn, "resourceArn", {
    required: true,
    max: 256,
    pattern: SAGEMAKER_ARN_PATTERN,
  });
  more(v);
  v.throwIfInvalid();
  if (!backend.state.resourceExists(arn!)) {
    throw validationException(`Resource "${arn}" does not exist.`);
  }
  return arn!;
}
