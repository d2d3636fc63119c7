/**
 * The SNS service module (query protocol, `Version=2010-03-31`): topics,
 * subscriptions to HTTP endpoints or in-emulator queues, and publishing.
 * Registers `context.sns`, which the async queue publishes through.
 *
 * @module
 */
import type { EmulatorContext } from "../context.ts";
import { awsQueryService, queryErrorResponse } from "../protocols/aws_query.ts";
import type { ServiceModule } from "../service.ts";
import { snsAdmin } from "./admin.ts";
import { CreateTopic } from "./CreateTopic.ts";
import { DeleteTopic } from "./DeleteTopic.ts";
import { ListSubscriptionsByTopic } from "./ListSubscriptionsByTopic.ts";
import { ListTopics } from "./ListTopics.ts";
import { Publish } from "./Publish.ts";
import { SnsState } from "./state.ts";
import { Subscribe } from "./Subscribe.ts";
import { Unsubscribe } from "./Unsubscribe.ts";

/** XML namespace of SNS responses. */
export const SNS_XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";

/**
 * Creates the SNS service and registers `context.sns`.
 *
 * @example
 * ```ts
 * import { createEmulator, createSnsService, ManualEmulatorClock } from "@sagemaker-async/toolkit/emulator";
 *
 * const emulator = await createEmulator({
 *   auth: false,
 *   clock: new ManualEmulatorClock(),
 *   services: [createSnsService],
 * });
 * const arn = await emulator.context.sns!.publish("arn:aws:sns:us-east-1:123456789012:none", "x")
 *   .catch((error) => error.code);
 * if (arn !== "NotFound") throw new Error(String(arn));
 * await emulator.close();
 * ```
 */
export async function createSnsService(context: EmulatorContext): Promise<ServiceModule> {
  const state = new SnsState(context);
  await state.load();
  context.sns = state;
  const origin = (url: string) => new URL(url).origin;
  const handle = awsQueryService({
    version: "2010-03-31",
    xmlns: SNS_XMLNS,
    operations: {
      CreateTopic: (params) => CreateTopic(params, state),
      DeleteTopic: (params) => DeleteTopic(params, state),
      Subscribe: (params, request) =>
        Subscribe(params, state, origin(request.request.url), {
          newId: context.newId,
          accountId: context.config.accountId,
        }),
      Unsubscribe: (params) => Unsubscribe(params, state),
      Publish: (params) => Publish(params, state),
      ListTopics: (params) => ListTopics(params, state),
      ListSubscriptionsByTopic: (params) => ListSubscriptionsByTopic(params, state),
    },
  });
  return {
    key: "sns",
    handle,
    renderError: (error, request) => queryErrorResponse(error, request.requestId, SNS_XMLNS),
    admin: (request, subpath) => snsAdmin(state, request, subpath),
    close: () => state.flush(),
  };
}
