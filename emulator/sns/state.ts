/**
 * SNS state and delivery: topics, subscriptions, and the messages delivered
 * to in-emulator queues. Implements {@linkcode SnsBackend} for the async
 * queue's notifications.
 *
 * Delivery: `http`/`https` subscriptions get SNS's HTTP notification (a JSON
 * document POSTed as `text/plain`, with the `x-amz-sns-*` headers), retried
 * 3 times 20 s apart on the emulator clock as SNS's default HTTP delivery
 * policy does; messages that still fail are kept in
 * {@linkcode SnsState.undeliverable}. Subscriptions are confirmed at once: no
 * `SubscriptionConfirmation` is sent. Notifications are unsigned (no
 * `Signature`/`SigningCertURL`). `emulator-queue` subscriptions (endpoint: a
 * queue name) store the notification for the admin route
 * `/_emulator/sns/queues/<name>`.
 *
 * @module
 */
import type { EmulatorContext, SnsBackend } from "../context.ts";
import { AwsError } from "../errors.ts";
import { SnapshotWriter } from "../persistence/snapshot_writer.ts";

/** Protocols this emulator delivers to. */
export const SNS_PROTOCOLS: readonly string[] = ["http", "https", "emulator-queue"];

/** SNS's maximum message size in bytes. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;

const HTTP_RETRIES = 3;
const HTTP_RETRY_DELAY_MS = 20_000;

/** A topic. */
export interface TopicRecord {
  readonly name: string;
  readonly arn: string;
  readonly attributes: Record<string, string>;
  readonly tags: Array<{ Key: string; Value: string }>;
}

/** A subscription (always confirmed). */
export interface SubscriptionRecord {
  readonly arn: string;
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  readonly owner: string;
  readonly rawMessageDelivery: boolean;
  /** Origin used in `UnsubscribeURL`, e.g. `http://127.0.0.1:4566`. */
  readonly origin: string;
}

/** A message stored in an in-emulator queue. */
export interface QueuedSnsMessage {
  /** SNS message id. */
  readonly messageId: string;
  /** The subscription that delivered it. */
  readonly subscriptionArn: string;
  /** What an HTTP endpoint would have received as the body. */
  readonly body: string;
  /** `body` parsed, unless raw message delivery is on (then `undefined`). */
  readonly notification: Record<string, unknown> | undefined;
}

/** A message an HTTP subscription never accepted. */
export interface UndeliverableMessage {
  readonly messageId: string;
  readonly subscriptionArn: string;
  readonly endpoint: string;
  readonly attempts: number;
  readonly lastError: string;
  /** Epoch ms of the last attempt. */
  readonly at: number;
}

/** Options for {@linkcode SnsState.publishMessage}. */
export interface SnsPublishOptions {
  subject?: string;
  /** `json`: `message` is a JSON object with a `default` key and per-protocol overrides. */
  messageStructure?: string;
  messageAttributes?: Record<string, { Type: string; Value: string }>;
}

interface Snapshot {
  topics: TopicRecord[];
  subscriptions: SubscriptionRecord[];
  queues: Array<[string, QueuedSnsMessage[]]>;
  undeliverable: UndeliverableMessage[];
}

/** SNS's state plus delivery. */
export class SnsState implements SnsBackend {
  readonly topics = new Map<string, TopicRecord>();
  readonly subscriptions = new Map<string, SubscriptionRecord>();
  readonly queues = new Map<string, QueuedSnsMessage[]>();
  readonly undeliverable: UndeliverableMessage[] = [];
  readonly #context: EmulatorContext;
  readonly #writer: SnapshotWriter;

