/**
 * Cold starts of an endpoint that scales to zero: whether a request sent now
 * will be served, whether it will wake the endpoint by itself, raising the
 * desired instance count when allowed to, and one shared `DescribeEndpoint`
 * loop that reports the phases (waiting for capacity, instance starting,
 * running) until an instance is in service.
 *
 * Nothing here depends on LangChain.
 *
 * @module
 */
import {
  DescribeEndpointCommand,
  UpdateEndpointWeightsAndCapacitiesCommand,
} from "@aws-sdk/client-sagemaker";
import type { AwsClients } from "../clients.ts";
import { type Clock, systemClock } from "../clock.ts";
import { EndpointFailedError, WaitTimeoutError } from "../errors.ts";
import {
  type CapacityEvent,
  type CapacityPhase,
  emitProgress,
  formatDuration,
  type ProgressCallback,
} from "../progress.ts";
import {
  describeScaleToZero,
  type ScaleToZeroNames,
  type VariantCapacity,
} from "../scale_to_zero.ts";
import { assertDurationMs, assertSageMakerName } from "../validation.ts";
import { isSageMakerNotFoundError } from "../wait_for_endpoint.ts";
import { EndpointAtZeroError } from "./errors.ts";

/**
 * What to do when the endpoint has zero instances and no scale-from-zero
 * policy: `never` fails with {@linkcode EndpointAtZeroError} without
 * submitting; `set-desired-count` raises the desired instance count of its
 * variants to 1 (`UpdateEndpointWeightsAndCapacities`) and submits.
 */
export type WakeEndpoint = "never" | "set-desired-count";

/** Instance counts of an endpoint, as one `DescribeEndpoint` showed them. */
export interface EndpointCapacity {
  /** The endpoint. */
  readonly endpointName: string;
  /** `EndpointStatus`. */
  readonly status: string | undefined;
  /** Every production variant. */
  readonly variants: readonly VariantCapacity[];
  /** Instances in service, all variants together. */
  readonly currentInstanceCount: number;
  /** Instances wanted, all variants together. */
  readonly desiredInstanceCount: number;
}

/**
 * How a request sent now will be served: `running` (an instance is in
 * service), or why waiting for one makes sense: `instance-starting` (the
 * desired count is above the current one), `wakes-from-zero` (the
 * scale-from-zero policy will react to the queued request) or
 * `desired-count-raised` (the guard raised it, as `wakeEndpoint` allowed).
 */
export type CapacityState =
  | "running"
  | "instance-starting"
  | "wakes-from-zero"
  | "desired-count-raised";

/** What {@linkcode ColdStartGuard.admit} found (and did). */
export interface CapacityCheck {
  /** Whether a request will be served now, or why it will be once an instance starts. */
  readonly state: CapacityState;
  /** The capacity it saw (after raising the desired count, for `desired-count-raised`). */
  readonly capacity: EndpointCapacity;
  /** Clock time of the check, epoch ms. */
  readonly checkedAt: number;
}

/** Options for {@linkcode ColdStartGuard}. */
export interface ColdStartGuardOptions {
  /**
   * SageMaker for `DescribeEndpoint` (and the desired count); Auto Scaling
   * and CloudWatch to look for the scale-from-zero policy.
   */
  clients: Pick<AwsClients, "sagemaker" | "autoscaling" | "cloudwatch">;
  /** The endpoint. */
  endpointName: string;
  /** Without a scale-from-zero policy: fail (`never`, the default) or raise the desired count. */
  wakeEndpoint?: WakeEndpoint;
  /** Names of the scale-from-zero policy and alarm, if not `enableScaleToZero`'s defaults. */
  scaleToZeroNames?: Partial<Omit<ScaleToZeroNames, "resourceId">>;
  /** Delay between `DescribeEndpoint` polls while waiting for capacity, ms. Default 15,000. */
  pollIntervalMs?: number;
  /** Time source. Default the system clock. */
  clock?: Clock;
}

