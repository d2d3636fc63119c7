import assert from "node:assert/strict";
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  PublishCommand,
  SubscribeCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import { startContractEnv } from "./_harness.ts";

interface QueuedMessage {
  body: string;
  notification?: Record<string, unknown>;
}

async function queueMessages(endpoint: string, queue: string): Promise<QueuedMessage[]> {
  const response = await fetch(`${endpoint}/_emulator/sns/queues/${queue}`);
  assert.equal(response.status, 200);
  return (await response.json()).messages;
}

Deno.test("CreateTopic is idempotent and returns the topic ARN in the emulator's account", async () => {
  await using env = await startContractEnv();
  const sns = env.clients.sns;
  const first = await sns.send(new CreateTopicCommand({ Name: "results" }));
  const again = await sns.send(new CreateTopicCommand({ Name: "results" }));
  assert.equal(first.TopicArn, "arn:aws:sns:us-east-1:123456789012:results");
  assert.equal(again.TopicArn, first.TopicArn);
});

Deno.test("CreateTopic rejects an invalid name with InvalidParameterException", async () => {
  await using env = await startContractEnv();
  await assert.rejects(
    env.clients.sns.send(new CreateTopicCommand({ Name: "bad name!" })),
    (error: Error) => {
      assert.equal(error.name, "InvalidParameterException");
      assert.equal(error.message, "Invalid parameter: Topic Name");
      return true;
    },
  );
});

Deno.test("Publish delivers SNS's notification document to an emulator-queue subscription", async () => {
  await using env = await startContractEnv();
  const sns = env.clients.sns;
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "done" }));
  const sub = await sns.send(
    new SubscribeCommand({ TopicArn, Protocol: "emulator-queue", Endpoint: "inbox" }),
  );
  assert.match(
    sub.SubscriptionArn ?? "",
    /^arn:aws:sns:us-east-1:123456789012:done:[0-9a-f-]{36}$/,
  );
  const published = await sns.send(
    new PublishCommand({
      TopicArn,
      Message: '{"hello":1}',
      Subject: "greeting",
      MessageAttributes: { kind: { DataType: "String", StringValue: "test" } },
    }),
  );
  const messages = await queueMessages(env.emulator.endpoint, "inbox");
  assert.equal(messages.length, 1);
  const notification = messages[0]!.notification!;
  assert.equal(notification.Type, "Notification");
  assert.equal(notification.MessageId, published.MessageId);
  assert.equal(notification.TopicArn, TopicArn);
  assert.equal(notification.Subject, "greeting");
  assert.equal(notification.Message, '{"hello":1}');
  assert.deepEqual(notification.MessageAttributes, { kind: { Type: "String", Value: "test" } });
  assert.equal(notification.Timestamp, new Date(env.clock.now()).toISOString());
});

Deno.test("raw message delivery stores the bare message; DELETE empties the queue", async () => {
  await using env = await startContractEnv();
  const sns = env.clients.sns;
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "raw" }));
  await sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol: "emulator-queue",
      Endpoint: "rawq",
      Attributes: { RawMessageDelivery: "true" },
    }),
  );
  await sns.send(new PublishCommand({ TopicArn, Message: "plain" }));
  const [message] = await queueMessages(env.emulator.endpoint, "rawq");
  assert.equal(message!.body, "plain");
  assert.equal(message!.notification, undefined);
  const cleared = await fetch(`${env.emulator.endpoint}/_emulator/sns/queues/rawq`, {
    method: "DELETE",
  });
  assert.deepEqual(await cleared.json(), { deleted: 1 });
  assert.deepEqual(await queueMessages(env.emulator.endpoint, "rawq"), []);
});

Deno.test("Publish to an HTTP subscription POSTs the notification with SNS headers", async () => {
  const received: Array<{ headers: Headers; body: string }> = [];
  await using server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    async (req) => {
      received.push({ headers: req.headers, body: await req.text() });
      return new Response("ok");
    },
  );
  await using env = await startContractEnv();
  const sns = env.clients.sns;
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "web" }));
  const url = `http://127.0.0.1:${server.addr.port}/hook`;
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: url }),
  );
  const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: "ping" }));
  await env.clock.settle();
  assert.equal(received.length, 1);
  const [delivery] = received;
  assert.equal(delivery!.headers.get("x-amz-sns-message-type"), "Notification");
  assert.equal(delivery!.headers.get("x-amz-sns-message-id"), MessageId);
  assert.equal(delivery!.headers.get("x-amz-sns-topic-arn"), TopicArn);
  assert.equal(delivery!.headers.get("x-amz-sns-subscription-arn"), SubscriptionArn);
  const body = JSON.parse(delivery!.body);
  assert.equal(body.Message, "ping");
  assert.equal(
    body.UnsubscribeURL,
    `${env.emulator.endpoint}/?Action=Unsubscribe&SubscriptionArn=${
      encodeURIComponent(SubscriptionArn!)
    }`,
  );
});

