/**
 * SNS `ListTopics`: 100 topics per page, `NextToken` while more remain.
 *
 * @module
 */
import type { QueryValue } from "../protocols/aws_query.ts";
import { optionalString, pageStart, pageToken } from "./parameters.ts";
import type { SnsState } from "./state.ts";

const PAGE_SIZE = 100;

/** Handles `ListTopics`. */
export function ListTopics(
  params: Record<string, QueryValue>,
  state: SnsState,
): { Topics: Array<{ TopicArn: string }>; NextToken?: string } {
  const start = pageStart(optionalString(params, "NextToken"));
  const arns = [...state.topics.keys()].sort();
  const page = arns.slice(start, start + PAGE_SIZE);
  return {
    Topics: page.map((TopicArn) => ({ TopicArn })),
    NextToken: pageToken(start + page.length, arns.length),
  };
}