/** Options for {@linkcode ColdStartGuard.waitForCapacity}. */
export interface WaitForCapacityOptions {
  /** Give up this long after `startedAt` with a `WaitTimeoutError`, ms (`Infinity`: never). */
  timeoutMs: number;
  /** When the wait began, epoch ms (e.g. the check's `checkedAt`). Default now. */
  startedAt?: number;
  /** The capacity already known, reported at once (e.g. the check's). */
  initial?: EndpointCapacity;
  /** What the caller waits for, named in the timeout error. */
  waitingFor?: string;
  /** Stops this wait; it rejects with `signal.reason` unchanged. */
  signal?: AbortSignal;
  /** Receives a `capacity` event for every observation. */
  onProgress?: ProgressCallback;
}

/** Consecutive failed polls tolerated before the waits reject with the error. */
const MAX_CONSECUTIVE_ERRORS = 3;

interface SharedCheck {
  readonly promise: Promise<CapacityCheck>;
  readonly controller: AbortController;
  members: number;
}

interface Listener {
  readonly startedAt: number;
  readonly waitingFor: string;
  readonly onProgress: ProgressCallback | undefined;
  polls: number;
  last: EndpointCapacity | undefined;
  lastAt: number | undefined;
  settled: boolean;
  resolve(capacity: EndpointCapacity): void;
  reject(error: unknown): void;
}

/**
 * Decides, before a request is submitted, whether an endpoint that may be
 * at zero instances will serve it, and waits for capacity afterwards.
 *
 * {@linkcode ColdStartGuard.admit} reads `DescribeEndpoint`: with an
 * instance in service the request can go; at zero it looks for something
 * that will start one (a desired count above zero, or the
 * `HasBacklogWithoutCapacity` step policy whose alarm reacts to the queued
 * request itself), raises the desired count when `wakeEndpoint` allows, and
 * otherwise throws {@linkcode EndpointAtZeroError} so that nothing is
 * submitted that would never run. Concurrent checks share one look-up.
 *
 * {@linkcode ColdStartGuard.waitForCapacity} joins one polling loop shared
 * by every waiting caller and resolves once an instance is in service.
 *
 * @example An endpoint at zero that wakes itself
 * ```ts
 * import {
 *   ApplicationAutoScalingClient,
 *   DescribeScalingPoliciesCommand,
 * } from "@aws-sdk/client-application-auto-scaling";
 * import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
 * import { DescribeEndpointCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
 * import { mockClient } from "aws-sdk-client-mock";
 * import { ColdStartGuard } from "@sagemaker-async/toolkit/langchain";
 *
 * const region = "us-east-1";
 * const sagemaker = new SageMakerClient({ region });
 * mockClient(sagemaker).on(DescribeEndpointCommand).resolves({
 *   EndpointStatus: "InService",
 *   ProductionVariants: [{ VariantName: "AllTraffic", CurrentInstanceCount: 0, DesiredInstanceCount: 0 }],
 * });
 * const autoscaling = new ApplicationAutoScalingClient({ region });
 * mockClient(autoscaling).resolves({}).on(DescribeScalingPoliciesCommand).resolves({
 *   ScalingPolicies: [{
 *     PolicyName: "HasBacklogWithoutCapacity-ScalingPolicy",
 *     PolicyARN: "arn:step",
 *     PolicyType: "StepScaling",
 *   // deno-lint-ignore no-explicit-any
 *   } as any],
 * });
 * const cloudwatch = new CloudWatchClient({ region });
 * mockClient(cloudwatch).on(DescribeAlarmsCommand).resolves({
 *   MetricAlarms: [{ AlarmName: "falcon-AllTraffic-HasBacklogWithoutCapacity", AlarmActions: ["arn:step"] }],
 * });
 *
 * const guard = new ColdStartGuard({ clients: { sagemaker, autoscaling, cloudwatch }, endpointName: "falcon" });
 * const check = await guard.admit();
 * if (check.state !== "wakes-from-zero") throw new Error(check.state);
 * ```
 */
