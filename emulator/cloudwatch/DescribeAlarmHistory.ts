/**
 * `DescribeAlarmHistory`: configuration updates, state changes and actions
 * of metric alarms (also of alarms deleted since), kept two weeks, newest
 * first unless `ScanBy` is `TimestampAscending`, `MaxRecords` (default 100)
 * per page.
 *
 * @module
 */
import type { CloudWatch } from "./backend.ts";
import {
  type Members,
  optionalEnum,
  optionalNumber,
  optionalString,
  optionalStringList,
  optionalTimestamp,
  readOffsetToken,
} from "./parameters.ts";

const ITEM_TYPES = [
  "ConfigurationUpdate",
  "StateUpdate",
  "Action",
  "AlarmContributorStateUpdate",
  "AlarmContributorAction",
] as const;

/** Handles `DescribeAlarmHistory`. */
export function describeAlarmHistory(cloudwatch: CloudWatch, input: Members): unknown {
  const name = optionalString(input, "AlarmName", { min: 1, max: 255 });
  optionalString(input, "AlarmContributorId", { min: 1, max: 1024 });
  const types = optionalStringList(input, "AlarmTypes", { max: 2 });
  for (const [i, t] of (types ?? []).entries()) {
    optionalEnum({ t }, "t", ["MetricAlarm", "CompositeAlarm"], `AlarmTypes.member.${i + 1}`);
  }
  const itemType = optionalEnum(input, "HistoryItemType", ITEM_TYPES);
  const start = optionalTimestamp(input, "StartDate")?.getTime() ?? -Infinity;
  const end = optionalTimestamp(input, "EndDate")?.getTime() ?? Infinity;
  const maxRecords = optionalNumber(input, "MaxRecords", { integer: true, min: 1, max: 100 }) ??
    100;
  const scanBy = optionalEnum(input, "ScanBy", ["TimestampDescending", "TimestampAscending"]) ??
    "TimestampDescending";
  const offset = readOffsetToken(input);
  const wantMetric = types === undefined || types.length === 0 || types.includes("MetricAlarm");
  const matching = !wantMetric
    ? []
    : cloudwatch.history().filter((h) =>
      (name === undefined || h.AlarmName === name) &&
      (itemType === undefined || h.HistoryItemType === itemType) &&
      h.Timestamp.getTime() >= start && h.Timestamp.getTime() <= end
    );
  const ordered = scanBy === "TimestampAscending" ? matching : [...matching].reverse();
  const page = ordered.slice(offset, offset + maxRecords);
  const next = offset + maxRecords;
  return {
    AlarmHistoryItems: page,
    ...(next < ordered.length ? { NextToken: String(next) } : {}),
  };
}
