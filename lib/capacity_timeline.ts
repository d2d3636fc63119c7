/**
 * An endpoint's capacity over time: a recorder that samples instance counts
 * while it runs (for charts, waits such as "until it is at zero", and
 * instance-seconds), and the CloudWatch metrics and scaling activities
 * AWS keeps afterwards.
 *
 * @module
 */
import {
  DescribeScalingActivitiesCommand,
  type ScalingActivity,
} from "@aws-sdk/client-application-auto-scaling";
import {
  GetMetricDataCommand,
  type MetricDataQuery,
  type MetricDataResult,
} from "@aws-sdk/client-cloudwatch";
import { DescribeEndpointCommand } from "@aws-sdk/client-sagemaker";
import type { AwsClients } from "./clients.ts";
import { type Clock, systemClock } from "./clock.ts";
import { WaitTimeoutError } from "./errors.ts";
import {
  type CapacityEvent,
  type CapacityPhase,
  emitProgress,
  formatDuration,
  type ProgressCallback,
} from "./progress.ts";
import {
  DEFAULT_VARIANT_NAME,
  SAGEMAKER_SERVICE_NAMESPACE,
  scaleToZeroNames,
  VARIANT_INSTANCE_COUNT_DIMENSION,
  type VariantCapacity,
} from "./scale_to_zero.ts";
import { assertDurationMs, assertSageMakerName } from "./validation.ts";
import { isSageMakerNotFoundError, MISSING_ENDPOINT_STATUS } from "./wait_for_endpoint.ts";

/** One `DescribeEndpoint` observation. */
export interface CapacitySample {
  /** Clock time of the observation, epoch ms. */
  readonly time: number;
  /** `EndpointStatus`, or `Missing` when the endpoint does not exist. */
  readonly status: string;
  /** Instances in service, all variants together. */
  readonly currentInstanceCount: number;
  /** Instances wanted, all variants together. */
  readonly desiredInstanceCount: number;
  /** Every production variant. */
  readonly variants: readonly VariantCapacity[];
}

/** Options for {@linkcode watchCapacity}. */
export interface WatchCapacityOptions {
  /** SageMaker, for `DescribeEndpoint`. */
  clients: Pick<AwsClients, "sagemaker">;
  /** The endpoint. */
  endpointName: string;
  /** Time source for samples and the polling interval; default the system clock. */
  clock?: Clock;
  /** Clock time between polls, ms; default 15,000. The first poll is immediate. */
  intervalMs?: number;
  /** Stops the recorder (as `stop()`); pending waits reject with `signal.reason`. */
  signal?: AbortSignal;
  /** Receives every sample as it is taken. Must not throw; errors it throws are ignored. */
  onSample?: (sample: CapacitySample) => void;
  /**
   * Receives a `capacity` event for every sample (its phase from
   * {@linkcode capacityPhaseOfSample}, its elapsed time since the recorder
   * started). For the samples of one wait, see {@linkcode WaitForSampleOptions.onProgress}.
   */
  onProgress?: ProgressCallback;
}

/** Options for {@linkcode CapacityRecorder.waitFor}. */
export interface WaitForSampleOptions {
  /** Give up after this much clock time with a `WaitTimeoutError`, ms; default `Infinity`. */
  timeoutMs?: number;
  /**
   * Only samples taken at or after this clock time count; default: the
   * latest sample already taken counts too.
   */
  since?: number;
  /** What is awaited, for the timeout message; default `the awaited capacity`. */
  waitingFor?: string;
  /** Stops this wait; it rejects with `signal.reason` unchanged. */
  signal?: AbortSignal;
  /**
   * Receives a `capacity` event for each sample this wait considers (the latest
   * one at once, unless `since` excludes it, then every new one) until it ends;
   * elapsed times count from the start of the wait.
   */
  onProgress?: ProgressCallback;
  /**
   * Requests are queued (e.g. sent just before the wait): in this wait's
   * events, zero instances with none wanted is `waiting-for-capacity` rather
   * than `idle`. Default false.
   */
  requestsWaiting?: boolean;
}

