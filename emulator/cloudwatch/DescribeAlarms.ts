/**
 * `DescribeAlarms`: metric alarms by name, name prefix, state or action
 * prefix, sorted by name, `MaxRecords` (default 50) per page. Composite
 * alarms are not modelled: `CompositeAlarms` is always empty.
 *
 * @module
 */
import { ALARM_STATES } from "./alarm.ts";
import type { CloudWatch } from "./backend.ts";
import { cloudWatchError } from "./errors.ts";
import {
  type Members,
  optionalEnum,
  optionalNumber,
  optionalString,
  optionalStringList,
  readOffsetToken,
} from "./parameters.ts";

/** Handles `DescribeAlarms`. */
export function describeAlarms(cloudwatch: CloudWatch, input: Members): unknown {
  const names = optionalStringList(input, "AlarmNames", {
    max: 100,
    item: { min: 1, max: 255 },
  });
  const prefix = optionalString(input, "AlarmNamePrefix", { min: 1, max: 255 });
  if (names !== undefined && prefix !== undefined) {
    throw cloudWatchError(
      "InvalidParameterCombinationException",
      "AlarmNames and AlarmNamePrefix cannot be specified together",
    );
  }
  const types = optionalStringList(input, "AlarmTypes", { max: 2 });
  for (const [i, t] of (types ?? []).entries()) {
    optionalEnum({ t }, "t", ["MetricAlarm", "CompositeAlarm"], `AlarmTypes.member.${i + 1}`);
  }
  optionalString(input, "ChildrenOfAlarmName", { min: 1, max: 255 });
  optionalString(input, "ParentsOfAlarmName", { min: 1, max: 255 });
  const state = optionalEnum(input, "StateValue", ALARM_STATES);
  const actionPrefix = optionalString(input, "ActionPrefix", { min: 1, max: 1024 });
  const maxRecords = optionalNumber(input, "MaxRecords", { integer: true, min: 1, max: 100 }) ??
    50;
  const offset = readOffsetToken(input);
  const wantMetric = types === undefined || types.length === 0 || types.includes("MetricAlarm");
  const composite = input.ChildrenOfAlarmName !== undefined ||
    input.ParentsOfAlarmName !== undefined;
  const matching = !wantMetric || composite
    ? []
    : cloudwatch.alarms().filter((a) =>
      (names === undefined || names.includes(a.AlarmName)) &&
      (prefix === undefined || a.AlarmName.startsWith(prefix)) &&
      (state === undefined || a.StateValue === state) &&
      (actionPrefix === undefined ||
        [...a.AlarmActions, ...a.OKActions, ...a.InsufficientDataActions].some((arn) =>
          arn.startsWith(actionPrefix)
        ))
    );
  const page = matching.slice(offset, offset + maxRecords);
  const next = offset + maxRecords;
  return {
    MetricAlarms: page,
    CompositeAlarms: [],
    ...(next < matching.length ? { NextToken: String(next) } : {}),
  };
}
