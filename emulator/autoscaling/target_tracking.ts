/**
 * Target tracking as Application Auto Scaling runs it: the alarms it creates
 * and owns, and the capacity it asks for.
 *
 * Alarms (one-minute periods, no `TreatMissingData`, so missing data is
 * `missing`), as AWS creates them for SageMaker variants (observed on AWS; the
 * documentation only says that target tracking "creates and manages" them):
 *
 * - `TargetTracking-<ResourceId>-AlarmHigh-<uuid>`: metric > target for 3 of 3
 *   data points;
 * - `TargetTracking-<ResourceId>-AlarmLow-<uuid>`: metric < 0.9 × target for
 *   15 of 15 data points (not created with `DisableScaleIn`).
 *
 * Both have `AlarmActions: [<PolicyARN>]` and the description
 * `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy <PolicyARN>.`.
 *
 * Capacity: the metric is assumed to fall in proportion as capacity grows
 * (the documented requirement for a target tracking metric), so the
 * capacity that brings metric `m` to target `t` from capacity `c` is
 * `ceil(c × m / t)`. Scale-out uses `max(c, 1)`: a per-instance metric at
 * zero instances is the whole load (see SageMaker's
 * `ApproximateBacklogSizePerInstance`), so one instance is the unit it was
 * measured against. The high alarm only ever raises capacity and the low
 * alarm only ever lowers it.
 *
 * @module
 */
import type { Members } from "./parameters.ts";

/** High alarm: data points and evaluation periods (one minute each). */
export const HIGH_ALARM_PERIODS = 3;
/** Low alarm: data points and evaluation periods (one minute each). */
export const LOW_ALARM_PERIODS = 15;
/** Low alarm threshold as a fraction of the target value. */
export const LOW_ALARM_FACTOR = 0.9;
/** Period of the alarms, seconds. */
export const ALARM_PERIOD_SECONDS = 60;

/**
 * The name of a policy's high or low alarm up to its UUID:
 * `TargetTracking-<ResourceId>-AlarmHigh-` / `...-AlarmLow-`. Matching the
 * whole prefix tells the two apart even when the resource id itself contains
 * `-AlarmHigh-` or `-AlarmLow-`.
 */
export function alarmNamePrefix(resourceId: string, kind: "High" | "Low"): string {
  return `TargetTracking-${resourceId}-Alarm${kind}-`;
}

/** The metric a target tracking policy tracks, as alarm members. */
export type TrackedMetric =
  | {
    readonly MetricName: string;
    readonly Namespace: string;
    readonly Statistic: string;
    readonly Dimensions: ReadonlyArray<{ Name: string; Value: string }>;
    readonly Unit?: string;
  }
  | { readonly Metrics: readonly Members[] };

/** Options for {@linkcode targetTrackingAlarmInputs}. */
export interface TargetTrackingAlarmOptions {
  policyArn: string;
  highAlarmName: string;
  lowAlarmName: string;
  metric: TrackedMetric;
  targetValue: number;
  disableScaleIn: boolean;
}

/** `PutMetricAlarm` inputs for a policy's alarms (`low` absent with `DisableScaleIn`). */
export function targetTrackingAlarmInputs(
  options: TargetTrackingAlarmOptions,
): { high: Members; low?: Members } {
  const metric: Members = "Metrics" in options.metric
    ? {
      Metrics: options.metric.Metrics.map((q) => {
        const stat = q.MetricStat as Members | undefined;
        return stat ? { ...q, MetricStat: { ...stat, Period: ALARM_PERIOD_SECONDS } } : q;
      }),
    }
    : { ...options.metric, Period: ALARM_PERIOD_SECONDS };
  const common: Members = {
    AlarmDescription:
      `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${options.policyArn}.`,
    ActionsEnabled: true,
    AlarmActions: [options.policyArn],
    ...metric,
  };
  const high: Members = {
    ...common,
    AlarmName: options.highAlarmName,
    EvaluationPeriods: HIGH_ALARM_PERIODS,
    DatapointsToAlarm: HIGH_ALARM_PERIODS,
    Threshold: options.targetValue,
    ComparisonOperator: "GreaterThanThreshold",
  };
  if (options.disableScaleIn) return { high };
  const low: Members = {
    ...common,
    AlarmName: options.lowAlarmName,
    EvaluationPeriods: LOW_ALARM_PERIODS,
    DatapointsToAlarm: LOW_ALARM_PERIODS,
    Threshold: options.targetValue * LOW_ALARM_FACTOR,
    ComparisonOperator: "LessThanThreshold",
  };
  return { high, low };
}

/**
 * The capacity target tracking asks for; `undefined` when the alarm's
 * direction would not change it (the high alarm never lowers capacity, the
 * low alarm never raises it).
 */
export function targetTrackingCapacity(options: {
  current: number;
  metricValue: number;
  targetValue: number;
  direction: "out" | "in";
}): number | undefined {
  const { current, metricValue, targetValue, direction } = options;
  if (direction === "out") {
    const wanted = Math.ceil(Math.max(current, 1) * metricValue / targetValue);
    return wanted > current ? wanted : undefined;
  }
  const wanted = Math.ceil(current * metricValue / targetValue);
  return wanted < current ? Math.max(0, wanted) : undefined;
}
