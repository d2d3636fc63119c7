/**
 * A small stand-in for the emulator's SageMaker backend, for CloudWatch and
 * Application Auto Scaling tests: endpoints with one variant, instances that
 * launch after `launchMs` and drain on scale-in (finishing their request),
 * and an async queue whose requests take `inferenceMs`, all on the
 * emulator clock. Like SageMaker it reports the endpoint `Updating` while
 * instances launch or drain, and refuses capacity changes then. It counts
 * how often each request started, so tests can prove nothing ran twice.
 *
 * @module
 */
import type { EmulatorClock } from "../../../emulator/clock.ts";
import type {
  AsyncQueueSnapshot,
  EmulatorContext,
  InvocationOutcome,
  SageMakerBackend,
  VariantCapacity,
} from "../../../emulator/context.ts";
import { AwsError } from "../../../emulator/errors.ts";
import type { ServiceFactory } from "../../../emulator/service.ts";

interface Instance {
  id: number;
  state: "launching" | "in-service" | "draining";
  busy: number;
}

interface Request {
  id: string;
  acceptedAt: number;
}

interface Endpoint {
  name: string;
  async: boolean;
  variantName: string;
  desired: number;
  instances: Instance[];
  queued: Request[];
  running: Map<string, { request: Request; instance: Instance; startedAt: number }>;
}

/** Options for {@linkcode FakeSageMaker}. */
export interface FakeSageMakerOptions {
  clock: EmulatorClock;
  /** Instance launch time. Default 8 minutes. */
  launchMs?: number;
  /** Duration of one request. Default 2 minutes. */
  inferenceMs?: number;
  /** Requests one instance runs at once. Default 1. */
  concurrency?: number;
}

/** The fake. */
export class FakeSageMaker implements SageMakerBackend {
  readonly clock: EmulatorClock;
  readonly launchMs: number;
  readonly inferenceMs: number;
  readonly concurrency: number;
  /** How many times each request id started running. */
  readonly starts = new Map<string, number>();
  /** Every finished request. */
  readonly finished: InvocationOutcome[] = [];
  readonly #endpoints = new Map<string, Endpoint>();
  readonly #finishedListeners: Array<(o: InvocationOutcome) => void> = [];
  readonly #deletedListeners: Array<(name: string) => void> = [];
  #nextInstance = 1;
  #nextRequest = 1;

  constructor(options: FakeSageMakerOptions) {
    this.clock = options.clock;
    this.launchMs = options.launchMs ?? 8 * 60_000;
    this.inferenceMs = options.inferenceMs ?? 2 * 60_000;
    this.concurrency = options.concurrency ?? 1;
  }

  /** A service factory that registers this fake as `context.sagemaker`. */
  factory(): ServiceFactory {
    return (context: EmulatorContext) => {
      context.sagemaker = this;
      const refuse = (error: AwsError, requestId: string) =>
        new Response(JSON.stringify({ __type: error.code, message: error.message }), {
          status: error.status,
          headers: { "x-amzn-requestid": requestId },
        });
      return {
        key: "sagemaker",
        handle: (request) =>
          Promise.resolve(
            refuse(new AwsError("UnknownOperationException", "fake SageMaker"), request.requestId),
          ),
        renderError: (error, request) => refuse(error, request.requestId),
      };
    };
  }

