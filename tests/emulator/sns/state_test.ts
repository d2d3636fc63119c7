import assert from "node:assert/strict";
import { ManualEmulatorClock } from "../../../emulator/clock.ts";
import { createEmulator } from "../../../emulator/core.ts";
import type { AwsError } from "../../../emulator/errors.ts";
import { createSnsService } from "../../../emulator/sns/service.ts";
import type { SnsState } from "../../../emulator/sns/state.ts";

async function setup() {
  const emulator = await createEmulator({
    auth: false,
    clock: new ManualEmulatorClock(),
    services: [createSnsService],
  });
  const state = emulator.context.sns as SnsState;
  const arn = state.topicArn("t");
  state.topics.set(arn, { name: "t", arn, attributes: {}, tags: [] });
  state.subscriptions.set(`${arn}:1`, {
    arn: `${arn}:1`,
    topicArn: arn,
    protocol: "emulator-queue",
    endpoint: "q",
    owner: "123456789012",
    rawMessageDelivery: false,
    origin: "http://127.0.0.1",
  });
  return { emulator, state, arn };
}

Deno.test("SnsState.publish stores one notification per queue subscription with the message id", async () => {
  const { emulator, state, arn } = await setup();
  const id = await state.publish(arn, "hello", { subject: "s" });
  const [stored] = state.queues.get("q")!;
  assert.equal(stored!.messageId, id);
  assert.equal(stored!.notification?.Message, "hello");
  assert.equal(stored!.notification?.Subject, "s");
  assert.equal(JSON.parse(stored!.body).MessageId, id);
  await emulator.close();
});

Deno.test("MessageStructure=json picks the protocol's message, else default; bad JSON is rejected", async () => {
  const { emulator, state, arn } = await setup();
  await state.publishMessage(
    arn,
    JSON.stringify({ default: "d", "emulator-queue": "for the queue" }),
    { messageStructure: "json" },
  );
  await state.publishMessage(arn, JSON.stringify({ default: "only default" }), {
    messageStructure: "json",
  });
  assert.deepEqual(state.queues.get("q")!.map((m) => m.notification?.Message), [
    "for the queue",
    "only default",
  ]);
  await assert.rejects(
    state.publishMessage(arn, "{}", { messageStructure: "json" }),
    (error: AwsError) =>
      error.code === "InvalidParameter" &&
      error.message === "Invalid parameter: Message Structure - JSON message body failed to parse",
  );
  await emulator.close();
});

Deno.test("publishing to an unknown topic is NotFound (404) and stores nothing", async () => {
  const { emulator, state } = await setup();
  await assert.rejects(
    state.publish(state.topicArn("missing"), "x"),
    (error: AwsError) => error.code === "NotFound" && error.status === 404,
  );
  assert.equal(state.queues.size, 0);
  await emulator.close();
});
