/**
 * SNS `Subscribe` for `http`, `https` and the in-emulator `emulator-queue`
 * protocol. Subscriptions are confirmed at once (no
 * `SubscriptionConfirmation` is sent); subscribing the same endpoint twice
 * returns the existing subscription, as SNS does.
 *
 * @module
 */
import { AwsError } from "../errors.ts";
import type { QueryValue } from "../protocols/aws_query.ts";
import { requiredString, stringMap } from "./parameters.ts";
import { SNS_PROTOCOLS, type SnsState } from "./state.ts";

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** Handles `Subscribe`. */
export async function Subscribe(
  params: Record<string, QueryValue>,
  state: SnsState,
  origin: string,
  ids: { newId(): string; accountId: string },
): Promise<{ SubscriptionArn: string }> {
  const topicArn = requiredString(params, "TopicArn");
  const protocol = requiredString(params, "Protocol");
  const endpoint = requiredString(params, "Endpoint");
  const attributes = stringMap(params, "Attributes");
  if (!SNS_PROTOCOLS.includes(protocol)) {
    throw new AwsError(
      "InvalidParameter",
      `Invalid parameter: Amazon SNS does not support this protocol string: ${protocol}`,
    );
  }
  if (protocol === "emulator-queue") {
    if (!QUEUE_NAME.test(endpoint)) {
      throw new AwsError(
        "InvalidParameter",
        "Invalid parameter: Endpoint Reason: an emulator-queue endpoint is a queue name of 1-80 letters, digits, - or _",
      );
    }
  } else {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || url.protocol !== `${protocol}:`) {
      throw new AwsError(
        "InvalidParameter",
        "Invalid parameter: Endpoint must match the specified protocol",
      );
    }
  }
  for (const [key, value] of Object.entries(attributes)) {
    if (key !== "RawMessageDelivery") {
      throw new AwsError(
        "InvalidParameter",
        `Invalid parameter: Attributes Reason: Unsupported attribute ${key}`,
      );
    }
    if (value !== "true" && value !== "false") {
      throw new AwsError(
        "InvalidParameter",
        "Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [" + value +
          "]. Must be true or false.",
      );
    }
  }
  state.requireTopic(topicArn);
  for (const sub of state.subscriptions.values()) {
    if (sub.topicArn === topicArn && sub.protocol === protocol && sub.endpoint === endpoint) {
      return { SubscriptionArn: sub.arn };
    }
  }
  const arn = `${topicArn}:${ids.newId()}`;
  state.subscriptions.set(arn, {
    arn,
    topicArn,
    protocol,
    endpoint,
    owner: ids.accountId,
    rawMessageDelivery: attributes.RawMessageDelivery === "true",
    origin,
  });
  await state.changed();
  return { SubscriptionArn: arn };
}
