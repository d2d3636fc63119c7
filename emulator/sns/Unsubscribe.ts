/**
 * SNS `Unsubscribe`.
 *
 * @module
 */
import { AwsError } from "../errors.ts";
import type { QueryValue } from "../protocols/aws_query.ts";
import { requiredString } from "./parameters.ts";
import type { SnsState } from "./state.ts";

/** Handles `Unsubscribe`; an unknown subscription is `NotFound`. */
export async function Unsubscribe(
  params: Record<string, QueryValue>,
  state: SnsState,
): Promise<undefined> {
  const arn = requiredString(params, "SubscriptionArn");
  if (!state.subscriptions.delete(arn)) {
    throw new AwsError("NotFound", "Subscription does not exist", { status: 404 });
  }
  await state.changed();
  return undefined;
}
