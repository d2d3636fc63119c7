/**
 * A CloudWatch metric alarm as stored and as `DescribeAlarms` returns it
 * (wire member names; `Date` values render per protocol).
 *
 * @module
 */
import type { Dimension } from "./metric_store.ts";

/** Alarm states. */
export const ALARM_STATES = ["OK", "ALARM", "INSUFFICIENT_DATA"] as const;

/** An alarm state. */
export type AlarmState = typeof ALARM_STATES[number];

/** Comparison operators of static-threshold alarms. */
export const STATIC_COMPARISON_OPERATORS = [
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
] as const;

/** Anomaly-detection operators (need `ThresholdMetricId`). */
export const BAND_COMPARISON_OPERATORS = [
  "LessThanLowerOrGreaterThanUpperThreshold",
  "LessThanLowerThreshold",
  "GreaterThanUpperThreshold",
] as const;

/** A static-threshold comparison operator. */
export type ComparisonOperator = typeof STATIC_COMPARISON_OPERATORS[number];

/** `TreatMissingData` values. */
export const TREAT_MISSING_DATA = ["breaching", "notBreaching", "ignore", "missing"] as const;

/** How missing data points count. */
export type TreatMissingData = typeof TREAT_MISSING_DATA[number];

/** `MetricStat` of a metric data query. */
export interface MetricStatSpec {
  readonly Metric: {
    readonly Namespace: string;
    readonly MetricName: string;
    readonly Dimensions: readonly Dimension[];
  };
  readonly Period: number;
  readonly Stat: string;
  readonly Unit?: string;
}

/** A metric data query as alarms (`Metrics`) and `GetMetricData` take it. */
export interface MetricDataQuerySpec {
  readonly Id: string;
  readonly MetricStat?: MetricStatSpec;
  readonly Expression?: string;
  readonly Label?: string;
  readonly ReturnData?: boolean;
  readonly Period?: number;
  readonly AccountId?: string;
}

/** An alarm's configuration (what `PutMetricAlarm` sets). */
export interface MetricAlarmDefinition {
  readonly AlarmName: string;
  readonly AlarmDescription?: string;
  readonly ActionsEnabled: boolean;
  readonly OKActions: readonly string[];
  readonly AlarmActions: readonly string[];
  readonly InsufficientDataActions: readonly string[];
  readonly MetricName?: string;
  readonly Namespace?: string;
  readonly Statistic?: string;
  readonly ExtendedStatistic?: string;
  readonly Dimensions: readonly Dimension[];
  readonly Period?: number;
  readonly Unit?: string;
  readonly EvaluationPeriods: number;
  readonly DatapointsToAlarm?: number;
  readonly Threshold?: number;
  readonly ComparisonOperator: ComparisonOperator;
  readonly TreatMissingData?: TreatMissingData;
  readonly EvaluateLowSampleCountPercentile?: string;
  readonly Metrics?: readonly MetricDataQuerySpec[];
}

/** A stored alarm: its configuration plus state. */
export interface MetricAlarm extends MetricAlarmDefinition {
  readonly AlarmArn: string;
  readonly AlarmConfigurationUpdatedTimestamp: Date;
  readonly StateValue: AlarmState;
  readonly StateReason: string;
  readonly StateReasonData?: string;
  readonly StateUpdatedTimestamp: Date;
  readonly StateTransitionedTimestamp: Date;
}