Deno.test("a failing HTTP endpoint is retried 3 times 20 s apart, then recorded as undeliverable", async () => {
  let attempts = 0;
  await using server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, () => {
    attempts++;
    return new Response("no", { status: 500 });
  });
  await using env = await startContractEnv();
  const sns = env.clients.sns;
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "flaky" }));
  await sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol: "http",
      Endpoint: `http://127.0.0.1:${server.addr.port}/`,
    }),
  );
  await sns.send(new PublishCommand({ TopicArn, Message: "m" }));
  await env.clock.settle();
  assert.equal(attempts, 1);
  await env.clock.advance(19_999);
  assert.equal(attempts, 1);
  await env.clock.advance(1);
  assert.equal(attempts, 2);
  await env.clock.advance(40_000);
  assert.equal(attempts, 4);
  const response = await fetch(`${env.emulator.endpoint}/_emulator/sns/undeliverable`);
  const { messages } = await response.json();
  assert.equal(messages.length, 1);
  assert.equal(messages[0].attempts, 4);
  assert.equal(messages[0].lastError, "HTTP 500");
});

Deno.test("Publish to a missing topic is NotFoundException; Subscribe with a bad protocol is rejected", async () => {
  await using env = await startContractEnv();
  const sns = env.clients.sns;
  await assert.rejects(
    sns.send(
      new PublishCommand({ TopicArn: "arn:aws:sns:us-east-1:123456789012:nope", Message: "x" }),
    ),
    (error: Error) =>
      error.name === "NotFoundException" && error.message === "Topic does not exist",
  );
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "t" }));
  await assert.rejects(
    sns.send(new SubscribeCommand({ TopicArn, Protocol: "carrier-pigeon", Endpoint: "x" })),
    (error: Error) =>
      error.name === "InvalidParameterException" &&
      error.message ===
        "Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon",
  );
  await assert.rejects(
    sns.send(new PublishCommand({ TopicArn, Message: "" })),
    (error: Error) => error.message === "Invalid parameter: Empty message",
  );
});

Deno.test("ListTopics, ListSubscriptionsByTopic, Unsubscribe and DeleteTopic round-trip", async () => {
  await using env = await startContractEnv();
  const sns = env.clients.sns;
  const { TopicArn: a } = await sns.send(new CreateTopicCommand({ Name: "a" }));
  const { TopicArn: b } = await sns.send(new CreateTopicCommand({ Name: "b" }));
  const listed = await sns.send(new ListTopicsCommand({}));
  assert.deepEqual(listed.Topics?.map((t) => t.TopicArn), [a, b]);
  assert.equal(listed.NextToken, undefined);
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({ TopicArn: a, Protocol: "emulator-queue", Endpoint: "q1" }),
  );
  const subs = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: a }));
  assert.deepEqual(subs.Subscriptions, [{
    SubscriptionArn,
    Owner: "123456789012",
    Protocol: "emulator-queue",
    Endpoint: "q1",
    TopicArn: a,
  }]);
  await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
  const after = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: a }));
  assert.deepEqual(after.Subscriptions ?? [], []);
  await sns.send(new DeleteTopicCommand({ TopicArn: a }));
  await sns.send(new DeleteTopicCommand({ TopicArn: a }));
  const remaining = await sns.send(new ListTopicsCommand({}));
  assert.deepEqual(remaining.Topics?.map((t) => t.TopicArn), [b]);
});

Deno.test("ListTopics pages 100 topics at a time with NextToken", async () => {
  await using env = await startContractEnv();
  const sns = env.clients.sns;
  for (let i = 0; i < 101; i++) {
    await sns.send(new CreateTopicCommand({ Name: `t${String(i).padStart(3, "0")}` }));
  }
  const first = await sns.send(new ListTopicsCommand({}));
  assert.equal(first.Topics?.length, 100);
  assert.ok(first.NextToken);
  const second = await sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));
  assert.deepEqual(second.Topics?.map((t) => t.TopicArn), [
    "arn:aws:sns:us-east-1:123456789012:t100",
  ]);
  assert.equal(second.NextToken, undefined);
});
