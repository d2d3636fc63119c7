/**
 * SNS `Publish` to a topic (`TopicArn` or `TargetArn`), with `Subject`,
 * `MessageStructure=json` and string `MessageAttributes`.
 *
 * @module
 */
import { AwsError } from "../errors.ts";
import type { QueryValue } from "../protocols/aws_query.ts";
import { optionalString, requiredString } from "./parameters.ts";
import { SNS_MAX_MESSAGE_BYTES, type SnsState } from "./state.ts";

/** Handles `Publish`. */
export async function Publish(
  params: Record<string, QueryValue>,
  state: SnsState,
): Promise<{ MessageId: string }> {
  const topicArn = optionalString(params, "TopicArn") ?? optionalString(params, "TargetArn");
  if (topicArn === undefined) {
    throw new AwsError(
      "InvalidParameter",
      "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter",
    );
  }
  const message = requiredString(params, "Message");
  if (message === "") throw new AwsError("InvalidParameter", "Invalid parameter: Empty message");
  if (new TextEncoder().encode(message).length > SNS_MAX_MESSAGE_BYTES) {
    throw new AwsError("InvalidParameter", "Invalid parameter: Message too long");
  }
  const subject = optionalString(params, "Subject");
  if (subject !== undefined && (subject.length > 100 || !/^[\x20-\x7e]+$/.test(subject))) {
    throw new AwsError("InvalidParameter", "Invalid parameter: Subject");
  }
  const structure = optionalString(params, "MessageStructure");
  if (structure !== undefined && structure !== "json") {
    throw new AwsError("InvalidParameter", "Invalid parameter: MessageStructure");
  }
  const attributes: Record<string, { Type: string; Value: string }> = {};
  const rawAttributes = params.MessageAttributes;
  if (rawAttributes !== undefined && rawAttributes !== "") {
    if (typeof rawAttributes !== "object" || Array.isArray(rawAttributes)) {
      throw new AwsError("InvalidParameter", "Invalid parameter: MessageAttributes");
    }
    for (const [name, value] of Object.entries(rawAttributes)) {
      if (typeof value !== "object" || Array.isArray(value)) {
        throw new AwsError("InvalidParameter", `Invalid parameter: MessageAttributes ${name}`);
      }
      const type = value.DataType;
      const text = value.StringValue;
      if (typeof type !== "string" || typeof text !== "string") {
        throw new AwsError(
          "ParameterValueInvalid",
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${
            typeof type === "string" ? type : "String"
          }'.`,
        );
      }
      attributes[name] = { Type: type, Value: text };
    }
  }
  const messageId = await state.publishMessage(topicArn, message, {
    subject,
    messageStructure: structure,
    messageAttributes: attributes,
  });
  return { MessageId: messageId };
}
