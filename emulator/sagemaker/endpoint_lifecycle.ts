/**
 * Endpoints over time, on the emulator clock: creation (`Creating` for
 * `timings.endpointCreationMs`, then instances launch for
 * `timings.instanceLaunchMs` each, then `InService`, or `Failed` with a
 * `FailureReason` when the model's container cannot run or fails its ping),
 * capacity changes (`Updating` while instances launch or drain), and deletion
 * (`Deleting`, gone after `timings.endpointDeletionMs`).
 *
 * Instances: each variant has a desired count and instances that are
 * `Launching`, `InService` or `Draining`. Raising the desired count launches
 * instances; lowering it (only accepted `InService`, so nothing is
 * launching) removes idle instances at once and drains busy ones. A draining
 * instance takes no new work and is removed once its in-flight inferences
 * finish, so nothing running is cut off. The current instance count is the
 * number of `InService` instances.
 *
 * @module
 */
import type { ScheduledTask } from "../clock.ts";
import type { ModelContainer } from "../containers/container.ts";
import { type ContainerResolution, resolveModelContainer } from "../containers/resolve.ts";
import type { EmulatorContext } from "../context.ts";
import { AwsError } from "../errors.ts";
import type { EndpointRecord, SageMakerState, VariantRecord } from "./state.ts";
import { validationException } from "./validation.ts";

/**
 * Per-account, per-instance-type limit on instances across all endpoints
 * (the emulator's choice; AWS's "<type> for endpoint usage" quotas vary by
 * account and type, often 0-2 for large GPU types in new accounts).
 */
export const ENDPOINT_INSTANCES_PER_TYPE_LIMIT = 20;

/**
 * Concurrent invocations per instance when `MaxConcurrentInvocationsPerInstance`
 * is not set (SageMaker "chooses an optimal value"; the emulator picks 4).
 */
export const DEFAULT_MAX_CONCURRENT_INVOCATIONS_PER_INSTANCE = 4;

/** How long a container has to answer `/ping` once its instance is up. */
export const PING_TIMEOUT_MS = 60_000;

/** A place on an instance to run one inference; release it when done. */
export interface InstanceSlot {
  readonly endpointName: string;
  readonly variantName: string;
  readonly instanceId: string;
  readonly container: ModelContainer;
  /** Frees the slot (drains the instance if it was draining). Idempotent. */
  release(): void;
}

/** A desired-capacity change for one variant. */
export interface CapacityChange {
  readonly variantName: string;
  readonly desiredInstanceCount?: number;
  readonly desiredWeight?: number;
}

/** Options for {@linkcode EndpointLifecycle}. */
export interface EndpointLifecycleOptions {
  context: EmulatorContext;
  state: SageMakerState;
  /** Called after every state change (persistence). */
  changed: () => void;
}

/** Runs endpoint lifecycles and instance fleets. */
export class EndpointLifecycle {
  readonly #context: EmulatorContext;
  readonly #state: SageMakerState;
  readonly #changed: () => void;
  readonly #timers = new Map<string, Set<ScheduledTask>>();
  readonly #inFlight = new Map<string, number>();
  readonly #containers = new Map<string, ContainerResolution>();
  readonly #capacityListeners: Array<(endpointName: string) => void> = [];
  readonly #deletingListeners: Array<(endpointName: string) => void> = [];
  readonly #deletedListeners: Array<(endpointName: string) => void> = [];

  constructor(options: EndpointLifecycleOptions) {
    this.#context = options.context;
    this.#state = options.state;
    this.#changed = options.changed;
  }

  /** Called when an endpoint may have free instance capacity. */
  onCapacity(listener: (endpointName: string) => void): void {
    this.#capacityListeners.push(listener);
  }

  /** Called when an endpoint starts deleting. */
  onDeleting(listener: (endpointName: string) => void): void {
    this.#deletingListeners.push(listener);
  }

  /** Called when an endpoint is gone. */
  onDeleted(listener: (endpointName: string) => void): void {
    this.#deletedListeners.push(listener);
  }

