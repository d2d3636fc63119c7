/**
 * SNS `DeleteTopic`: removes the topic and its subscriptions; deleting a
 * topic that does not exist succeeds, as in SNS.
 *
 * @module
 */
import type { QueryValue } from "../protocols/aws_query.ts";
import { requiredString } from "./parameters.ts";
import type { SnsState } from "./state.ts";

/** Handles `DeleteTopic`. */
export async function DeleteTopic(
  params: Record<string, QueryValue>,
  state: SnsState,
): Promise<undefined> {
  const arn = requiredString(params, "TopicArn");
  if (!state.topics.delete(arn)) return undefined;
  for (const [subArn, sub] of state.subscriptions) {
    if (sub.topicArn === arn) state.subscriptions.delete(subArn);
  }
  await state.changed();
  return undefined;
}