/** Options for {@linkcode capacityPhaseOfSample}. */
export interface CapacityPhaseOptions {
  /** Requests are queued, so zero instances with none wanted is `waiting-for-capacity`. */
  requestsWaiting?: boolean;
}

/**
 * The phase of a sample: `running` with an instance in service and none
 * being removed, `scaling-in` while fewer are wanted than are in service,
 * `instance-starting` with none in service and one wanted, and at zero with
 * none wanted `waiting-for-capacity` when requests wait, else `idle`.
 *
 * @example
 * ```ts
 * import { capacityPhaseOfSample } from "@sagemaker-async/toolkit";
 *
 * const at = (current: number, desired: number) =>
 *   ({ currentInstanceCount: current, desiredInstanceCount: desired });
 * if (capacityPhaseOfSample(at(1, 0)) !== "scaling-in") throw new Error();
 * if (capacityPhaseOfSample(at(0, 0)) !== "idle") throw new Error();
 * if (capacityPhaseOfSample(at(0, 0), { requestsWaiting: true }) !== "waiting-for-capacity") {
 *   throw new Error();
 * }
 * ```
 */
export function capacityPhaseOfSample(
  sample: Pick<CapacitySample, "currentInstanceCount" | "desiredInstanceCount">,
  options: CapacityPhaseOptions = {},
): CapacityPhase {
  const { currentInstanceCount: current, desiredInstanceCount: desired } = sample;
  if (current > 0) return desired < current ? "scaling-in" : "running";
  if (desired > 0) return "instance-starting";
  return options.requestsWaiting ? "waiting-for-capacity" : "idle";
}

/** Consecutive failed polls after which the recorder stops with the error. */
const MAX_CONSECUTIVE_ERRORS = 3;

interface Waiter {
  readonly predicate: (sample: CapacitySample) => boolean;
  readonly since: number | undefined;
  readonly startedAt: number;
  readonly onProgress: ProgressCallback | undefined;
  readonly requestsWaiting: boolean;
  resolve(sample: CapacitySample): void;
  reject(error: unknown): void;
}

/**
 * Samples an endpoint's instance counts on a clock until stopped. Make one
 * with {@linkcode watchCapacity}; `await using` stops it.
 *
 * A `DescribeEndpoint` error ends the recording only after three in a row
 * (then {@linkcode CapacityRecorder.error} holds it and pending waits
 * reject with it); an endpoint that does not exist is sampled as `Missing`
 * with no instances.
 */
export class CapacityRecorder implements AsyncDisposable {
  /** The endpoint. */
  readonly endpointName: string;
  readonly #clients: Pick<AwsClients, "sagemaker">;
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #onSample: ((sample: CapacitySample) => void) | undefined;
  readonly #onProgress: ProgressCallback | undefined;
  readonly #controller = new AbortController();
  readonly #samples: CapacitySample[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly #loop: Promise<void>;
  readonly #startedAt: number;
  #stoppedAt: number | undefined;
  #error: unknown;
  #failed = false;

