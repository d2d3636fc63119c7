/**
 * The metrics SageMaker publishes for asynchronous endpoints, under
 * `AWS/SageMaker` (developer guide, "Monitoring asynchronous endpoints").
 *
 * Every metric period (`timings.metricPeriodMs`, 60 s by default), for each
 * async endpoint, with dimension `EndpointName`, one data point per gauge,
 * sampled at the end of the period and reported for that period (the data
 * point for 10:01-10:02 is the queue as it stood at 10:02:00, so an alarm
 * evaluated at 10:02:00 sees it):
 *
 * - `ApproximateBacklogSize` (Count): queued + in progress.
 * - `ApproximateBacklogSizePerInstance` (Count): backlog ÷ instances in
 *   service. With no instance in service the denominator is taken as 1, so
 *   the value is the whole backlog; with neither backlog nor instances
 *   (0 ÷ 0) no data point is published. This is what makes target tracking
 *   behave as AWS documents at zero instances: its alarms go to
 *   `INSUFFICIENT_DATA` while the endpoint idles at zero, a small backlog
 *   does not breach the high alarm, and scale-out from zero starts only once
 *   the backlog exceeds the target value.
 * - `ApproximateAgeOfOldestRequest` (Seconds): age of the oldest queued
 *   request, 0 when none is queued.
 * - `HasBacklogWithoutCapacity` (Count): 1 when requests are queued and no
 *   instance is in service, else 0.
 *
 * With dimensions `EndpointName`, `VariantName`, for each period in which a
 * variant finished requests: `InvocationsProcesssed` (the documentation's
 * spelling) and `InvocationsProcessed` (both published, as it is not
 * confirmed which one SageMaker uses), `InvocationFailures`,
 * `ExpiredRequests`, `RequestDownloadFailures`, `ResponseUploadFailures`
 * (Count, one data point each, zeros included), and one data point per
 * request of `ModelLatency` (Microseconds), `TimeInBacklog` and
 * `TotalProcessingTime` (Milliseconds; total = accepted to finished).
 *
 * @module
 */
import type {
  CloudWatchBackend,
  EmulatorContext,
  InvocationOutcome,
  MetricDatum,
} from "../context.ts";

/** The namespace. */
export const SAGEMAKER_NAMESPACE = "AWS/SageMaker";

const COUNTERS = [
  "InvocationsProcesssed",
  "InvocationsProcessed",
  "InvocationFailures",
  "ExpiredRequests",
  "RequestDownloadFailures",
  "ResponseUploadFailures",
] as const;

/** Options for {@linkcode SageMakerMetricsPublisher}. */
export interface SageMakerMetricsPublisherOptions {
  /** Where SageMaker is looked up (at call time) and the timings come from. */
  context: EmulatorContext;
  /** Where the data points go. */
  cloudwatch: CloudWatchBackend;
}

/** Samples SageMaker's async queues and counts finished requests into CloudWatch. */
export class SageMakerMetricsPublisher {
  readonly #context: EmulatorContext;
  readonly #cloudwatch: CloudWatchBackend;
  #outcomes: InvocationOutcome[] = [];
  #attached = false;

  constructor(options: SageMakerMetricsPublisherOptions) {
    this.#context = options.context;
    this.#cloudwatch = options.cloudwatch;
  }

  /** Subscribes to finished requests once SageMaker is running; true when subscribed. */
  attach(): boolean {
    if (this.#attached) return true;
    const sagemaker = this.#context.sagemaker;
    if (!sagemaker) return false;
    sagemaker.onInvocationFinished((outcome) => this.#outcomes.push(outcome));
    this.#attached = true;
    return true;
  }

  /** Publishes the period that ends at `periodEnd` (epoch ms). */
  publish(periodEnd: number): void {
    this.attach();
    const sagemaker = this.#context.sagemaker;
    const periodMs = this.#context.config.timings.metricPeriodMs;
    const periodStart = periodEnd - periodMs;
    const data: MetricDatum[] = [];
    const datum = (
      metricName: string,
      dimensions: MetricDatum["dimensions"],
      value: number,
      unit: string,
      timestamp = periodStart,
    ) =>
      data.push({ namespace: SAGEMAKER_NAMESPACE, metricName, dimensions, value, unit, timestamp });

    for (const endpointName of sagemaker?.endpointNames() ?? []) {
      if (!sagemaker!.isAsync(endpointName)) continue;
      const queue = sagemaker!.queueSnapshot(endpointName);
      if (!queue) continue;
      const instances = sagemaker!.variants(endpointName)
        .reduce((sum, v) => sum + v.currentInstanceCount, 0);
      const backlog = queue.queued + queue.inProgress;
      const dims = [{ Name: "EndpointName", Value: endpointName }];
      datum("ApproximateBacklogSize", dims, backlog, "Count");
      if (instances > 0 || backlog > 0) {
        datum("ApproximateBacklogSizePerInstance", dims, backlog / Math.max(1, instances), "Count");
      }
      const age = queue.oldestQueuedAt === undefined
        ? 0
        : Math.max(0, (periodEnd - queue.oldestQueuedAt) / 1000);
      datum("ApproximateAgeOfOldestRequest", dims, age, "Seconds");
      datum(
        "HasBacklogWithoutCapacity",
        dims,
        queue.queued > 0 && instances === 0 ? 1 : 0,
        "Count",
      );
    }

    const finished = this.#outcomes.filter((o) => o.finishedAt < periodEnd);
    this.#outcomes = this.#outcomes.filter((o) => o.finishedAt >= periodEnd);
    const groups = new Map<string, InvocationOutcome[]>();
    for (const outcome of finished) {
      const bucket = Math.floor(outcome.finishedAt / periodMs) * periodMs;
      const key = JSON.stringify([outcome.endpointName, outcome.variantName, bucket]);
      let list = groups.get(key);
      if (!list) groups.set(key, list = []);
      list.push(outcome);
    }
    for (const [key, outcomes] of groups) {
      const [endpointName, variantName, bucket] = JSON.parse(key) as [string, string, number];
      const dims = [
        { Name: "EndpointName", Value: endpointName },
        { Name: "VariantName", Value: variantName },
      ];
      const counts: Record<typeof COUNTERS[number], number> = {
        InvocationsProcesssed: 0,
        InvocationsProcessed: 0,
        InvocationFailures: 0,
        ExpiredRequests: 0,
        RequestDownloadFailures: 0,
        ResponseUploadFailures: 0,
      };
      for (const o of outcomes) {
        if (o.status === "Completed") {
          counts.InvocationsProcesssed++;
          counts.InvocationsProcessed++;
        } else {
          const kind = o.failureKind ??
            (o.status === "Expired" ? "ExpiredRequests" : "InvocationFailures");
          counts[kind]++;
        }
        if (o.modelLatencyMs !== undefined) {
          datum("ModelLatency", dims, o.modelLatencyMs * 1000, "Microseconds", o.finishedAt);
        }
        if (o.startedAt !== undefined) {
          datum("TimeInBacklog", dims, o.startedAt - o.acceptedAt, "Milliseconds", o.finishedAt);
        }
        datum(
          "TotalProcessingTime",
          dims,
          o.finishedAt - o.acceptedAt,
          "Milliseconds",
          o.finishedAt,
        );
      }
      for (const name of COUNTERS) datum(name, dims, counts[name], "Count", bucket);
    }
    if (data.length > 0) this.#cloudwatch.putMetricData(data);
  }
}
