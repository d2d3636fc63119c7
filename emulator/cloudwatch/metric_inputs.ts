/**
 * Request members that several CloudWatch operations share: dimensions,
 * units, metric identities and `MetricStat` / metric data queries.
 *
 * @module
 */
import type { MetricDataQuerySpec, MetricStatSpec } from "./alarm.ts";
import { cloudWatchError } from "./errors.ts";
import type { Dimension } from "./metric_store.ts";
import {
  constraintError,
  invalidValue,
  itemPath,
  memberPath,
  type Members,
  optionalBoolean,
  optionalEnum,
  optionalList,
  optionalNumber,
  optionalString,
  requiredNumber,
  requiredString,
  requiredStruct,
} from "./parameters.ts";
import { parseStatistic } from "./statistics.ts";

/** CloudWatch's `StandardUnit` values. */
export const STANDARD_UNITS = [
  "Seconds",
  "Microseconds",
  "Milliseconds",
  "Bytes",
  "Kilobytes",
  "Megabytes",
  "Gigabytes",
  "Terabytes",
  "Bits",
  "Kilobits",
  "Megabits",
  "Gigabits",
  "Terabits",
  "Percent",
  "Count",
  "Bytes/Second",
  "Kilobytes/Second",
  "Megabytes/Second",
  "Gigabytes/Second",
  "Terabytes/Second",
  "Bits/Second",
  "Kilobits/Second",
  "Megabits/Second",
  "Gigabits/Second",
  "Terabits/Second",
  "Count/Second",
  "None",
] as const;

/** Most dimensions a metric may have. */
export const MAX_DIMENSIONS = 30;

/** `Namespace`: 1-255 characters, not starting with `:`. */
export const NAMESPACE_RULE = { min: 1, max: 255, pattern: /^[^:][\s\S]*$/ };

/** Reads an optional `Unit`. */
export function readUnit(members: Members, parent = ""): string | undefined {
  return optionalEnum(members, "Unit", STANDARD_UNITS, parent);
}

/** Reads a `Dimensions` list; each name once. */
export function readDimensions(members: Members, parent = "", name = "Dimensions"): Dimension[] {
  const path = memberPath(parent, name);
  const list = optionalList(members, name, { max: MAX_DIMENSIONS }, parent) ?? [];
  const seen = new Set<string>();
  return list.map((item, index) => {
    const itemName = itemPath(path, index);
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw invalidValue(itemName, item, "must be a structure with Name and Value");
    }
    const dim = item as Members;
    const dimName = requiredString(dim, "Name", { min: 1, max: 255 }, itemName);
    const value = requiredString(dim, "Value", { min: 1, max: 1024 }, itemName);
    if (seen.has(dimName)) {
      throw cloudWatchError(
        "InvalidParameterValueException",
        `No metric may have more than one dimension named ${dimName} (${path})`,
      );
    }
    seen.add(dimName);
    return { Name: dimName, Value: value };
  });
}

/** Checks a period in seconds: 1, 5, 10, 20, 30 or a multiple of 60. */
export function checkPeriod(period: number, path: string): void {
  if (!Number.isInteger(period) || period < 1) {
    throw invalidValue(path, period, "must be a positive integer number of seconds");
  }
  if (![1, 5, 10, 20, 30].includes(period) && period % 60 !== 0) {
    throw invalidValue(path, period, "must be 1, 5, 10, 20, 30 or a multiple of 60");
  }
}

/** Reads a `MetricStat`. */
export function readMetricStat(members: Members, parent: string): MetricStatSpec {
  const metric = requiredStruct(members, "Metric", parent);
  const metricPath = memberPath(parent, "Metric");
  const namespace = requiredString(metric, "Namespace", NAMESPACE_RULE, metricPath);
  const metricName = requiredString(metric, "MetricName", { min: 1, max: 255 }, metricPath);
  const dimensions = readDimensions(metric, metricPath);
  const period = requiredNumber(members, "Period", { integer: true, min: 1 }, parent);
  checkPeriod(period, memberPath(parent, "Period"));
  const stat = requiredString(members, "Stat", { min: 1 }, parent);
  if (!parseStatistic(stat)) {
    throw invalidValue(
      memberPath(parent, "Stat"),
      stat,
      "must be SampleCount, Average, Sum, Minimum, Maximum or a percentile pNN " +
        "(other extended statistics are not modelled by this emulator)",
    );
  }
  const unit = readUnit(members, parent);
  return {
    Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dimensions },
    Period: period,
    Stat: stat,
    ...(unit === undefined ? {} : { Unit: unit }),
  };
}

const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

/** Reads a list of metric data queries (`MetricDataQueries`, an alarm's `Metrics`). */
export function readMetricDataQueries(
  members: Members,
  name: string,
  limits: { min: number; max: number },
): MetricDataQuerySpec[] {
  const path = name;
  const list = optionalList(members, name, limits) ?? [];
  if (list.length < limits.min) {
    throw constraintError(
      path,
      `[${list.length} items]`,
      `Member must have length greater than or equal to ${limits.min}`,
    );
  }
  const ids = new Set<string>();
  return list.map((item, index) => {
    const itemName = itemPath(path, index);
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw invalidValue(itemName, item, "must be a structure");
    }
    const query = item as Members;
    const id = requiredString(query, "Id", { min: 1, max: 255, pattern: QUERY_ID }, itemName);
    if (ids.has(id)) {
      throw cloudWatchError(
        "ValidationException",
        `The value ${id} for parameter ${memberPath(itemName, "Id")} is not unique.`,
      );
    }
    ids.add(id);
    const hasStat = query.MetricStat !== undefined && query.MetricStat !== null;
    const expression = optionalString(query, "Expression", { min: 1, max: 2048 }, itemName);
    if (hasStat === (expression !== undefined)) {
      throw cloudWatchError(
        "ValidationException",
        `Exactly one of MetricStat and Expression must be specified in ${itemName}.`,
      );
    }
    const spec: MetricDataQuerySpec = {
      Id: id,
      ...(hasStat
        ? {
          MetricStat: readMetricStat(
            requiredStruct(query, "MetricStat", itemName),
            memberPath(itemName, "MetricStat"),
          ),
        }
        : { Expression: expression }),
    };
    const label = optionalString(query, "Label", {}, itemName);
    const returnData = optionalBoolean(query, "ReturnData", itemName);
    const period = optionalNumber(query, "Period", { integer: true, min: 1 }, itemName);
    if (period !== undefined) checkPeriod(period, memberPath(itemName, "Period"));
    return {
      ...spec,
      ...(label === undefined ? {} : { Label: label }),
      ...(returnData === undefined ? {} : { ReturnData: returnData }),
      ...(period === undefined ? {} : { Period: period }),
    };
  });
}
