/**
 * SageMaker inside the emulator: the control-plane state, the endpoint
 * lifecycle and the async queue, saved together as the `sagemaker`
 * persistence section, and exposed to the other services as a
 * {@linkcode SageMakerBackend} (`context.sagemaker`). SageMaker Runtime's
 * handlers reach the queue through the same object.
 *
 * @module
 */
import { ASYNC_INPUT_BLOB_PREFIX } from "../async_queue/request.ts";
import { AsyncInvocationQueue, type AsyncQueueSnapshotData } from "../async_queue/queue.ts";
import type {
  AsyncQueueSnapshot,
  EmulatorContext,
  InvocationOutcome,
  SageMakerBackend,
  VariantCapacity,
} from "../context.ts";
import { EndpointLifecycle } from "./endpoint_lifecycle.ts";
import { SnapshotWriter } from "../persistence/snapshot_writer.ts";
import { currentInstanceCount, SageMakerState, type SageMakerStateSnapshot } from "./state.ts";

/** Persistence section holding SageMaker's state and queue. */
export const SAGEMAKER_PERSISTENCE_SECTION = "sagemaker";

interface SavedSageMaker {
  state: SageMakerStateSnapshot;
  queue: AsyncQueueSnapshotData;
}

/** The emulator's SageMaker: state, lifecycle, queue, persistence. */
export class SageMakerEmulatorBackend implements SageMakerBackend {
  readonly context: EmulatorContext;
  readonly state: SageMakerState;
  readonly lifecycle: EndpointLifecycle;
  readonly queue: AsyncInvocationQueue;
  readonly #writer: SnapshotWriter;

  constructor(context: EmulatorContext) {
    this.context = context;
    this.state = new SageMakerState(context.config);
    this.#writer = new SnapshotWriter({
      persistence: context.persistence,
      section: SAGEMAKER_PERSISTENCE_SECTION,
      snapshot: (): SavedSageMaker => ({ state: this.state.snapshot(), queue: this.queue.data() }),
    });
    const changed = () => this.changed();
    this.lifecycle = new EndpointLifecycle({
      context,
      state: this.state,
      changed,
    });
    this.queue = new AsyncInvocationQueue({
      context,
      state: this.state,
      lifecycle: this.lifecycle,
      changed,
      flush: () => this.#writer.flush(),
    });
  }

  /** Loads saved state (if any), re-arms timers and resumes queued requests. */
  async load(): Promise<void> {
    const saved = await this.context.persistence.load<SavedSageMaker>(
      SAGEMAKER_PERSISTENCE_SECTION,
    );
    if (saved) {
      this.state.restore(saved.state);
      this.lifecycle.resume();
      await this.queue.restore(saved.queue);
    }
    // Inline payloads of requests that crashed before they were acknowledged.
    const referenced = new Set(saved?.queue.requests.map((r) => r.inlineBlobId) ?? []);
    for (const id of await this.context.persistence.listBlobs?.() ?? []) {
      if (id.startsWith(ASYNC_INPUT_BLOB_PREFIX) && !referenced.has(id)) {
        await this.context.persistence.deleteBlob(id);
      }
    }
  }

  /** Saves in the background (errors go to `context.reportError`). */
  changed(): void {
    this.#writer.commitInBackground(this.context);
  }

  /** Saves now; resolves once durable, rejects if the save fails. */
  flush(): Promise<void> {
    return this.#writer.commit();
  }

  /** Stops timers and saves a final snapshot. */
  async close(): Promise<void> {
    this.queue.close();
    this.lifecycle.close();
    await this.flush();
    await this.#writer.flush();
  }

  endpointNames(): string[] {
    return [...this.state.endpoints.values()].map((e) => e.name);
  }

  isAsync(endpointName: string): boolean {
    return this.state.endpoint(endpointName)?.asyncConfig !== undefined;
  }

  variants(endpointName: string): VariantCapacity[] {
    const endpoint = this.state.endpoint(endpointName);
    if (!endpoint) return [];
    return endpoint.variants.map((v) => ({
      endpointName: endpoint.name,
      variantName: v.variantName,
      instanceType: v.instanceType,
      desiredInstanceCount: v.desiredInstanceCount,
      currentInstanceCount: currentInstanceCount(v),
    }));
  }

  endpointStatus(endpointName: string): string | undefined {
    return this.state.endpoint(endpointName)?.status;
  }

  queueSnapshot(endpointName: string): AsyncQueueSnapshot | undefined {
    const endpoint = this.state.endpoint(endpointName);
    if (!endpoint?.asyncConfig) return undefined;
    return this.queue.snapshot(endpoint.name);
  }

  setDesiredInstanceCount(endpointName: string, variantName: string, count: number): void {
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(
        `Cannot set desired instance count ${count} on ${endpointName}/${variantName}: must be an integer >= 0`,
      );
    }
    this.lifecycle.updateCapacity(endpointName, [{ variantName, desiredInstanceCount: count }]);
  }

  onInvocationFinished(listener: (outcome: InvocationOutcome) => void): void {
    this.queue.onFinished(listener);
  }

  onEndpointDeleted(listener: (endpointName: string) => void): void {
    this.lifecycle.onDeleted(listener);
  }
}
