/**
 * SageMaker `DeleteTags`: removes tags by key; absent keys are ignored.
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import { taggedResource } from "./tagging.ts";

/** Handles `DeleteTags`. */
export function DeleteTags(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): Record<string, never> {
  let keys: string[] = [];
  const arn = taggedResource(input, backend, (v) => {
    keys = (v.list(input.TagKeys, "tagKeys", { required: true, min: 1, max: 50 }) ?? []).map((
      key,
      i,
    ) => v.string(key, `tagKeys.${i + 1}.member`, { required: true, min: 1, max: 128 }) ?? "");
  });
  const remaining = (backend.state.tags.get(arn) ?? []).filter((t) => !keys.includes(t.Key));
  if (remaining.length > 0) backend.state.tags.set(arn, remaining);
  else backend.state.tags.delete(arn);
  backend.changed();
  return {};
}
