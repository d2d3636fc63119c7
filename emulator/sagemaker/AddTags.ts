/**
 * SageMaker `AddTags`: adds or overwrites tags (at most 50 per resource).
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import type { Tag } from "./state.ts";
import { MAX_TAGS_PER_RESOURCE, taggedResource } from "./tagging.ts";
import { validationException } from "./validation.ts";

/** Handles `AddTags`. */
export function AddTags(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): { Tags: Tag[] } {
  let tags: Tag[] = [];
  const arn = taggedResource(input, backend, (v) => {
    v.list(input.Tags, "tags", { required: true });
    tags = v.tags(input.Tags, "tags") ?? [];
  });
  const merged = new Map((backend.state.tags.get(arn) ?? []).map((t) => [t.Key, t.Value]));
  for (const tag of tags) merged.set(tag.Key, tag.Value);
  if (merged.size > MAX_TAGS_PER_RESOURCE) {
    throw validationException(
      `Cannot exceed quota for TagsPerResource: ${MAX_TAGS_PER_RESOURCE}. Resource "${arn}" would have ${merged.size} tags.`,
    );
  }
  backend.state.tags.set(arn, [...merged].map(([Key, Value]) => ({ Key, Value })));
  backend.changed();
  return { Tags: tags };
}
