/**
 * `PutMetricData`: stores custom metric data points given as `Value`,
 * `Values` + `Counts` or `StatisticValues`. The whole request is validated
 * before anything is stored.
 *
 * @module
 */
import type { CloudWatch } from "./backend.ts";
import { cloudWatchError } from "./errors.ts";
import { NAMESPACE_RULE, readDimensions, readUnit } from "./metric_inputs.ts";
import type { MetricIdentity } from "./metric_store.ts";
import {
  invalidValue,
  itemPath,
  memberPath,
  type Members,
  optionalList,
  optionalNumber,
  optionalStruct,
  optionalTimestamp,
  requiredNumber,
  requiredString,
} from "./parameters.ts";
import { type Sample, singleValueSample } from "./statistics.ts";

/** Most data points in one request. */
export const MAX_METRIC_DATA = 1000;
/** Most `Values` in one datum. */
export const MAX_VALUES = 150;
const MAX_MAGNITUDE = 2 ** 360;
const FUTURE_LIMIT_MS = 2 * 3_600_000;
const PAST_LIMIT_MS = 14 * 24 * 3_600_000;

function checkValue(value: number, path: string): number {
  if (Math.abs(value) > MAX_MAGNITUDE) {
    throw invalidValue(path, value, "must be between -2^360 and 2^360");
  }
  return value;
}

/** Validates a `PutMetricData` request into samples. */
export function parseMetricData(
  input: Members,
  now: number,
): Array<{ metric: MetricIdentity; sample: Sample }> {
  const namespace = requiredString(input, "Namespace", NAMESPACE_RULE);
  if (namespace.startsWith("AWS/")) {
    throw cloudWatchError(
      "InvalidParameterValueException",
      `The value ${namespace} for parameter Namespace is invalid.`,
    );
  }
  const data = optionalList(input, "MetricData", { min: 1, max: MAX_METRIC_DATA });
  if (data === undefined) {
    throw cloudWatchError(
      "MissingRequiredParameterException",
      "The parameter MetricData is required.",
    );
  }
  return data.map((item, index) => {
    const path = itemPath("MetricData", index);
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw invalidValue(path, item, "must be a structure");
    }
    const datum = item as Members;
    const metricName = requiredString(datum, "MetricName", { min: 1, max: 255 }, path);
    const dimensions = readDimensions(datum, path);
    const timestamp = optionalTimestamp(datum, "Timestamp", path)?.getTime() ?? now;
    if (timestamp > now + FUTURE_LIMIT_MS) {
      throw cloudWatchError(
        "InvalidParameterValueException",
        `The parameter ${
          memberPath(path, "Timestamp")
        } must specify a time no more than two hours in the future.`,
      );
    }
    if (timestamp < now - PAST_LIMIT_MS) {
      throw cloudWatchError(
        "InvalidParameterValueException",
        `The parameter ${
          memberPath(path, "Timestamp")
        } must specify a time within the past two weeks.`,
      );
    }
    const unit = readUnit(datum, path) ?? "None";
    const resolution = optionalNumber(datum, "StorageResolution", { integer: true }, path);
    if (resolution !== undefined && resolution !== 1 && resolution !== 60) {
      throw invalidValue(memberPath(path, "StorageResolution"), resolution, "must be 1 or 60");
    }
    const value = optionalNumber(datum, "Value", {}, path);
    const values = optionalList(datum, "Values", { max: MAX_VALUES }, path);
    const counts = optionalList(datum, "Counts", { max: MAX_VALUES }, path);
    const stats = optionalStruct(datum, "StatisticValues", path);
    const given = [value !== undefined, values !== undefined, stats !== undefined]
      .filter(Boolean).length;
    if (given !== 1) {
      throw cloudWatchError(
        "InvalidParameterCombinationException",
        `Exactly one of the parameters ${memberPath(path, "Value")}, ${
          memberPath(path, "Values")
        } and ${memberPath(path, "StatisticValues")} must be specified.`,
      );
    }
    if (counts !== undefined && values === undefined) {
      throw cloudWatchError(
        "InvalidParameterCombinationException",
        `${memberPath(path, "Counts")} can only be given with ${memberPath(path, "Values")}.`,
      );
    }
    let sample: Sample;
    if (value !== undefined) {
      checkValue(value, memberPath(path, "Value"));
      sample = singleValueSample(value, { timestamp, unit });
    } else if (values !== undefined) {
      const valuesPath = memberPath(path, "Values");
      const nums = values.map((v, i) => {
        const itemName = itemPath(valuesPath, i);
        return checkValue(requiredNumber({ [itemName]: v }, itemName), itemName);
      });
      const countsPath = memberPath(path, "Counts");
      const weights = counts === undefined ? nums.map(() => 1) : counts.map((c, i) => {
        const itemName = itemPath(countsPath, i);
        return requiredNumber({ [itemName]: c }, itemName, { min: 0 });
      });
      if (weights.length !== nums.length) {
        throw cloudWatchError(
          "InvalidParameterValueException",
          `The parameters ${valuesPath} and ${countsPath} must be of the same size.`,
        );
      }
      let count = 0;
      let sum = 0;
      let min = Infinity;
      let max = -Infinity;
      nums.forEach((v, i) => {
        const c = weights[i]!;
        if (c === 0) return;
        count += c;
        sum += v * c;
        min = Math.min(min, v);
        max = Math.max(max, v);
      });
      if (count === 0) {
        throw invalidValue(countsPath, counts, "at least one count must be greater than 0");
      }
      sample = {
        timestamp,
        unit,
        sampleCount: count,
        sum,
        minimum: min,
        maximum: max,
        values: nums,
        counts: weights,
      };
    } else {
      const statsPath = memberPath(path, "StatisticValues");
      const set = stats!;
      const sampleCount = requiredNumber(set, "SampleCount", {}, statsPath);
      const sum = checkValue(requiredNumber(set, "Sum", {}, statsPath), `${statsPath}.Sum`);
      const minimum = checkValue(
        requiredNumber(set, "Minimum", {}, statsPath),
        `${statsPath}.Minimum`,
      );
      const maximum = checkValue(
        requiredNumber(set, "Maximum", {}, statsPath),
        `${statsPath}.Maximum`,
      );
      if (!(sampleCount > 0)) {
        throw invalidValue(`${statsPath}.SampleCount`, sampleCount, "must be greater than 0");
      }
      if (minimum > maximum) {
        throw invalidValue(`${statsPath}.Minimum`, minimum, `must not exceed Maximum (${maximum})`);
      }
      sample = { timestamp, unit, sampleCount, sum, minimum, maximum };
    }
    return { metric: { namespace, metricName, dimensions }, sample };
  });
}

/** Handles `PutMetricData`. */
export function putMetricData(cloudwatch: CloudWatch, input: Members): undefined {
  cloudwatch.putSamples(parseMetricData(input, cloudwatch.now()));
  return undefined;
}