  /** In-flight inferences on an instance. */
  inFlight(instanceId: string): number {
    return this.#inFlight.get(instanceId) ?? 0;
  }

  /** Max concurrent invocations per instance of an endpoint. */
  maxConcurrency(endpoint: EndpointRecord): number {
    return endpoint.asyncConfig?.maxConcurrentInvocationsPerInstance ??
      DEFAULT_MAX_CONCURRENT_INVOCATIONS_PER_INSTANCE;
  }

  /**
   * Throws `ResourceLimitExceeded` if adding `delta` instances of `type`
   * would pass {@linkcode ENDPOINT_INSTANCES_PER_TYPE_LIMIT}.
   */
  checkInstanceLimit(type: string, delta: number): void {
    if (delta <= 0) return;
    let used = 0;
    for (const endpoint of this.#state.endpoints.values()) {
      if (endpoint.status === "Deleting" || endpoint.status === "Failed") continue;
      for (const variant of endpoint.variants) {
        if (variant.instanceType === type) used += variant.desiredInstanceCount;
      }
    }
    if (used + delta > ENDPOINT_INSTANCES_PER_TYPE_LIMIT) {
      throw new AwsError(
        "ResourceLimitExceeded",
        `The account-level service limit '${type} for endpoint usage' is ${ENDPOINT_INSTANCES_PER_TYPE_LIMIT} Instances, with current utilization of ${used} Instances and a request delta of ${delta} Instances. Please use AWS Service Quotas to request an increase for this quota. If AWS Service Quotas is not available, contact AWS support to request an increase for this quota.`,
      );
    }
  }

  /** Starts the lifecycle of an endpoint just stored in `Creating`. */
  create(endpoint: EndpointRecord): void {
    endpoint.pendingUntil = this.#now() + this.#context.config.timings.endpointCreationMs;
    this.#schedule(endpoint, endpoint.pendingUntil, () => this.#finishControlPlane(endpoint));
    this.#changed();
  }