  /** Use {@linkcode watchCapacity}. Starts polling at once. */
  constructor(options: WatchCapacityOptions) {
    assertSageMakerName(options?.endpointName, "endpoint name");
    if (typeof options.clients?.sagemaker?.send !== "function") {
      throw new TypeError(
        "Invalid clients: watching capacity needs { sagemaker: SageMakerClient }",
      );
    }
    const intervalMs = options.intervalMs ?? 15_000;
    assertDurationMs(intervalMs, "intervalMs");
    if (intervalMs <= 0 || !Number.isFinite(intervalMs)) {
      throw new RangeError(`Invalid intervalMs ${intervalMs}: must be finite and > 0`);
    }
    for (const name of ["onSample", "onProgress"] as const) {
      if (options[name] !== undefined && typeof options[name] !== "function") {
        throw new TypeError(`Invalid ${name}: must be a function`);
      }
    }
    options.signal?.throwIfAborted();
    this.endpointName = options.endpointName;
    this.#clients = options.clients;
    this.#clock = options.clock ?? systemClock;
    this.#intervalMs = intervalMs;
    this.#onSample = options.onSample;
    this.#onProgress = options.onProgress;
    this.#startedAt = this.#clock.now();
    const outer = options.signal;
    if (outer) {
      const onAbort = () => this.#controller.abort(outer.reason);
      outer.addEventListener("abort", onAbort, { once: true });
      this.#controller.signal.addEventListener(
        "abort",
        () => outer.removeEventListener("abort", onAbort),
        { once: true },
      );
    }
    this.#loop = this.#run();
  }

  /** Every sample so far, oldest first. */
  get samples(): readonly CapacitySample[] {
    return this.#samples;
  }

  /** The most recent sample, if any. */
  get latest(): CapacitySample | undefined {
    return this.#samples.at(-1);
  }

  /** Whether it is still polling. */
  get running(): boolean {
    return this.#stoppedAt === undefined;
  }

  /** Clock time the recorder started, epoch ms. */
  get startedAt(): number {
    return this.#startedAt;
  }

  /** Clock time it stopped, epoch ms, once stopped. */
  get stoppedAt(): number | undefined {
    return this.#stoppedAt;
  }

  /** The error that stopped it (three failed polls in a row), if any. */
  get error(): unknown {
    return this.#error;
  }

  /**
   * Instances in service integrated over clock time, in instance-seconds:
   * each sample's `currentInstanceCount` holds until the next sample (the
   * last one until `to`). Time before the first sample counts as nothing.
   * `from` defaults to the first sample, `to` to now (or when the recorder
   * stopped). The resolution is the polling interval.
   */
  instanceSeconds(from?: number, to?: number): number {
    const end = to ?? this.#stoppedAt ?? this.#clock.now();
    const start = from ?? this.#samples[0]?.time ?? end;
    for (const [name, value] of [["from", start], ["to", end]] as const) {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new TypeError(`Invalid ${name} ${String(value)}: must be a clock time in epoch ms`);
      }
    }
    if (end < start) {
      throw new RangeError(`Invalid range: to (${end}) must not be before from (${start})`);
    }
    let totalMs = 0;
    this.#samples.forEach((sample, i) => {
      const next = this.#samples[i + 1]?.time ?? Math.max(end, sample.time);
      const a = Math.max(sample.time, start);
      const b = Math.min(next, end);
      if (b > a) totalMs += (b - a) * sample.currentInstanceCount;
    });
    return totalMs / 1000;
  }

  /**
   * Resolves with the first sample for which `predicate` holds: the latest
   * one already taken (unless `since` excludes it) or a later one. Rejects
   * with `WaitTimeoutError` after `timeoutMs`, `signal.reason` when the
   * wait's signal aborts, the recorder's error if it failed, or the
   * recorder's stop reason when it stops first.
   *
   * @example Wait until the endpoint is at zero
   * ```ts
   * import { DescribeEndpointCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
   * import { mockClient } from "aws-sdk-client-mock";
   * import { watchCapacity } from "@sagemaker-async/toolkit";
   * import { ManualClock } from "@sagemaker-async/toolkit/testing";
   *
   * const sagemaker = new SageMakerClient({ region: "us-east-1" });
   * const variant = { VariantName: "AllTraffic", CurrentInstanceCount: 1, DesiredInstanceCount: 0 };
   * mockClient(sagemaker).on(DescribeEndpointCommand)
   *   .resolvesOnce({ EndpointStatus: "InService", ProductionVariants: [variant] })
   *   .resolves({ EndpointStatus: "InService", ProductionVariants: [{ ...variant, CurrentInstanceCount: 0 }] });
   * const clock = new ManualClock();
   * await using recorder = watchCapacity({ clients: { sagemaker }, endpointName: "falcon", clock, intervalMs: 60_000 });
   * const atZero = recorder.waitFor((s) => s.currentInstanceCount === 0);
   * await clock.advance(60_000);
   * const sample = await atZero;
   * if (recorder.instanceSeconds(undefined, sample.time) !== 60) throw new Error("one instance for a minute");
   * ```
   */
  waitFor(
    predicate: (sample: CapacitySample) => boolean,
    options: WaitForSampleOptions = {},
  ): Promise<CapacitySample> {
    if (typeof predicate !== "function") {
      return Promise.reject(new TypeError("Invalid predicate: must be a function of a sample"));
    }
    const timeoutMs = options.timeoutMs ?? Infinity;
    try {
      assertDurationMs(timeoutMs, "timeoutMs");
    } catch (error) {
      return Promise.reject(error);
    }
    const { signal, since, onProgress } = options;
    if (onProgress !== undefined && typeof onProgress !== "function") {
      return Promise.reject(new TypeError("Invalid onProgress: must be a function"));
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    const startedAt = this.#clock.now();
    const requestsWaiting = options.requestsWaiting ?? false;
    const latest = this.latest;
    if (latest && (since === undefined || latest.time >= since)) {
      emitProgress(onProgress, this.#capacityEvent(latest, startedAt, requestsWaiting));
      if (safeTest(predicate, latest)) return Promise.resolve(latest);
    }
    if (!this.running) return Promise.reject(this.#stopReason());
    const waitingFor = options.waitingFor ?? "the awaited capacity";
    return new Promise<CapacitySample>((resolve, reject) => {
      const timer = new AbortController();
      const finish = () => {
        this.#waiters.delete(waiter);
        timer.abort();
        signal?.removeEventListener("abort", onAbort);
      };
      const waiter: Waiter = {
        predicate,
        since,
        startedAt,
        onProgress,
        requestsWaiting,
        resolve: (sample) => {
          finish();
          resolve(sample);
        },
        reject: (error) => {
          finish();
          reject(error);
        },
      };
      const onAbort = () => waiter.reject(signal!.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.add(waiter);
      if (Number.isFinite(timeoutMs)) {
        this.#clock.sleep(timeoutMs, timer.signal).then(() => {
          const last = this.latest;
          waiter.reject(
            new WaitTimeoutError({
              waitingFor: `${waitingFor} of endpoint ${this.endpointName}`,
              waitedMs: this.#clock.now() - startedAt,
              lastObserved: {
                ...(last !== undefined && { at: last.time }),
                rounds: this.#samples.length,
                summary: last === undefined ? "no sample yet" : describeSample(last),
              },
            }),
          );
        }, () => {});
      }
    });
  }

  /** Stops polling (an in-flight call is cancelled); resolves once the loop has ended. */
  async stop(): Promise<void> {
    if (!this.#controller.signal.aborted) {
      this.#controller.abort(
        new DOMException(`Stopped watching the capacity of ${this.endpointName}`, "AbortError"),
      );
    }
    await this.#loop;
  }

  /** Same as {@linkcode CapacityRecorder.stop}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  async #run(): Promise<void> {
    const signal = this.#controller.signal;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const sample = await this.#poll(signal);
        failures = 0;
        this.#record(sample);
      } catch (error) {
        if (signal.aborted) break;
        if (++failures >= MAX_CONSECUTIVE_ERRORS) {
          this.#error = error;
          this.#failed = true;
          break;
        }
      }
      try {
        await this.#clock.sleep(this.#intervalMs, signal);
      } catch {
        break;
      }
    }
    this.#stoppedAt = this.#clock.now();
    if (!signal.aborted) this.#controller.abort(this.#error);
    const reason = this.#stopReason();
    for (const waiter of [...this.#waiters]) waiter.reject(reason);
  }

  async #poll(signal: AbortSignal): Promise<CapacitySample> {
    try {
      const endpoint = await this.#clients.sagemaker.send(
        new DescribeEndpointCommand({ EndpointName: this.endpointName }),
        { abortSignal: signal },
      );
      const variants: VariantCapacity[] = (endpoint.ProductionVariants ?? []).map((v) => ({
        variantName: v.VariantName ?? "",
        currentInstanceCount: v.CurrentInstanceCount ?? 0,
        desiredInstanceCount: v.DesiredInstanceCount ?? v.CurrentInstanceCount ?? 0,
      }));
      return {
        time: this.#clock.now(),
        status: endpoint.EndpointStatus ?? "Unknown",
        currentInstanceCount: variants.reduce((n, v) => n + (v.currentInstanceCount ?? 0), 0),
        desiredInstanceCount: variants.reduce((n, v) => n + (v.desiredInstanceCount ?? 0), 0),
        variants,
      };
    } catch (error) {
      if (signal.aborted || !isSageMakerNotFoundError(error)) throw error;
      return {
        time: this.#clock.now(),
        status: MISSING_ENDPOINT_STATUS,
        currentInstanceCount: 0,
        desiredInstanceCount: 0,
        variants: [],
      };
    }
  }

  #record(sample: CapacitySample): void {
    this.#samples.push(sample);
    if (this.#onSample) {
      try {
        this.#onSample(sample);
      } catch {
        // A broken observer must not stop the recording.
      }
    }
    emitProgress(this.#onProgress, this.#capacityEvent(sample, this.#startedAt, false));
    for (const waiter of [...this.#waiters]) {
      if (waiter.since !== undefined && sample.time < waiter.since) continue;
      emitProgress(
        waiter.onProgress,
        this.#capacityEvent(sample, waiter.startedAt, waiter.requestsWaiting),
      );
      if (safeTest(waiter.predicate, sample)) waiter.resolve(sample);
    }
  }

  #capacityEvent(sample: CapacitySample, since: number, requestsWaiting: boolean): CapacityEvent {
    const phase = capacityPhaseOfSample(sample, { requestsWaiting });
    const elapsedMs = Math.max(0, sample.time - since);
    return {
      type: "capacity",
      endpointName: this.endpointName,
      phase,
      currentInstanceCount: sample.currentInstanceCount,
      desiredInstanceCount: sample.desiredInstanceCount,
      elapsedMs,
      message: `Endpoint ${this.endpointName}: ${phase.replaceAll("-", " ")}, ` +
        `${describeSample(sample)} (${formatDuration(elapsedMs)})`,
    };
  }

  #stopReason(): unknown {
    return this.#failed ? this.#error : this.#controller.signal.reason;
  }
}

/**
 * Starts recording an endpoint's instance counts: one `DescribeEndpoint`
 * at once, then one every `intervalMs` of clock time, until
 * `stop()`, `await using` or `signal` ends it. Use the samples for a chart,
 * {@linkcode CapacityRecorder.waitFor} to wait for a capacity (e.g. zero
 * instances), and {@linkcode CapacityRecorder.instanceSeconds} for what the
 * endpoint used. `onProgress` (here, or per wait) receives each sample as a
 * `capacity` event with its phase: `running`, `scaling-in`, `idle`, or
 * `instance-starting` and `waiting-for-capacity` on the way back up.
 *
 * @example One instance for two minutes, then none
 * ```ts
 * import { DescribeEndpointCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
 * import { mockClient } from "aws-sdk-client-mock";
 * import { watchCapacity } from "@sagemaker-async/toolkit";
 * import { ManualClock } from "@sagemaker-async/toolkit/testing";
 *
 * const sagemaker = new SageMakerClient({ region: "us-east-1" });
 * const at = (n: number) => ({
 *   EndpointStatus: "InService" as const,
 *   ProductionVariants: [{ VariantName: "AllTraffic", CurrentInstanceCount: n, DesiredInstanceCount: n }],
 * });
 * mockClient(sagemaker).on(DescribeEndpointCommand)
 *   .resolvesOnce(at(1)).resolvesOnce(at(1)).resolves(at(0));
 * const clock = new ManualClock();
 * const recorder = watchCapacity({ clients: { sagemaker }, endpointName: "falcon", clock, intervalMs: 60_000 });
 * await clock.advance(180_000);
 * await recorder.stop();
 * if (recorder.samples.length !== 4) throw new Error(`${recorder.samples.length} samples`);
 * if (recorder.instanceSeconds() !== 120) throw new Error(String(recorder.instanceSeconds()));
 * ```
 */
export function watchCapacity(options: WatchCapacityOptions): CapacityRecorder {
  return new CapacityRecorder(options);
}

function safeTest(
  predicate: (sample: CapacitySample) => boolean,
  sample: CapacitySample,
): boolean {
  try {
    return predicate(sample) === true;
  } catch {
    return false;
  }
}

function describeSample(sample: CapacitySample): string {
  return `${sample.status}, ${sample.currentInstanceCount} of ${sample.desiredInstanceCount} ` +
    "desired instance(s) in service";
}

/** One point of a metric series. */
export interface MetricPoint {
  /** Start of the period, epoch ms. */
  readonly time: number;
  /** The statistic's value for that period. */
  readonly value: number;
}

/** A CloudWatch series as returned by `GetMetricData`, oldest first. */
export interface MetricSeries {
  /** Metric name (`AWS/SageMaker`). */
  readonly metricName: string;
  /** Statistic of each period. */
  readonly statistic: "Average" | "Sum" | "Maximum";
  /** Dimensions queried. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** Points, oldest first (periods without data are absent). */
  readonly points: readonly MetricPoint[];
}

/** One Application Auto Scaling activity. */
export interface ScalingActivityRecord {
  /** Activity id. */
  readonly activityId: string;
  /** E.g. `Setting desired instance count to 1.` */
  readonly description: string;
  /** E.g. `monitor alarm ... in state ALARM triggered policy ...`. */
  readonly cause: string;
  /** `Pending`, `InProgress`, `Successful`, `Overridden`, `Unfulfilled` or `Failed`. */
  readonly status: string;
  /** Details of the outcome. */
  readonly statusMessage?: string;
  /** When it started, epoch ms. */
  readonly startTime: number;
  /** When it ended, epoch ms. */
  readonly endTime?: number;
}

/** Options for {@linkcode fetchScalingHistory}. */
export interface FetchScalingHistoryOptions {
  /** CloudWatch for metrics, Application Auto Scaling for activities. */
  clients: Pick<AwsClients, "cloudwatch" | "autoscaling">;
  /** The endpoint. */
  endpointName: string;
  /** The variant (invocation counts and activities); default `AllTraffic`. */
  variantName?: string;
  /** Start of the span, `Date` or epoch ms. */
  start: Date | number;
  /** End of the span, `Date` or epoch ms. */
  end: Date | number;
  /** Period of the metric points, s: 1, 5, 10, 30 or a multiple of 60; default 60. */
  periodSeconds?: number;
  /** Cancels the calls; rejects with `signal.reason` unchanged. */
  signal?: AbortSignal;
}

/** An endpoint's scaling as CloudWatch and Application Auto Scaling recorded it. */
export interface ScalingHistory {
  /** The endpoint. */
  readonly endpointName: string;
  /** The variant. */
  readonly variantName: string;
  /** Start of the span, epoch ms. */
  readonly start: number;
  /** End of the span, epoch ms. */
  readonly end: number;
  /** Period of the points, s. */
  readonly periodSeconds: number;
  /** `ApproximateBacklogSize` (Average): queued plus in progress. */
  readonly backlogSize: MetricSeries;
  /** `ApproximateBacklogSizePerInstance` (Average): what target tracking scales on. */
  readonly backlogSizePerInstance: MetricSeries;
  /** `HasBacklogWithoutCapacity` (Maximum): 1 while requests wait at zero instances. */
  readonly hasBacklogWithoutCapacity: MetricSeries;
  /**
   * Requests processed (Sum): `InvocationsProcessed`, or the developer
   * guide's spelling `InvocationsProcesssed` when only that one has data
   * (which name SageMaker publishes is unconfirmed).
   */
  readonly invocationsProcessed: MetricSeries;
  /** `InvocationFailures` (Sum). */
  readonly invocationFailures: MetricSeries;
  /** `ExpiredRequests` (Sum): requests that outlived their TTL. */
  readonly expiredRequests: MetricSeries;
  /** Scaling activities that overlap the span, oldest first. */
  readonly activities: readonly ScalingActivityRecord[];
}

const NAMESPACE = "AWS/SageMaker";

/**
 * Reads an endpoint's scaling history for a span: the `AWS/SageMaker`
 * series that drive and show scaling (`ApproximateBacklogSize`,
 * `ApproximateBacklogSizePerInstance`, `HasBacklogWithoutCapacity` by
 * endpoint; processed, failed and expired requests by endpoint and variant)
 * with one paged `GetMetricData`, and the variant's
 * `DescribeScalingActivities` that overlap the span, as plain data for
 * charts and tables. Arguments are checked first (`TypeError`/`RangeError`);
 * SDK errors pass through unchanged.
 *
 * @example
 * ```ts
 * import {
 *   ApplicationAutoScalingClient,
 *   DescribeScalingActivitiesCommand,
 * } from "@aws-sdk/client-application-auto-scaling";
 * import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
 * import { mockClient } from "aws-sdk-client-mock";
 * import { fetchScalingHistory } from "@sagemaker-async/toolkit";
 *
 * const cloudwatch = new CloudWatchClient({ region: "us-east-1" });
 * mockClient(cloudwatch).on(GetMetricDataCommand).resolves({
 *   MetricDataResults: [{ Id: "backlog", Timestamps: [new Date(60_000)], Values: [3] }],
 * });
 * const autoscaling = new ApplicationAutoScalingClient({ region: "us-east-1" });
 * mockClient(autoscaling).on(DescribeScalingActivitiesCommand).resolves({ ScalingActivities: [] });
 *
 * const history = await fetchScalingHistory({
 *   clients: { cloudwatch, autoscaling },
 *   endpointName: "falcon",
 *   start: 0,
 *   end: 3_600_000,
 * });
 * if (history.backlogSize.points[0]?.value !== 3) throw new Error("backlog not read");
 * ```
 */
export async function fetchScalingHistory(
  options: FetchScalingHistoryOptions,
): Promise<ScalingHistory> {
  const { clients, endpointName, signal } = options;
  const variantName = options.variantName ?? DEFAULT_VARIANT_NAME;
  assertSageMakerName(endpointName, "endpoint name");
  assertSageMakerName(variantName, "variant name");
  const start = toEpochMs(options.start, "start");
  const end = toEpochMs(options.end, "end");
  if (end <= start) {
    throw new RangeError(
      `Invalid span: end ${new Date(end).toISOString()} must be after start ${
        new Date(start).toISOString()
      }`,
    );
  }
  const periodSeconds = options.periodSeconds ?? 60;
  if (
    !Number.isInteger(periodSeconds) || periodSeconds < 1 ||
    (periodSeconds < 60 ? ![1, 5, 10, 30].includes(periodSeconds) : periodSeconds % 60 !== 0)
  ) {
    throw new RangeError(
      `Invalid periodSeconds ${periodSeconds}: must be 1, 5, 10, 30 or a multiple of 60`,
    );
  }
  signal?.throwIfAborted();
  const send = { abortSignal: signal };

  const byEndpoint = { EndpointName: endpointName };
  const byVariant = { EndpointName: endpointName, VariantName: variantName };
  const specs = [
    { id: "backlog", metricName: "ApproximateBacklogSize", stat: "Average", dims: byEndpoint },
    {
      id: "perInstance",
      metricName: "ApproximateBacklogSizePerInstance",
      stat: "Average",
      dims: byEndpoint,
    },
    {
      id: "noCapacity",
      metricName: "HasBacklogWithoutCapacity",
      stat: "Maximum",
      dims: byEndpoint,
    },
    { id: "processed", metricName: "InvocationsProcessed", stat: "Sum", dims: byVariant },
    { id: "processedDocs", metricName: "InvocationsProcesssed", stat: "Sum", dims: byVariant },
    { id: "failures", metricName: "InvocationFailures", stat: "Sum", dims: byVariant },
    { id: "expired", metricName: "ExpiredRequests", stat: "Sum", dims: byVariant },
  ] as const;
  const queries: MetricDataQuery[] = specs.map((spec) => ({
    Id: spec.id,
    MetricStat: {
      Metric: {
        Namespace: NAMESPACE,
        MetricName: spec.metricName,
        Dimensions: Object.entries(spec.dims).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: periodSeconds,
      Stat: spec.stat,
    },
    ReturnData: true,
  }));

  const points = new Map<string, MetricPoint[]>(specs.map((s) => [s.id, []]));
  const collect = (result: MetricDataResult) => {
    const list = points.get(result.Id ?? "");
    if (!list) return;
    (result.Timestamps ?? []).forEach((t, i) => {
      const value = result.Values?.[i];
      if (value !== undefined) list.push({ time: t.getTime(), value });
    });
  };
  const metrics = (async () => {
    let token: string | undefined;
    do {
      const page = await clients.cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: new Date(start),
          EndTime: new Date(end),
          ScanBy: "TimestampAscending",
          NextToken: token,
        }),
        send,
      );
      (page.MetricDataResults ?? []).forEach(collect);
      token = page.NextToken;
    } while (token);
  })();
  const activities = (async () => {
    const found: ScalingActivity[] = [];
    let token: string | undefined;
    do {
      const page = await clients.autoscaling.send(
        new DescribeScalingActivitiesCommand({
          ServiceNamespace: SAGEMAKER_SERVICE_NAMESPACE,
          ResourceId: scaleToZeroNames({ endpointName, variantName }).resourceId,
          ScalableDimension: VARIANT_INSTANCE_COUNT_DIMENSION,
          NextToken: token,
        }),
        send,
      );
      found.push(...(page.ScalingActivities ?? []));
      token = page.NextToken;
    } while (token);
    return found;
  })();
  const [, rawActivities] = await Promise.all([metrics, activities]).catch((error) => {
    throw signal?.aborted ? signal.reason : error;
  });

  const series = (id: (typeof specs)[number]["id"]): MetricSeries => {
    const spec = specs.find((s) => s.id === id)!;
    const list = points.get(id)!;
    const sorted = [...new Map(list.map((p) => [p.time, p])).values()]
      .sort((a, b) => a.time - b.time);
    return {
      metricName: spec.metricName,
      statistic: spec.stat,
      dimensions: spec.dims,
      points: sorted,
    };
  };
  const processed = series("processed");
  const processedDocs = series("processedDocs");
  return {
    endpointName,
    variantName,
    start,
    end,
    periodSeconds,
    backlogSize: series("backlog"),
    backlogSizePerInstance: series("perInstance"),
    hasBacklogWithoutCapacity: series("noCapacity"),
    invocationsProcessed: processed.points.length === 0 && processedDocs.points.length > 0
      ? processedDocs
      : processed,
    invocationFailures: series("failures"),
    expiredRequests: series("expired"),
    activities: rawActivities
      .map(toActivityRecord)
      .filter((a) => a.startTime <= end && (a.endTime ?? Infinity) >= start)
      .sort((a, b) => a.startTime - b.startTime),
  };
}

function toActivityRecord(activity: ScalingActivity): ScalingActivityRecord {
  return {
    activityId: activity.ActivityId ?? "",
    description: activity.Description ?? "",
    cause: activity.Cause ?? "",
    status: activity.StatusCode ?? "",
    ...(activity.StatusMessage !== undefined && { statusMessage: activity.StatusMessage }),
    startTime: activity.StartTime?.getTime() ?? 0,
    ...(activity.EndTime !== undefined && { endTime: activity.EndTime.getTime() }),
  };
}

function toEpochMs(value: Date | number, name: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== "number" || !Number.isFinite(ms)) {
    throw new TypeError(`Invalid ${name} ${String(value)}: must be a valid Date or epoch ms`);
  }
  return ms;
}