export class ColdStartGuard {
  /** The endpoint. */
  readonly endpointName: string;
  readonly #clients: ColdStartGuardOptions["clients"];
  readonly #wakeEndpoint: WakeEndpoint;
  readonly #names: Partial<Omit<ScaleToZeroNames, "resourceId">> | undefined;
  readonly #pollIntervalMs: number;
  readonly #clock: Clock;
  readonly #listeners = new Set<Listener>();
  #checking: SharedCheck | undefined;
  #loopController: AbortController | undefined;

  /** Checks the options (`TypeError`/`RangeError`) before any call. */
  constructor(options: ColdStartGuardOptions) {
    assertSageMakerName(options?.endpointName, "endpoint name");
    const clients = options.clients ?? {};
    for (const name of ["sagemaker", "autoscaling", "cloudwatch"] as const) {
      if (typeof clients[name]?.send !== "function") {
        throw new TypeError(
          `Invalid clients.${name}: checking an endpoint's capacity needs the SageMaker, ` +
            "Application Auto Scaling and CloudWatch clients",
        );
      }
    }
    const wake = options.wakeEndpoint ?? "never";
    if (wake !== "never" && wake !== "set-desired-count") {
      throw new TypeError(
        `Invalid wakeEndpoint ${JSON.stringify(wake)}: must be "never" or "set-desired-count"`,
      );
    }
    const pollIntervalMs = options.pollIntervalMs ?? 15_000;
    assertDurationMs(pollIntervalMs, "pollIntervalMs");
    if (pollIntervalMs < 1 || !Number.isFinite(pollIntervalMs)) {
      throw new RangeError(
        `Invalid pollIntervalMs ${pollIntervalMs}: must be a finite number of ms >= 1`,
      );
    }
    this.endpointName = options.endpointName;
    this.#clients = options.clients;
    this.#wakeEndpoint = wake;
    this.#names = options.scaleToZeroNames;
    this.#pollIntervalMs = pollIntervalMs;
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * Checks whether a request sent now will be served (see
   * {@linkcode CapacityState}); raises the desired count if it must and may.
   * Rejects with {@linkcode EndpointAtZeroError} when nothing would start an
   * instance, `EndpointFailedError` for a `Failed` endpoint, SDK errors
   * unchanged, or `signal.reason`. Calls made while a check is in flight
   * share it (one `DescribeEndpoint`, at most one capacity update).
   */
  admit(options: { signal?: AbortSignal } = {}): Promise<CapacityCheck> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    let shared = this.#checking;
    if (!shared) {
      const controller = new AbortController();
      const promise = this.#check(controller.signal);
      const current: SharedCheck = { promise, controller, members: 0 };
      const clear = () => {
        if (this.#checking === current) this.#checking = undefined;
      };
      promise.then(clear, clear);
      this.#checking = shared = current;
    }
    const joined = shared;
    joined.members++;
    return new Promise<CapacityCheck>((resolve, reject) => {
      const onAbort = () => {
        joined.members--;
        if (joined.members === 0) {
          if (this.#checking === joined) this.#checking = undefined;
          joined.controller.abort(signal!.reason);
        }
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      joined.promise.then(
        (check) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(check);
        },
        (error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  }

  /**
   * Waits until an instance is in service. Every waiting caller shares one
   * `DescribeEndpoint` loop (one poll per `pollIntervalMs`, none while nobody
   * waits). Resolves with the capacity that showed an instance; rejects with
   * `WaitTimeoutError` (carrying the last observation) `timeoutMs` after
   * `startedAt`, `EndpointFailedError` if the endpoint fails, the SDK error
   * after three failed polls in a row (at once if the endpoint is gone), or
   * `signal.reason`.
   */
  waitForCapacity(options: WaitForCapacityOptions): Promise<EndpointCapacity> {
    const { signal, timeoutMs } = options;
    try {
      assertDurationMs(timeoutMs, "timeoutMs");
    } catch (error) {
      return Promise.reject(error);
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    const startedAt = options.startedAt ?? this.#clock.now();
    return new Promise<EndpointCapacity>((resolve, reject) => {
      const deadlineTimer = new AbortController();
      const finish = (settle: () => void) => {
        if (listener.settled) return;
        listener.settled = true;
        this.#listeners.delete(listener);
        deadlineTimer.abort();
        signal?.removeEventListener("abort", onAbort);
        if (this.#listeners.size === 0) this.#loopController?.abort();
        settle();
      };
      const listener: Listener = {
        startedAt,
        waitingFor: options.waitingFor ?? `capacity on endpoint "${this.endpointName}"`,
        onProgress: options.onProgress,
        polls: 0,
        last: undefined,
        lastAt: undefined,
        settled: false,
        resolve: (capacity) => finish(() => resolve(capacity)),
        reject: (error) => finish(() => reject(error)),
      };
      const onAbort = () => listener.reject(signal!.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#listeners.add(listener);
      if (options.initial) this.#observe(listener, options.initial, false);
      if (listener.settled) return;
      const remaining = startedAt + timeoutMs - this.#clock.now();
      if (Number.isFinite(remaining)) {
        this.#clock.sleep(Math.max(0, remaining), deadlineTimer.signal).then(
          () => listener.reject(this.#timeout(listener)),
          () => {},
        );
      }
      this.#startLoop();
    });
  }

  /**
   * Reports the endpoint's capacity once, as a `capacity` event, to
   * `onProgress` (e.g. to close a cold start's progress with `running` when
   * the result arrived before the capacity loop's next poll).
   */
  async reportCapacity(
    options: { startedAt: number; signal?: AbortSignal; onProgress?: ProgressCallback },
  ): Promise<EndpointCapacity> {
    const capacity = await this.#describe(options.signal);
    this.#report(capacity, options);
    return capacity;
  }

  async #check(signal: AbortSignal): Promise<CapacityCheck> {
    const checkedAt = this.#clock.now();
    const capacity = await this.#describe(signal);
    if (capacity.currentInstanceCount > 0) return { state: "running", capacity, checkedAt };
    if (capacity.desiredInstanceCount > 0) {
      return { state: "instance-starting", capacity, checkedAt };
    }
    const scaling = await Promise.all(
      capacity.variants.map((variant) =>
        describeScaleToZero({
          clients: this.#clients,
          endpointName: this.endpointName,
          variantName: variant.variantName,
          names: this.#names,
          signal,
        })
      ),
    );
    if (scaling.some((description) => description.wakesFromZero)) {
      return { state: "wakes-from-zero", capacity, checkedAt };
    }
    if (this.#wakeEndpoint === "set-desired-count" && capacity.variants.length > 0) {
      await this.#clients.sagemaker.send(
        new UpdateEndpointWeightsAndCapacitiesCommand({
          EndpointName: this.endpointName,
          DesiredWeightsAndCapacities: capacity.variants.map((variant) => ({
            VariantName: variant.variantName,
            DesiredInstanceCount: 1,
          })),
        }),
        { abortSignal: signal },
      );
      const variants = capacity.variants.map((variant) => ({
        ...variant,
        desiredInstanceCount: 1,
      }));
      return {
        state: "desired-count-raised",
        capacity: { ...capacity, variants, desiredInstanceCount: variants.length },
        checkedAt,
      };
    }
    throw new EndpointAtZeroError({
      endpointName: this.endpointName,
      variants: capacity.variants,
    });
  }

  async #describe(signal: AbortSignal | undefined): Promise<EndpointCapacity> {
    const described = await this.#clients.sagemaker.send(
      new DescribeEndpointCommand({ EndpointName: this.endpointName }),
      { abortSignal: signal },
    );
    if (described.EndpointStatus === "Failed") {
      throw new EndpointFailedError({
        endpointName: this.endpointName,
        status: "Failed",
        failureReason: described.FailureReason,
      });
    }
    const variants = (described.ProductionVariants ?? []).map((v) => {
      const current = v.CurrentInstanceCount ?? 0;
      return {
        variantName: v.VariantName ?? "",
        currentInstanceCount: current,
        desiredInstanceCount: v.DesiredInstanceCount ?? current,
      };
    });
    return {
      endpointName: this.endpointName,
      status: described.EndpointStatus,
      variants,
      currentInstanceCount: variants.reduce((n, v) => n + v.currentInstanceCount, 0),
      desiredInstanceCount: variants.reduce((n, v) => n + v.desiredInstanceCount, 0),
    };
  }

  #startLoop(): void {
    if (this.#loopController) return;
    const controller = new AbortController();
    this.#loopController = controller;
    this.#loop(controller.signal).finally(() => {
      if (this.#loopController === controller) this.#loopController = undefined;
      if (this.#listeners.size > 0) this.#startLoop();
    });
  }

  async #loop(signal: AbortSignal): Promise<void> {
    let errors = 0;
    while (this.#listeners.size > 0 && !signal.aborted) {
      try {
        await this.#clock.sleep(this.#pollIntervalMs, signal);
      } catch {
        return;
      }
      let capacity: EndpointCapacity;
      try {
        capacity = await this.#describe(signal);
        errors = 0;
      } catch (error) {
        if (signal.aborted) return;
        errors++;
        const fatal = error instanceof EndpointFailedError || isSageMakerNotFoundError(error);
        if (fatal || errors >= MAX_CONSECUTIVE_ERRORS) {
          for (const listener of [...this.#listeners]) listener.reject(error);
          return;
        }
        continue;
      }
      for (const listener of [...this.#listeners]) this.#observe(listener, capacity, true);
    }
  }

  /** Records an observation for a waiting caller, reports it, and resolves it once running. */
  #observe(listener: Listener, capacity: EndpointCapacity, polled: boolean): void {
    if (polled) listener.polls++;
    listener.last = capacity;
    listener.lastAt = this.#clock.now();
    if (this.#report(capacity, listener) === "running") listener.resolve(capacity);
  }

  /** Sends `onProgress` a `capacity` event for `capacity`; returns its phase. */
  #report(
    capacity: EndpointCapacity,
    to: { readonly startedAt: number; readonly onProgress?: ProgressCallback | undefined },
  ): CapacityPhase {
    const phase = capacityPhase(capacity);
    const elapsedMs = this.#clock.now() - to.startedAt;
    const event: CapacityEvent = {
      type: "capacity",
      endpointName: this.endpointName,
      phase,
      currentInstanceCount: capacity.currentInstanceCount,
      desiredInstanceCount: capacity.desiredInstanceCount,
      elapsedMs,
      message: `Endpoint ${this.endpointName}: ${describeCapacity(capacity)} ` +
        `(${formatDuration(elapsedMs)})`,
    };
    emitProgress(to.onProgress, event);
    return phase;
  }

  #timeout(listener: Listener): WaitTimeoutError {
    return new WaitTimeoutError({
      waitingFor: listener.waitingFor,
      waitedMs: this.#clock.now() - listener.startedAt,
      lastObserved: {
        at: listener.lastAt,
        rounds: listener.polls,
        summary: listener.last ? describeCapacity(listener.last) : "capacity not checked yet",
      },
    });
  }
}

/**
 * The phase of a cold start, while a request waits: `running` with an
 * instance in service, `instance-starting` while the desired count is above
 * the current one, else `waiting-for-capacity`. (A request is waiting, so
 * zero instances is never `idle`; outside a cold start, use
 * `capacityPhaseOfSample`.)
 */
export function capacityPhase(
  capacity: EndpointCapacity,
): Extract<CapacityPhase, "running" | "instance-starting" | "waiting-for-capacity"> {
  if (capacity.currentInstanceCount > 0) return "running";
  if (capacity.desiredInstanceCount > capacity.currentInstanceCount) return "instance-starting";
  return "waiting-for-capacity";
}

function describeCapacity(capacity: EndpointCapacity): string {
  const phase = capacityPhase(capacity).replaceAll("-", " ");
  return `${phase}, ${capacity.currentInstanceCount} of ${capacity.desiredInstanceCount} ` +
    `desired instance(s) in service`;
}
