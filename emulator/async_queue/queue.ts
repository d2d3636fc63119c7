/**
 * The per-endpoint backlog of async inference requests. Accepted requests
 * wait in FIFO order until an in-service instance has a free slot
 * (`MaxConcurrentInvocationsPerInstance` per instance), then run there (see
 * `inference.ts`). A request still queued after `RequestTTLSeconds` expires
 * (failure object, `ExpiredRequests`); one running longer than
 * `InvocationTimeoutSeconds` fails. When an endpoint is deleted, queued
 * requests fail at once and running ones when it is gone. Every accepted
 * request therefore ends in exactly one output or failure object.
 *
 * With durable persistence the queue (queued and in-progress requests, and
 * inline payloads as blobs) is saved before a request is acknowledged, and
 * after a restart in-progress requests are re-queued ahead of the rest, in
 * acceptance order.
 *
 * @module
 */
import type { ScheduledTask } from "../clock.ts";
import type { AsyncQueueSnapshot, EmulatorContext, InvocationOutcome } from "../context.ts";
import { AwsError } from "../errors.ts";
import type { EndpointLifecycle, InstanceSlot } from "../sagemaker/endpoint_lifecycle.ts";
import type { AsyncConfigRecord, SageMakerState } from "../sagemaker/state.ts";
import {
  abortedFailure,
  type AsyncAbortReason,
  completeAsyncInference,
  type FailureReport,
  type FinishedInference,
  finishWithFailure,
  prepareAsyncInference,
  textFailure,
} from "./inference.ts";
import type { AsyncRequestRecord } from "./request.ts";

/** The failure of a request whose endpoint was deleted while it waited. */
function deletedBeforeStart(record: AsyncRequestRecord): FailureReport {
  return textFailure(
    `ClientError: Endpoint ${record.endpointName} was deleted before the request started.`,
    "InvocationFailures",
  );
}

/** The saved form of the queue. */
export interface AsyncQueueSnapshotData {
  /** Every unfinished request (queued and in progress), in acceptance order. */
  requests: AsyncRequestRecord[];
}

interface RunningRequest {
  readonly record: AsyncRequestRecord;
  /** Ends the run now with this failure (timeout, endpoint deleted). */
  stop(reason: AsyncAbortReason): void;
}

interface EndpointQueue {
  readonly queued: AsyncRequestRecord[];
  readonly running: Map<string, RunningRequest>;
}

/** Options for {@linkcode AsyncInvocationQueue}. */
export interface AsyncInvocationQueueOptions {
  context: EmulatorContext;
  state: SageMakerState;
  lifecycle: EndpointLifecycle;
  /** Called after every change (persistence, in the background). */
  changed: () => void;
  /** Saves now; resolves once durable. */
  flush: () => Promise<void>;
}

/** Per-endpoint FIFO backlogs and the work that drains them. */
export class AsyncInvocationQueue {
  readonly #context: EmulatorContext;
  readonly #state: SageMakerState;
  readonly #lifecycle: EndpointLifecycle;
  readonly #changed: () => void;
  readonly #flush: () => Promise<void>;
  readonly #queues = new Map<string, EndpointQueue>();
  readonly #expiry = new Map<string, ScheduledTask>();
  readonly #inlineBodies = new Map<string, Uint8Array>();
  /** Requests being finished without an instance; still saved until their object is written. */
  readonly #finishing = new Map<string, AsyncRequestRecord>();
  readonly #listeners: Array<(outcome: InvocationOutcome) => void> = [];
  #closed = false;

  constructor(options: AsyncInvocationQueueOptions) {
    this.#context = options.context;
    this.#state = options.state;
    this.#lifecycle = options.lifecycle;
    this.#changed = options.changed;
    this.#flush = options.flush;
    this.#lifecycle.onCapacity((name) => this.pump(name));
    this.#lifecycle.onDeleting((name) => this.#failQueued(name));
    this.#lifecycle.onDeleted((name) => this.#abortRunning(name));
  }

  /** Subscribes to finished requests. */
  onFinished(listener: (outcome: InvocationOutcome) => void): void {
    this.#listeners.push(listener);
  }

  /** Queued and running counts of an endpoint. */
  snapshot(endpointName: string): AsyncQueueSnapshot {
    const queue = this.#queues.get(endpointName.toLowerCase());
    return {
      endpointName,
      queued: queue?.queued.length ?? 0,
      inProgress: queue?.running.size ?? 0,
      oldestQueuedAt: queue?.queued[0]?.acceptedAt,
    };
  }