  constructor(context: EmulatorContext) {
    this.#context = context;
    this.#writer = new SnapshotWriter({
      persistence: context.persistence,
      section: "sns",
      snapshot: (): Snapshot => ({
        topics: [...this.topics.values()],
        subscriptions: [...this.subscriptions.values()],
        queues: [...this.queues.entries()],
        undeliverable: this.undeliverable,
      }),
    });
  }

  /** Loads persisted state, if any. */
  async load(): Promise<void> {
    const snapshot = await this.#context.persistence.load<Snapshot>("sns");
    if (!snapshot) return;
    for (const topic of snapshot.topics) this.topics.set(topic.arn, topic);
    for (const sub of snapshot.subscriptions) this.subscriptions.set(sub.arn, sub);
    for (const [name, messages] of snapshot.queues) this.queues.set(name, messages);
    this.undeliverable.push(...snapshot.undeliverable);
  }

  /** Saves the state; resolves once durable. */
  changed(): Promise<void> {
    return this.#writer.commit();
  }

  /** Waits for pending saves (shutdown). */
  flush(): Promise<void> {
    return this.#writer.flush();
  }

  /** The ARN a topic name has in this emulator. */
  topicArn(name: string): string {
    const { region, accountId } = this.#context.config;
    return `arn:aws:sns:${region}:${accountId}:${name}`;
  }

  /** The topic, or `NotFound` as SNS reports it. */
  requireTopic(arn: string): TopicRecord {
    const topic = this.topics.get(arn);
    if (!topic) throw new AwsError("NotFound", "Topic does not exist", { status: 404 });
    return topic;
  }

  publish(topicArn: string, message: string, options?: { subject?: string }): Promise<string> {
    return this.publishMessage(topicArn, message, options);
  }

  /** Publishes to every subscription of the topic; resolves with the message id once stored. */
  async publishMessage(
    topicArn: string,
    message: string,
    options: SnsPublishOptions = {},
  ): Promise<string> {
    const topic = this.requireTopic(topicArn);
    const messageId = this.#context.newId();
    const timestamp = new Date(this.#context.clock.now()).toISOString();
    let perProtocol: Record<string, unknown> | undefined;
    if (options.messageStructure === "json") {
      try {
        perProtocol = JSON.parse(message);
      } catch {
        perProtocol = undefined;
      }
      if (
        typeof perProtocol !== "object" || perProtocol === null || Array.isArray(perProtocol) ||
        typeof perProtocol.default !== "string"
      ) {
        throw new AwsError(
          "InvalidParameter",
          "Invalid parameter: Message Structure - JSON message body failed to parse",
        );
      }
    }
    let queued = false;
    for (const sub of this.subscriptions.values()) {
      if (sub.topicArn !== topic.arn) continue;
      const chosen = perProtocol
        ? String(perProtocol[sub.protocol] ?? perProtocol.default)
        : message;
      const notification: Record<string, unknown> = {
        Type: "Notification",
        MessageId: messageId,
        TopicArn: topic.arn,
        ...(options.subject !== undefined ? { Subject: options.subject } : {}),
        Message: chosen,
        Timestamp: timestamp,
        UnsubscribeURL: `${sub.origin}/?Action=Unsubscribe&SubscriptionArn=${
          encodeURIComponent(sub.arn)
        }`,
        ...(options.messageAttributes && Object.keys(options.messageAttributes).length > 0
          ? { MessageAttributes: options.messageAttributes }
          : {}),
      };
      const body = sub.rawMessageDelivery ? chosen : JSON.stringify(notification);
      if (sub.protocol === "emulator-queue") {
        const list = this.queues.get(sub.endpoint) ?? [];
        list.push({
          messageId,
          subscriptionArn: sub.arn,
          body,
          notification: sub.rawMessageDelivery ? undefined : notification,
        });
        this.queues.set(sub.endpoint, list);
        queued = true;
      } else {
        this.#context.clock.track(this.#deliverHttp(sub, messageId, topic.arn, body, 0));
      }
    }
    if (queued) await this.changed();
    return messageId;
  }

  async #deliverHttp(
    sub: SubscriptionRecord,
    messageId: string,
    topicArn: string,
    body: string,
    attempt: number,
  ): Promise<void> {
    let error: string;
    try {
      const response = await fetch(sub.endpoint, {
        method: "POST",
        headers: {
          "content-type": "text/plain; charset=UTF-8",
          "user-agent": "Amazon Simple Notification Service Agent",
          "x-amz-sns-message-type": "Notification",
          "x-amz-sns-message-id": messageId,
          "x-amz-sns-topic-arn": topicArn,
          "x-amz-sns-subscription-arn": sub.arn,
          ...(sub.rawMessageDelivery ? { "x-amz-sns-rawdelivery": "true" } : {}),
        },
        body,
      });
      await response.body?.cancel();
      if (response.ok) return;
      error = `HTTP ${response.status}`;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    if (!this.subscriptions.has(sub.arn)) return;
    if (attempt < HTTP_RETRIES) {
      this.#context.clock.schedule(
        this.#context.clock.now() + HTTP_RETRY_DELAY_MS,
        () => this.#deliverHttp(sub, messageId, topicArn, body, attempt + 1),
      );
      return;
    }
    this.undeliverable.push({
      messageId,
      subscriptionArn: sub.arn,
      endpoint: sub.endpoint,
      attempts: attempt + 1,
      lastError: error,
      at: this.#context.clock.now(),
    });
    await this.changed();
  }
}