  /** Starts deleting an endpoint (any status but `Deleting`, which is a no-op). */
  delete(endpoint: EndpointRecord): void {
    if (endpoint.status === "Deleting") return;
    this.#cancelTimers(endpoint);
    endpoint.status = "Deleting";
    endpoint.lastModifiedTime = this.#now();
    for (const variant of endpoint.variants) {
      variant.instances = variant.instances.filter((i) => i.status !== "Launching");
    }
    endpoint.pendingUntil = this.#now() + this.#context.config.timings.endpointDeletionMs;
    this.#schedule(endpoint, endpoint.pendingUntil, () => this.#remove(endpoint));
    this.#changed();
    for (const listener of this.#deletingListeners) listener(endpoint.name);
  }

  /**
   * Changes desired counts and weights (UpdateEndpointWeightsAndCapacities,
   * Application Auto Scaling). All-or-nothing: validated before any change.
   */
  updateCapacity(name: string, changes: readonly CapacityChange[]): EndpointRecord {
    const endpoint = this.#state.requireEndpoint(name);
    if (endpoint.status !== "InService") {
      throw validationException(`Cannot update in-progress endpoint "${endpoint.arn}".`);
    }
    const targets: Array<[VariantRecord, CapacityChange]> = [];
    const missing: string[] = [];
    for (const change of changes) {
      const variant = endpoint.variants.find((v) => v.variantName === change.variantName);
      if (!variant) missing.push(change.variantName);
      else targets.push([variant, change]);
    }
    if (missing.length > 0) {
      throw validationException(
        `The variant(s) "[${
          missing.join(", ")
        }]" are not present in the endpoint "${endpoint.arn}".`,
      );
    }
    const deltas = new Map<string, number>();
    for (const [variant, change] of targets) {
      if (change.desiredInstanceCount === undefined) continue;
      if (change.desiredInstanceCount === 0 && !endpoint.asyncConfig) {
        throw validationException(
          `DesiredInstanceCount 0 is only supported for asynchronous inference endpoints; variant "${variant.variantName}" of endpoint "${endpoint.arn}" is real-time.`,
        );
      }
      const delta = change.desiredInstanceCount - variant.desiredInstanceCount;
      deltas.set(variant.instanceType, (deltas.get(variant.instanceType) ?? 0) + delta);
    }
    for (const [type, delta] of deltas) this.checkInstanceLimit(type, delta);
    for (const [variant, change] of targets) {
      if (change.desiredWeight !== undefined) {
        variant.desiredWeight = change.desiredWeight;
        variant.currentWeight = change.desiredWeight;
      }
      if (change.desiredInstanceCount !== undefined) {
        variant.desiredInstanceCount = change.desiredInstanceCount;
        this.#reconcile(endpoint, variant);
      }
    }
    endpoint.lastModifiedTime = this.#now();
    this.#settle(endpoint);
    this.#changed();
    return endpoint;
  }

  /**
   * Takes a free slot on an in-service instance of the endpoint (the least
   * busy one), or `undefined` when every instance is full or there are none.
   */
  acquire(name: string): InstanceSlot | undefined {
    const endpoint = this.#state.endpoint(name);
    if (!endpoint || (endpoint.status !== "InService" && endpoint.status !== "Updating")) {
      return undefined;
    }
    const best = this.#leastBusy(endpoint.variants, this.maxConcurrency(endpoint));
    if (!best) return undefined;
    const container = this.containerFor(endpoint, best.variant);
    if (!container) return undefined;
    return this.#slot(endpoint, best.variant, best.id, container);
  }

  /**
   * Picks a variant for a real-time invocation (`TargetVariant`, or by
   * weight) and a slot on its least busy instance, ignoring the async
   * concurrency limit. Throws `ValidationError` for an unknown target variant.
   */
  acquireRealtime(name: string, targetVariant: string | undefined): InstanceSlot | undefined {
    const endpoint = this.#state.requireEndpoint(name);
    let candidates = endpoint.variants.filter((v) =>
      v.instances.some((i) => i.status === "InService")
    );
    if (targetVariant !== undefined) {
      if (!endpoint.variants.some((v) => v.variantName === targetVariant)) {
        throw new AwsError(
          "ValidationError",
          `Endpoint ${endpoint.name} does not have target variant ${targetVariant}.`,
        );
      }
      candidates = candidates.filter((v) => v.variantName === targetVariant);
    }
    if (candidates.length === 0) return undefined;
    const total = candidates.reduce((sum, v) => sum + v.currentWeight, 0);
    let pick = candidates[0]!;
    if (total > 0) {
      let r = Math.random() * total;
      for (const v of candidates) {
        r -= v.currentWeight;
        if (r < 0) {
          pick = v;
          break;
        }
      }
    }
    const best = this.#leastBusy([pick], Infinity);
    const container = this.containerFor(endpoint, pick);
    if (!best || !container) return undefined;
    return this.#slot(endpoint, pick, best.id, container);
  }

  /** The container of a variant (resolved once), or `undefined` when it cannot run. */
  containerFor(endpoint: EndpointRecord, variant: VariantRecord): ModelContainer | undefined {
    return this.#resolution(endpoint, variant).container;
  }

  /** Re-arms timers after a restart (state loaded from persistence). */
  resume(): void {
    const now = this.#now();
    for (const endpoint of this.#state.endpoints.values()) {
      for (const variant of endpoint.variants) {
        // In-flight work did not survive the restart (the queue re-runs it).
        variant.instances = variant.instances.filter((i) => i.status !== "Draining");
      }
      if (endpoint.status === "Deleting") {
        this.#schedule(endpoint, Math.max(now, endpoint.pendingUntil ?? now), () => {
          this.#remove(endpoint);
        });
        continue;
      }
      if (endpoint.status === "Creating" && endpoint.pendingUntil !== undefined) {
        this.#schedule(endpoint, Math.max(now, endpoint.pendingUntil), () => {
          this.#finishControlPlane(endpoint);
        });
        continue;
      }
      for (const variant of endpoint.variants) {
        for (const instance of variant.instances) {
          if (instance.status !== "Launching") continue;
          this.#schedule(
            endpoint,
            Math.max(now, instance.readyAt),
            () => this.#instanceReady(endpoint, variant, instance.id),
          );
        }
      }
      this.#settle(endpoint);
    }
    this.#changed();
  }

  /** Cancels every timer (shutdown). */
  close(): void {
    for (const timers of this.#timers.values()) {
      for (const timer of timers) timer.cancel();
    }
    this.#timers.clear();
  }

  #now(): number {
    return this.#context.clock.now();
  }

  /** The in-service instance with the fewest in-flight inferences, below `limit`. */
  #leastBusy(
    variants: readonly VariantRecord[],
    limit: number,
  ): { variant: VariantRecord; id: string } | undefined {
    let best: { variant: VariantRecord; id: string; load: number } | undefined;
    for (const variant of variants) {
      for (const instance of variant.instances) {
        if (instance.status !== "InService") continue;
        const load = this.inFlight(instance.id);
        if (load < limit && (!best || load < best.load)) best = { variant, id: instance.id, load };
      }
    }
    return best;
  }

  #resolution(endpoint: EndpointRecord, variant: VariantRecord): ContainerResolution {
    const key = `${endpoint.name.toLowerCase()}/${variant.variantName}`;
    let resolution = this.#containers.get(key);
    if (!resolution) {
      resolution = resolveModelContainer(variant.container, {
        timings: this.#context.config.timings,
      });
      this.#containers.set(key, resolution);
    }
    return resolution;
  }

  #slot(
    endpoint: EndpointRecord,
    variant: VariantRecord,
    instanceId: string,
    container: ModelContainer,
  ): InstanceSlot {
    this.#inFlight.set(instanceId, this.inFlight(instanceId) + 1);
    let released = false;
    return {
      endpointName: endpoint.name,
      variantName: variant.variantName,
      instanceId,
      container,
      release: () => {
        if (released) return;
        released = true;
        const left = this.inFlight(instanceId) - 1;
        if (left > 0) this.#inFlight.set(instanceId, left);
        else this.#inFlight.delete(instanceId);
        const instance = variant.instances.find((i) => i.id === instanceId);
        if (instance?.status === "Draining" && left <= 0) {
          variant.instances = variant.instances.filter((i) => i.id !== instanceId);
          this.#settle(endpoint);
          this.#changed();
        }
        this.#notifyCapacity(endpoint);
      },
    };
  }

  #schedule(endpoint: EndpointRecord, at: number, task: () => void | Promise<void>): void {
    const key = endpoint.name.toLowerCase();
    let timers = this.#timers.get(key);
    if (!timers) this.#timers.set(key, timers = new Set());
    const set = timers;
    const handle: ScheduledTask = this.#context.clock.schedule(at, () => {
      set.delete(handle);
      return task();
    });
    set.add(handle);
  }

  #cancelTimers(endpoint: EndpointRecord): void {
    const key = endpoint.name.toLowerCase();
    for (const timer of this.#timers.get(key) ?? []) timer.cancel();
    this.#timers.delete(key);
  }

  #finishControlPlane(endpoint: EndpointRecord): void {
    endpoint.pendingUntil = undefined;
    for (const variant of endpoint.variants) {
      const resolution = this.#resolution(endpoint, variant);
      if (resolution.failureReason !== undefined) {
        this.#fail(endpoint, resolution.failureReason);
        return;
      }
    }
    for (const variant of endpoint.variants) this.#reconcile(endpoint, variant);
    this.#settle(endpoint);
    this.#changed();
  }

  #fail(endpoint: EndpointRecord, reason: string): void {
    this.#cancelTimers(endpoint);
    endpoint.status = "Failed";
    endpoint.failureReason = reason;
    endpoint.lastModifiedTime = this.#now();
    for (const variant of endpoint.variants) variant.instances = [];
    this.#changed();
  }

  /** Launches or drains instances until the variant's live count matches its desired count. */
  #reconcile(endpoint: EndpointRecord, variant: VariantRecord): void {
    const live = variant.instances.filter((i) => i.status !== "Draining");
    let surplus = live.length - variant.desiredInstanceCount;
    if (surplus < 0) {
      const launchMs = this.#context.config.timings.instanceLaunchMs;
      for (let i = 0; i < -surplus; i++) {
        const now = this.#now();
        const id = `i-${this.#context.newId().replaceAll("-", "").slice(0, 17)}`;
        variant.instances.push({
          id,
          status: "Launching",
          launchedAt: now,
          readyAt: now + launchMs,
        });
        this.#schedule(endpoint, now + launchMs, () => this.#instanceReady(endpoint, variant, id));
      }
      return;
    }
    // Capacity changes are only accepted in service, when nothing launches:
    // the surplus is drained from serving instances, idle ones first.
    const serving = live
      .filter((i) => i.status === "InService")
      .sort((a, b) => this.inFlight(a.id) - this.inFlight(b.id));
    for (const instance of serving) {
      if (surplus === 0) break;
      surplus--;
      if (this.inFlight(instance.id) === 0) {
        variant.instances = variant.instances.filter((i) => i !== instance);
      } else {
        instance.status = "Draining";
      }
    }
  }

  async #instanceReady(
    endpoint: EndpointRecord,
    variant: VariantRecord,
    instanceId: string,
  ): Promise<void> {
    const instance = variant.instances.find((i) => i.id === instanceId);
    if (!instance || instance.status !== "Launching") return;
    const container = this.containerFor(endpoint, variant);
    let healthy = false;
    if (container) {
      const abort = new AbortController();
      const timeout = this.#context.clock.schedule(
        this.#now() + PING_TIMEOUT_MS,
        () => abort.abort(),
      );
      try {
        healthy = await container.ping(abort.signal);
      } finally {
        timeout.cancel();
      }
    }
    // The endpoint may have been deleted or resized while pinging.
    if (!variant.instances.includes(instance) || instance.status !== "Launching") return;
    if (healthy) {
      instance.status = "InService";
      this.#settle(endpoint);
      this.#changed();
      this.#notifyCapacity(endpoint);
      return;
    }
    const detail = container?.startupError;
    if (endpoint.status === "Creating") {
      this.#fail(
        endpoint,
        `The primary container for production variant ${variant.variantName} did not pass the ping health check. Please check CloudWatch logs for this endpoint.${
          detail ? ` (${detail})` : ""
        }`,
      );
      return;
    }
    // A scale-out that cannot start: drop the instance and settle at what runs.
    variant.instances = variant.instances.filter((i) => i !== instance);
    variant.desiredInstanceCount = variant.instances.filter((i) => i.status !== "Draining").length;
    this.#settle(endpoint);
    this.#changed();
  }

  /** `Creating`/`Updating` -> `InService` once nothing launches or drains. */
  #settle(endpoint: EndpointRecord): void {
    if (
      endpoint.status !== "Creating" && endpoint.status !== "Updating" &&
      endpoint.status !== "InService"
    ) return;
    if (endpoint.status === "Creating" && endpoint.pendingUntil !== undefined) return;
    const busy = endpoint.variants.some((v) =>
      v.instances.some((i) => i.status === "Launching" || i.status === "Draining")
    );
    const next = busy ? (endpoint.status === "Creating" ? "Creating" : "Updating") : "InService";
    if (next !== endpoint.status) {
      endpoint.status = next;
      endpoint.lastModifiedTime = this.#now();
    }
  }

  #remove(endpoint: EndpointRecord): void {
    this.#cancelTimers(endpoint);
    const key = endpoint.name.toLowerCase();
    if (this.#state.endpoints.get(key) !== endpoint) return;
    this.#state.endpoints.delete(key);
    this.#state.tags.delete(endpoint.arn);
    for (const variant of endpoint.variants) {
      this.#containers.delete(`${key}/${variant.variantName}`);
    }
    this.#changed();
    for (const listener of this.#deletedListeners) listener(endpoint.name);
  }

  #notifyCapacity(endpoint: EndpointRecord): void {
    for (const listener of this.#capacityListeners) listener(endpoint.name);
  }
}