  /** Every unfinished request, for persistence. */
  data(): AsyncQueueSnapshotData {
    const requests: AsyncRequestRecord[] = [];
    for (const queue of this.#queues.values()) {
      for (const { record } of queue.running.values()) requests.push(record);
      requests.push(...queue.queued);
    }
    requests.push(...this.#finishing.values());
    requests.sort((a, b) => a.acceptedAt - b.acceptedAt);
    return { requests };
  }

  /**
   * Accepts a request: stores its inline payload, saves the queue (resolving
   * only once durable) and schedules it. On a failed save nothing is kept and
   * the caller gets `InternalFailure`.
   */
  async accept(record: AsyncRequestRecord, inlineBody: Uint8Array | undefined): Promise<void> {
    const persistence = this.#context.persistence;
    if (inlineBody !== undefined) {
      if (record.inlineBlobId !== undefined && persistence.durable) {
        await persistence.writeBlob(record.inlineBlobId, inlineBody);
      }
      this.#inlineBodies.set(record.id, inlineBody);
    }
    const queue = this.#queue(record.endpointName);
    queue.queued.push(record);
    this.#armExpiry(record);
    try {
      await this.#flush();
    } catch (error) {
      queue.queued.splice(queue.queued.indexOf(record), 1);
      this.#expiry.get(record.id)?.cancel();
      this.#expiry.delete(record.id);
      this.#inlineBodies.delete(record.id);
      throw new AwsError(
        "InternalFailure",
        `The request could not be stored: ${error instanceof Error ? error.message : error}`,
        { status: 500 },
      );
    }
    this.pump(record.endpointName);
  }

  /** Starts queued requests on free instance slots, oldest first. */
  pump(endpointName: string): void {
    if (this.#closed) return;
    const queue = this.#queues.get(endpointName.toLowerCase());
    if (!queue) return;
    while (queue.queued.length > 0) {
      const head = queue.queued[0]!;
      if (this.#context.clock.now() >= this.#expiresAt(head)) {
        queue.queued.shift();
        this.#expire(head);
        continue;
      }
      const slot = this.#lifecycle.acquire(endpointName);
      if (!slot) break;
      queue.queued.shift();
      this.#start(queue, head, slot);
    }
  }

  /** Restores saved requests (after a restart) and schedules them. */
  async restore(data: AsyncQueueSnapshotData): Promise<void> {
    const ordered = [...data.requests].sort((a, b) => {
      const aRunning = a.startedAt !== undefined ? 0 : 1;
      const bRunning = b.startedAt !== undefined ? 0 : 1;
      return aRunning - bRunning || a.acceptedAt - b.acceptedAt;
    });
    for (const saved of ordered) {
      const record: AsyncRequestRecord = { ...saved, startedAt: undefined };
      if (record.inlineBlobId !== undefined) {
        this.#inlineBodies.set(
          record.id,
          await this.#context.persistence.readBlob(record.inlineBlobId),
        );
      }
      // Requests of a `Deleting` endpoint were being failed when the emulator
      // stopped; its deletion listeners do not run again, so fail them here.
      const endpoint = this.#state.endpoint(record.endpointName);
      if (!endpoint || endpoint.status === "Deleting") {
        this.#finishWithoutInstance(record, deletedBeforeStart(record));
        continue;
      }
      this.#queue(record.endpointName).queued.push(record);
      this.#armExpiry(record);
    }
    for (const queue of this.#queues.values()) {
      const name = queue.queued[0]?.endpointName;
      if (name !== undefined) this.pump(name);
    }
    this.#changed();
  }

  /** Stops timers (shutdown); running work is left to finish or be abandoned. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#expiry.values()) timer.cancel();
    this.#expiry.clear();
  }

  #queue(endpointName: string): EndpointQueue {
    const key = endpointName.toLowerCase();
    let queue = this.#queues.get(key);
    if (!queue) this.#queues.set(key, queue = { queued: [], running: new Map() });
    return queue;
  }

  #expiresAt(record: AsyncRequestRecord): number {
    return record.acceptedAt + record.requestTtlSeconds * 1000;
  }

  #armExpiry(record: AsyncRequestRecord): void {
    const timer = this.#context.clock.schedule(this.#expiresAt(record), () => {
      this.#expiry.delete(record.id);
      const queue = this.#queues.get(record.endpointName.toLowerCase());
      const index = queue?.queued.indexOf(record) ?? -1;
      if (!queue || index === -1) return;
      queue.queued.splice(index, 1);
      this.#expire(record);
    });
    this.#expiry.set(record.id, timer);
  }

  #config(record: AsyncRequestRecord): AsyncConfigRecord | undefined {
    return this.#state.endpoint(record.endpointName)?.asyncConfig;
  }

  #expire(record: AsyncRequestRecord): void {
    this.#expiry.get(record.id)?.cancel();
    this.#expiry.delete(record.id);
    this.#finishWithoutInstance(
      record,
      textFailure(
        `ClientError: Request expired: it waited in the queue longer than RequestTTLSeconds (${record.requestTtlSeconds} s).`,
        "ExpiredRequests",
        "Expired",
      ),
    );
  }

  #failQueued(endpointName: string): void {
    const queue = this.#queues.get(endpointName.toLowerCase());
    if (!queue) return;
    const records = queue.queued.splice(0);
    for (const record of records) {
      this.#expiry.get(record.id)?.cancel();
      this.#expiry.delete(record.id);
      this.#finishWithoutInstance(record, deletedBeforeStart(record));
    }
  }

  #abortRunning(endpointName: string): void {
    const queue = this.#queues.get(endpointName.toLowerCase());
    if (!queue) return;
    for (const running of [...queue.running.values()]) running.stop({ kind: "endpoint-deleted" });
    if (queue.running.size === 0 && queue.queued.length === 0) {
      this.#queues.delete(endpointName.toLowerCase());
    }
  }

  /** Finishes a request that never reached an instance (expired, endpoint deleted). */
  #finishWithoutInstance(record: AsyncRequestRecord, failure: FailureReport) {
    const config = this.#config(record);
    const variantName = this.#state.endpoint(record.endpointName)?.variants[0]
      ?.variantName ?? "AllTraffic";
    this.#inlineBodies.delete(record.id);
    this.#finishing.set(record.id, record);
    const work = (async () => {
      const finished = await finishWithFailure({
        context: this.#context,
        record,
        config,
        failure,
      });
      this.#finishing.delete(record.id);
      this.#changed();
      await this.#dropBlob(record);
      this.#emit(record, variantName, finished);
    })();
    this.#context.clock.track(work);
  }

