/**
 * `PutMetricAlarm`: creates or replaces a metric alarm. Static thresholds
 * on one metric (`MetricName` ...) or on one `MetricStat` of `Metrics`;
 * metric math and anomaly-detection bands are not modelled and are refused
 * with an error that says so.
 *
 * @module
 */
import {
  BAND_COMPARISON_OPERATORS,
  type ComparisonOperator,
  type MetricAlarmDefinition,
  STATIC_COMPARISON_OPERATORS,
  TREAT_MISSING_DATA,
} from "./alarm.ts";
import type { CloudWatch } from "./backend.ts";
import { cloudWatchError } from "./errors.ts";
import {
  checkPeriod,
  NAMESPACE_RULE,
  readDimensions,
  readMetricDataQueries,
  readUnit,
} from "./metric_inputs.ts";
import {
  invalidValue,
  type Members,
  optionalBoolean,
  optionalEnum,
  optionalList,
  optionalNumber,
  optionalString,
  optionalStringList,
  requiredEnum,
  requiredNumber,
  requiredString,
} from "./parameters.ts";
import { BASIC_STATISTICS, parseStatistic } from "./statistics.ts";

const ACTION_RULE = { max: 5, item: { min: 1, max: 1024, pattern: /^arn:[^:]*:[^:]*:/ } };

function checkAlarmPeriod(period: number, path: string): void {
  checkPeriod(period, path);
  if (period < 60 && ![10, 20, 30].includes(period)) {
    throw invalidValue(path, period, "must be 10, 20, 30 or a multiple of 60");
  }
}

