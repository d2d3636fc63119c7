/**
 * SageMaker `ListTags` (`MaxResults` 50-100, `NextToken`).
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import type { Tag } from "./state.ts";
import { taggedResource } from "./tagging.ts";
import { validationException } from "./validation.ts";

/** Handles `ListTags`. */
export function ListTags(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): { Tags: Tag[]; NextToken?: string } {
  let maxResults = 50;
  let token: string | undefined;
  const arn = taggedResource(input, backend, (v) => {
    maxResults = v.number(input.MaxResults, "maxResults", { min: 50, max: 100, integer: true }) ??
      50;
    token = v.string(input.NextToken, "nextToken", { max: 8192 });
  });
  let start = 0;
  if (token !== undefined) {
    const decoded = /^o(\d+)$/.exec(token);
    if (!decoded) throw validationException(`Invalid pagination token ${token}.`);
    start = Number(decoded[1]);
  }
  const all = backend.state.tags.get(arn) ?? [];
  const page = all.slice(start, start + maxResults);
  const next = start + page.length;
  return { Tags: page, NextToken: next < all.length ? `o${next}` : undefined };
}
