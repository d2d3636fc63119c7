/**
 * `GetMetricStatistics`: statistics of one metric per period, for periods
 * anchored at `StartTime` (rounded down to the minute for periods of a
 * minute or more, to the second otherwise). Data points published with
 * different units are reported separately unless `Unit` is given.
 *
 * @module
 */
import type { CloudWatch } from "./backend.ts";
import { cloudWatchError } from "./errors.ts";
import { checkPeriod, NAMESPACE_RULE, readDimensions, readUnit } from "./metric_inputs.ts";
import {
  invalidValue,
  itemPath,
  type Members,
  optionalList,
  requiredNumber,
  requiredString,
  requiredTimestamp,
} from "./parameters.ts";
import { BASIC_STATISTICS, parseStatistic, type Statistic } from "./statistics.ts";

/** Most data points one call may ask for. */
export const MAX_STATISTICS_DATAPOINTS = 1440;

/** Rounds a start time down as CloudWatch does for a period. */
export function alignStart(startMs: number, periodSeconds: number): number {
  const unit = periodSeconds >= 60 ? 60_000 : 1000;
  return Math.floor(startMs / unit) * unit;
}

/** Checks `StartTime < EndTime` and the data point limit; returns the aligned start. */
export function checkTimeRange(
  start: Date,
  end: Date,
  periodSeconds: number,
  limit?: number,
): number {
  if (!(start.getTime() < end.getTime())) {
    throw cloudWatchError(
      "InvalidParameterValueException",
      "The parameter StartTime must be less than the parameter EndTime.",
    );
  }
  const alignedStart = alignStart(start.getTime(), periodSeconds);
  if (limit !== undefined) {
    const requested = Math.ceil((end.getTime() - alignedStart) / (periodSeconds * 1000));
    if (requested > limit) {
      throw cloudWatchError(
        "InvalidParameterCombinationException",
        `You have requested up to ${requested.toLocaleString("en-US")} datapoints, which exceeds ` +
          `the limit of ${
            limit.toLocaleString("en-US")
          }. You may reduce the datapoints requested ` +
          "by increasing Period, or decreasing the time range.",
      );
    }
  }
  return alignedStart;
}

/** Handles `GetMetricStatistics`. */
export function getMetricStatistics(cloudwatch: CloudWatch, input: Members): unknown {
  const namespace = requiredString(input, "Namespace", NAMESPACE_RULE);
  const metricName = requiredString(input, "MetricName", { min: 1, max: 255 });
  const dimensions = readDimensions(input);
  const start = requiredTimestamp(input, "StartTime");
  const end = requiredTimestamp(input, "EndTime");
  const period = requiredNumber(input, "Period", { integer: true, min: 1 });
  checkPeriod(period, "Period");
  const unit = readUnit(input);
  const basic = (optionalList(input, "Statistics", { max: 5 }) ?? []).map((s, i) => {
    if (typeof s !== "string" || !(BASIC_STATISTICS as readonly string[]).includes(s)) {
      throw invalidValue(
        itemPath("Statistics", i),
        s,
        `must be one of ${BASIC_STATISTICS.join(", ")}`,
      );
    }
    return s;
  });
  const extended = (optionalList(input, "ExtendedStatistics", { max: 10 }) ?? []).map((s, i) => {
    if (typeof s !== "string" || parseStatistic(s)?.kind !== "percentile") {
      throw invalidValue(
        itemPath("ExtendedStatistics", i),
        s,
        "must be a percentile pNN (other extended statistics are not modelled by this emulator)",
      );
    }
    return s;
  });
  if (basic.length + extended.length === 0) {
    throw cloudWatchError(
      "InvalidParameterCombinationException",
      "At least one of the parameters Statistics and ExtendedStatistics must be specified.",
    );
  }
  const startMs = checkTimeRange(start, end, period, MAX_STATISTICS_DATAPOINTS);
  const metric = { namespace, metricName, dimensions };
  const units = unit !== undefined
    ? [unit]
    : [...new Set(cloudwatch.metrics.samples(metric, startMs, end.getTime()).map((s) => s.unit))];
  const datapoints: Array<Record<string, unknown>> = [];
  for (const u of units) {
    const byTime = new Map<number, Record<string, unknown>>();
    const fill = (name: string, statistic: Statistic, extendedStat: boolean) => {
      for (
        const point of cloudwatch.metrics.series(metric, {
          start: startMs,
          end: end.getTime(),
          periodMs: period * 1000,
          statistic,
          unit: u,
        })
      ) {
        let dp = byTime.get(point.timestamp);
        if (!dp) {
          byTime.set(point.timestamp, dp = { Timestamp: new Date(point.timestamp), Unit: u });
        }
        if (extendedStat) {
          dp.ExtendedStatistics = {
            ...(dp.ExtendedStatistics as object ?? {}),
            [name]: point.value,
          };
        } else dp[name] = point.value;
      }
    };
    for (const name of basic) fill(name, parseStatistic(name)!, false);
    for (const name of extended) fill(name, parseStatistic(name)!, true);
    datapoints.push(...[...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([, dp]) => dp));
  }
  return { Label: metricName, Datapoints: datapoints };
}
