/**
 * `GetMetricData`: several metrics (and simple arithmetic over them) in one
 * call. Periods are anchored at `StartTime` rounded down to the minute;
 * `ScanBy` orders the points; `MaxDatapoints` caps the points of one page
 * across all returned queries, the rest following with `NextToken`
 * (a truncated result has `StatusCode` `PartialData`).
 *
 * @module
 */
import type { MetricDataQuerySpec } from "./alarm.ts";
import type { CloudWatch } from "./backend.ts";
import { cloudWatchError } from "./errors.ts";
import { alignStart } from "./GetMetricStatistics.ts";
import { readMetricDataQueries } from "./metric_inputs.ts";
import { evaluateMetricMath, MetricMathError } from "./metric_math.ts";
import type { SeriesPoint } from "./metric_store.ts";
import {
  type Members,
  optionalEnum,
  optionalNumber,
  optionalString,
  requiredTimestamp,
} from "./parameters.ts";
import { parseStatistic } from "./statistics.ts";

/** Default and largest `MaxDatapoints`. */
export const DEFAULT_MAX_DATAPOINTS = 100_800;

function decodeToken(token: string): number {
  try {
    const parsed = JSON.parse(atob(token));
    if (Number.isInteger(parsed?.offset) && parsed.offset > 0) return parsed.offset;
  } catch {
    // fall through
  }
  throw cloudWatchError("InvalidNextToken", `The NextToken ${token} is not valid.`);
}

/** Handles `GetMetricData`. */
export function getMetricData(cloudwatch: CloudWatch, input: Members): unknown {
  const queries = readMetricDataQueries(input, "MetricDataQueries", { min: 1, max: 500 });
  const start = requiredTimestamp(input, "StartTime");
  const end = requiredTimestamp(input, "EndTime");
  if (!(start.getTime() < end.getTime())) {
    throw cloudWatchError(
      "InvalidParameterValueException",
      "The parameter StartTime must be less than the parameter EndTime.",
    );
  }
  const scanBy = optionalEnum(input, "ScanBy", ["TimestampDescending", "TimestampAscending"]) ??
    "TimestampDescending";
  const maxDatapoints = optionalNumber(input, "MaxDatapoints", { integer: true, min: 1 }) ??
    DEFAULT_MAX_DATAPOINTS;
  const token = optionalString(input, "NextToken");
  const offset = token === undefined ? 0 : decodeToken(token);

  const byId = new Map(queries.map((q) => [q.Id, q]));
  const computed = new Map<string, SeriesPoint[]>();
  const resolving = new Set<string>();
  const resolve = (query: MetricDataQuerySpec): SeriesPoint[] => {
    const done = computed.get(query.Id);
    if (done) return done;
    let points: SeriesPoint[];
    if (query.MetricStat) {
      const stat = query.MetricStat;
      points = cloudwatch.metrics.series(
        {
          namespace: stat.Metric.Namespace,
          metricName: stat.Metric.MetricName,
          dimensions: stat.Metric.Dimensions,
        },
        {
          start: alignStart(start.getTime(), stat.Period),
          end: end.getTime(),
          periodMs: stat.Period * 1000,
          statistic: parseStatistic(stat.Stat)!,
          unit: stat.Unit,
        },
      );
    } else {
      if (resolving.has(query.Id)) {
        throw cloudWatchError(
          "ValidationException",
          `Error in expression ${query.Id}: circular reference`,
        );
      }
      resolving.add(query.Id);
      const expression = query.Expression!;
      const referenced = new Map<string, readonly SeriesPoint[]>();
      for (const name of expression.match(/[a-zA-Z_][a-zA-Z0-9_]*/g) ?? []) {
        const other = byId.get(name);
        if (other && other.Id !== query.Id) referenced.set(name, resolve(other));
      }
      try {
        points = evaluateMetricMath(expression, referenced);
      } catch (error) {
        if (error instanceof MetricMathError) {
          throw cloudWatchError(
            "ValidationException",
            `Error in expression ${query.Id}: ${error.message}`,
          );
        }
        throw error;
      }
      resolving.delete(query.Id);
    }
    computed.set(query.Id, points);
    return points;
  };

  let skip = offset;
  let room = maxDatapoints;
  let truncated = false;
  const results = queries.filter((q) => q.ReturnData !== false).map((query) => {
    const all = resolve(query);
    const ordered = scanBy === "TimestampAscending" ? all : [...all].reverse();
    const dropped = Math.min(skip, ordered.length);
    skip -= dropped;
    const page = ordered.slice(dropped, dropped + room);
    room -= page.length;
    const partial = dropped + page.length < ordered.length;
    if (partial) truncated = true;
    return {
      Id: query.Id,
      Label: query.Label ?? query.MetricStat?.Metric.MetricName ?? query.Id,
      Timestamps: page.map((p) => new Date(p.timestamp)),
      Values: page.map((p) => p.value),
      StatusCode: partial ? "PartialData" : "Complete",
    };
  });
  return {
    MetricDataResults: results,
    Messages: [],
    ...(truncated ? { NextToken: btoa(JSON.stringify({ offset: offset + maxDatapoints })) } : {}),
  };
}