/** Validates a `PutMetricAlarm` request and returns the alarm's configuration. */
export function parseMetricAlarmInput(input: Members): MetricAlarmDefinition {
  const alarmName = requiredString(input, "AlarmName", { min: 1, max: 255 });
  const description = optionalString(input, "AlarmDescription", { max: 1024 });
  const actionsEnabled = optionalBoolean(input, "ActionsEnabled") ?? true;
  const okActions = optionalStringList(input, "OKActions", ACTION_RULE) ?? [];
  const alarmActions = optionalStringList(input, "AlarmActions", ACTION_RULE) ?? [];
  const insufficientActions = optionalStringList(input, "InsufficientDataActions", ACTION_RULE) ??
    [];
  const operator = requiredEnum(input, "ComparisonOperator", [
    ...STATIC_COMPARISON_OPERATORS,
    ...BAND_COMPARISON_OPERATORS,
  ]);
  if ((BAND_COMPARISON_OPERATORS as readonly string[]).includes(operator)) {
    throw cloudWatchError(
      "InvalidParameterCombinationException",
      `ComparisonOperator ${operator} needs an anomaly detection band (ThresholdMetricId); ` +
        "anomaly detection is not modelled by this emulator",
    );
  }
  if (input.ThresholdMetricId !== undefined) {
    throw cloudWatchError(
      "InvalidParameterCombinationException",
      "ThresholdMetricId can only be used with anomaly detection comparison operators",
    );
  }
  const evaluationPeriods = requiredNumber(input, "EvaluationPeriods", { integer: true, min: 1 });
  const datapointsToAlarm = optionalNumber(input, "DatapointsToAlarm", { integer: true, min: 1 });
  if (datapointsToAlarm !== undefined && datapointsToAlarm > evaluationPeriods) {
    throw invalidValue(
      "DatapointsToAlarm",
      datapointsToAlarm,
      `must not be greater than EvaluationPeriods (${evaluationPeriods})`,
    );
  }
  const threshold = optionalNumber(input, "Threshold");
  if (threshold === undefined) {
    throw cloudWatchError(
      "ValidationException",
      "Threshold is required for alarms with a static threshold comparison operator",
    );
  }
  const treatMissingData = optionalEnum(input, "TreatMissingData", TREAT_MISSING_DATA);
  const lowSample = optionalEnum(input, "EvaluateLowSampleCountPercentile", ["evaluate", "ignore"]);
  optionalList(input, "Tags", { max: 50 });

  const hasMetricName = input.MetricName !== undefined && input.MetricName !== null;
  const hasMetrics = input.Metrics !== undefined && input.Metrics !== null;
  if (hasMetricName === hasMetrics) {
    throw cloudWatchError(
      "InvalidParameterCombinationException",
      hasMetricName
        ? "MetricName and Metrics cannot both be specified"
        : "Exactly one of MetricName and Metrics must be specified",
    );
  }
  const common = {
    AlarmName: alarmName,
    ...(description === undefined ? {} : { AlarmDescription: description }),
    ActionsEnabled: actionsEnabled,
    OKActions: okActions,
    AlarmActions: alarmActions,
    InsufficientDataActions: insufficientActions,
    EvaluationPeriods: evaluationPeriods,
    ...(datapointsToAlarm === undefined ? {} : { DatapointsToAlarm: datapointsToAlarm }),
    Threshold: threshold,
    ComparisonOperator: operator as ComparisonOperator,
    ...(treatMissingData === undefined ? {} : { TreatMissingData: treatMissingData }),
    ...(lowSample === undefined ? {} : { EvaluateLowSampleCountPercentile: lowSample }),
  };
  let periodSeconds: number;
  let definition: MetricAlarmDefinition;
  if (hasMetricName) {
    const metricName = requiredString(input, "MetricName", { min: 1, max: 255 });
    const namespace = requiredString(input, "Namespace", NAMESPACE_RULE);
    const statistic = optionalEnum(input, "Statistic", BASIC_STATISTICS);
    const extended = optionalString(input, "ExtendedStatistic");
    if ((statistic === undefined) === (extended === undefined)) {
      throw cloudWatchError(
        "InvalidParameterCombinationException",
        "Exactly one of Statistic and ExtendedStatistic must be specified",
      );
    }
    if (extended !== undefined && parseStatistic(extended)?.kind !== "percentile") {
      throw invalidValue(
        "ExtendedStatistic",
        extended,
        "must be a percentile pNN (other extended statistics are not modelled by this emulator)",
      );
    }
    periodSeconds = requiredNumber(input, "Period", { integer: true, min: 1 });
    checkAlarmPeriod(periodSeconds, "Period");
    const unit = readUnit(input);
    definition = {
      ...common,
      MetricName: metricName,
      Namespace: namespace,
      ...(statistic === undefined ? {} : { Statistic: statistic }),
      ...(extended === undefined ? {} : { ExtendedStatistic: extended }),
      Dimensions: readDimensions(input),
      Period: periodSeconds,
      ...(unit === undefined ? {} : { Unit: unit }),
    };
  } else {
    for (const member of ["Namespace", "Statistic", "ExtendedStatistic", "Period", "Unit"]) {
      if (input[member] !== undefined && input[member] !== null) {
        throw cloudWatchError(
          "InvalidParameterCombinationException",
          `${member} cannot be specified together with Metrics`,
        );
      }
    }
    const metrics = readMetricDataQueries(input, "Metrics", { min: 1, max: 10 });
    const returned = metrics.filter((q) => q.ReturnData !== false);
    if (returned.length !== 1) {
      throw invalidValue(
        "Metrics",
        `${returned.length} queries with ReturnData`,
        "exactly one query must return data",
      );
    }
    const stat = returned[0]!.MetricStat;
    if (!stat) {
      throw invalidValue(
        "Metrics",
        returned[0]!.Expression,
        "metric math expressions in alarms are not modelled by this emulator; " +
          "the returned query must be a MetricStat",
      );
    }
    periodSeconds = stat.Period;
    checkAlarmPeriod(periodSeconds, "Metrics.member.N.MetricStat.Period");
    definition = { ...common, Dimensions: [], Metrics: metrics };
  }
  const limit = periodSeconds < 3600 ? 86_400 : 604_800;
  if (periodSeconds * evaluationPeriods > limit) {
    throw invalidValue(
      "EvaluationPeriods",
      evaluationPeriods,
      `Period multiplied by EvaluationPeriods must not exceed ${limit} seconds`,
    );
  }
  return definition;
}

/** Handles `PutMetricAlarm`. */
export function putMetricAlarm(cloudwatch: CloudWatch, input: Members): undefined {
  cloudwatch.setAlarm(parseMetricAlarmInput(input));
  return undefined;
}