  /**
   * Runs a request on a slot. Phase one (input + container call) is tracked
   * real work; the container's duration is waited out with a clock task; the
   * timeout is another clock task. Whichever ends the run first wins; the
   * result is written by work that the clock tracks.
   */
  #start(queue: EndpointQueue, record: AsyncRequestRecord, slot: InstanceSlot): void {
    this.#expiry.get(record.id)?.cancel();
    this.#expiry.delete(record.id);
    const clock = this.#context.clock;
    record.startedAt = clock.now();
    const abort = new AbortController();
    const config = this.#config(record);
    let done = false;
    let delivery: ScheduledTask | undefined;
    const finish = async (produce: () => Promise<FinishedInference>): Promise<void> => {
      if (done) return;
      done = true;
      timeout.cancel();
      delivery?.cancel();
      let finished: FinishedInference;
      try {
        finished = await produce();
      } finally {
        queue.running.delete(record.id);
        this.#inlineBodies.delete(record.id);
        this.#changed();
        slot.release();
      }
      await this.#dropBlob(record);
      this.#emit(record, slot.variantName, finished);
    };
    const fail = (failure: FailureReport) =>
      finish(() => finishWithFailure({ context: this.#context, record, config, failure }));
    const stop = (reason: AsyncAbortReason): Promise<void> => {
      if (done) return Promise.resolve();
      abort.abort(reason);
      return fail(abortedFailure(record, reason));
    };
    const timeout = clock.schedule(
      record.startedAt + record.invocationTimeoutSeconds * 1000,
      () => stop({ kind: "timeout" }),
    );
    queue.running.set(record.id, {
      record,
      stop: (reason) => clock.track(stop(reason)),
    });
    this.#changed();
    if (!config) {
      clock.track(fail(textFailure(
        `ClientError: Endpoint ${record.endpointName} has no AsyncInferenceConfig.`,
        "InvocationFailures",
      )));
      return;
    }
    const run = {
      context: this.#context,
      record,
      config,
      slot,
      inlineBody: this.#inlineBodies.get(record.id),
      signal: abort.signal,
    };
    clock.track((async () => {
      const prepared = await prepareAsyncInference(run);
      if (done) return;
      if (prepared.kind === "failed") {
        await fail(prepared.failure);
        return;
      }
      const deliver = () => finish(() => completeAsyncInference(run, prepared));
      if (prepared.readyAt <= clock.now()) await deliver();
      else delivery = clock.schedule(prepared.readyAt, deliver);
    })());
  }

  async #dropBlob(record: AsyncRequestRecord): Promise<void> {
    if (record.inlineBlobId !== undefined && this.#context.persistence.durable) {
      await this.#context.persistence.deleteBlob(record.inlineBlobId);
    }
  }

  #emit(record: AsyncRequestRecord, variantName: string, finished: FinishedInference): void {
    const outcome: InvocationOutcome = {
      endpointName: record.endpointName,
      variantName,
      inferenceId: record.inferenceId,
      status: finished.status,
      failureKind: finished.failureKind,
      acceptedAt: record.acceptedAt,
      startedAt: record.startedAt,
      finishedAt: this.#context.clock.now(),
      modelLatencyMs: finished.modelLatencyMs,
    };
    for (const listener of this.#listeners) {
      try {
        listener(outcome);
      } catch (error) {
        this.#context.reportError(error);
      }
    }
  }
}