  /** Creates an endpoint that is in service at once with `instances` instances. */
  createEndpoint(
    name: string,
    options: { async?: boolean; instances?: number; variantName?: string } = {},
  ): void {
    const count = options.instances ?? 1;
    this.#endpoints.set(name, {
      name,
      async: options.async ?? true,
      variantName: options.variantName ?? "AllTraffic",
      desired: count,
      instances: Array.from({ length: count }, () => ({
        id: this.#nextInstance++,
        state: "in-service" as const,
        busy: 0,
      })),
      queued: [],
      running: new Map(),
    });
  }

  /** Deletes an endpoint (its queue is dropped) and tells the listeners. */
  deleteEndpoint(name: string): void {
    this.#endpoints.delete(name);
    for (const listener of this.#deletedListeners) listener(name);
  }

  /** Accepts an async request; returns its id. */
  submit(endpointName: string): string {
    const endpoint = this.#require(endpointName);
    const request = { id: `req-${this.#nextRequest++}`, acceptedAt: this.clock.now() };
    endpoint.queued.push(request);
    this.#dispatch(endpoint);
    return request.id;
  }

  endpointNames(): string[] {
    return [...this.#endpoints.keys()];
  }

  isAsync(endpointName: string): boolean {
    return this.#endpoints.get(endpointName)?.async ?? false;
  }

  variants(endpointName: string): VariantCapacity[] {
    const e = this.#endpoints.get(endpointName);
    if (!e) return [];
    return [{
      endpointName: e.name,
      variantName: e.variantName,
      instanceType: "ml.g5.12xlarge",
      desiredInstanceCount: e.desired,
      currentInstanceCount: e.instances.filter((i) => i.state === "in-service").length,
    }];
  }

  endpointStatus(endpointName: string): string | undefined {
    const e = this.#endpoints.get(endpointName);
    if (!e) return undefined;
    return e.instances.some((i) => i.state !== "in-service") ? "Updating" : "InService";
  }

  queueSnapshot(endpointName: string): AsyncQueueSnapshot | undefined {
    const e = this.#endpoints.get(endpointName);
    if (!e?.async) return undefined;
    return {
      endpointName,
      queued: e.queued.length,
      inProgress: e.running.size,
      oldestQueuedAt: e.queued[0]?.acceptedAt,
    };
  }

  setDesiredInstanceCount(endpointName: string, variantName: string, count: number): void {
    const e = this.#endpoints.get(endpointName);
    if (!e) {
      throw new AwsError("ValidationException", `Could not find endpoint "${endpointName}".`);
    }
    if (variantName !== e.variantName) {
      throw new AwsError(
        "ValidationException",
        `The variant(s) "[${variantName}]" are not present in the endpoint "${endpointName}".`,
      );
    }
    if (this.endpointStatus(endpointName) !== "InService") {
      throw new AwsError(
        "ValidationException",
        `Cannot update in-progress endpoint "arn:aws:sagemaker:us-east-1:123456789012:endpoint/${endpointName}".`,
      );
    }
    const active = e.instances.filter((i) => i.state !== "draining");
    e.desired = count;
    if (count > active.length) {
      for (let n = active.length; n < count; n++) {
        const instance: Instance = { id: this.#nextInstance++, state: "launching", busy: 0 };
        e.instances.push(instance);
        this.clock.schedule(this.clock.now() + this.launchMs, () => {
          instance.state = "in-service";
          this.#dispatch(e);
        });
      }
    } else {
      const surplus = active.length - count;
      const byIdleFirst = [...active].sort((a, b) => a.busy - b.busy);
      for (const instance of byIdleFirst.slice(0, surplus)) {
        instance.state = "draining";
        if (instance.busy === 0) e.instances = e.instances.filter((i) => i !== instance);
      }
    }
  }

  onInvocationFinished(listener: (outcome: InvocationOutcome) => void): void {
    this.#finishedListeners.push(listener);
  }

  onEndpointDeleted(listener: (endpointName: string) => void): void {
    this.#deletedListeners.push(listener);
  }

  #require(name: string): Endpoint {
    const e = this.#endpoints.get(name);
    if (!e) throw new Error(`No fake endpoint ${name}`);
    return e;
  }

  #dispatch(e: Endpoint): void {
    for (const instance of e.instances) {
      while (instance.state === "in-service" && instance.busy < this.concurrency) {
        const request = e.queued.shift();
        if (!request) return;
        instance.busy++;
        const startedAt = this.clock.now();
        this.starts.set(request.id, (this.starts.get(request.id) ?? 0) + 1);
        e.running.set(request.id, { request, instance, startedAt });
        this.clock.schedule(startedAt + this.inferenceMs, () => {
          e.running.delete(request.id);
          instance.busy--;
          if (instance.state === "draining" && instance.busy === 0) {
            e.instances = e.instances.filter((i) => i !== instance);
          }
          const outcome: InvocationOutcome = {
            endpointName: e.name,
            variantName: e.variantName,
            inferenceId: request.id,
            status: "Completed",
            acceptedAt: request.acceptedAt,
            startedAt,
            finishedAt: this.clock.now(),
            modelLatencyMs: this.inferenceMs,
          };
          this.finished.push(outcome);
          for (const listener of this.#finishedListeners) listener(outcome);
          this.#dispatch(e);
        });
      }
    }
  }
}
