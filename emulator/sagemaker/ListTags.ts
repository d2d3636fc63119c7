/**
 * SageMaker `ListTags` (`MaxResults` 50-100, `NextToken`).
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import type { Tag } from "./state.ts";
import { nextPageToken, pageStart } from "./pagination.ts";
import { taggedResource } from "./tagging.ts";

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
  const start = pageStart(token);
  const all = backend.state.tags.get(arn) ?? [];
  const page = all.slice(start, start + maxResults);
  return { Tags: page, NextToken: nextPageToken(start + page.length, all.length) };
}
