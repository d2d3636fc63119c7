/**
 * SNS `CreateTopic`: idempotent by name; the same name with different
 * attributes is rejected as SNS does. FIFO topics are not emulated.
 *
 * @module
 */
import { AwsError } from "../errors.ts";
import type { QueryValue } from "../protocols/aws_query.ts";
import { requiredString, stringMap } from "./parameters.ts";
import type { SnsState } from "./state.ts";

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

/** Handles `CreateTopic`. */
export async function CreateTopic(
  params: Record<string, QueryValue>,
  state: SnsState,
): Promise<{ TopicArn: string }> {
  const name = requiredString(params, "Name");
  const attributes = stringMap(params, "Attributes");
  if (name.endsWith(".fifo") || attributes.FifoTopic === "true") {
    throw new AwsError(
      "InvalidParameter",
      "Invalid parameter: Attributes Reason: FIFO topics are not supported by this emulator",
    );
  }
  if (!TOPIC_NAME.test(name)) {
    throw new AwsError("InvalidParameter", "Invalid parameter: Topic Name");
  }
  const arn = state.topicArn(name);
  const existing = state.topics.get(arn);
  if (existing) {
    for (const [key, value] of Object.entries(attributes)) {
      if (existing.attributes[key] !== value) {
        throw new AwsError(
          "InvalidParameter",
          "Invalid parameter: Attributes Reason: Topic already exists with different attributes",
        );
      }
    }
    return { TopicArn: arn };
  }
  const tagsParam = params.Tags;
  const tags: Array<{ Key: string; Value: string }> = [];
  if (Array.isArray(tagsParam)) {
    for (const tag of tagsParam) {
      if (typeof tag !== "object" || Array.isArray(tag) || typeof tag.Key !== "string") {
        throw new AwsError("InvalidParameter", "Invalid parameter: Tags");
      }
      tags.push({ Key: tag.Key, Value: typeof tag.Value === "string" ? tag.Value : "" });
    }
  }
  state.topics.set(arn, { name, arn, attributes, tags });
  await state.changed();
  return { TopicArn: arn };
}
