/**
 * SNS `ListSubscriptionsByTopic`: 100 per page.
 *
 * @module
 */
import type { QueryValue } from "../protocols/aws_query.ts";
import { optionalString, pageStart, pageToken, requiredString } from "./parameters.ts";
import type { SnsState } from "./state.ts";

const PAGE_SIZE = 100;

/** One listed subscription. */
export interface ListedSubscription {
  SubscriptionArn: string;
  Owner: string;
  Protocol: string;
  Endpoint: string;
  TopicArn: string;
}

/** Handles `ListSubscriptionsByTopic`; an unknown topic is `NotFound`. */
export function ListSubscriptionsByTopic(
  params: Record<string, QueryValue>,
  state: SnsState,
): { Subscriptions: ListedSubscription[]; NextToken?: string } {
  const topicArn = requiredString(params, "TopicArn");
  state.requireTopic(topicArn);
  const start = pageStart(optionalString(params, "NextToken"));
  const subs = [...state.subscriptions.values()]
    .filter((sub) => sub.topicArn === topicArn)
    .sort((a, b) => a.arn.localeCompare(b.arn));
  const page = subs.slice(start, start + PAGE_SIZE);
  return {
    Subscriptions: page.map((sub) => ({
      SubscriptionArn: sub.arn,
      Owner: sub.owner,
      Protocol: sub.protocol,
      Endpoint: sub.endpoint,
      TopicArn: sub.topicArn,
    })),
    NextToken: pageToken(start + page.length, subs.length),
  };
}
