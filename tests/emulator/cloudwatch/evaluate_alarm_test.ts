import assert from "node:assert/strict";
import type { MetricAlarmDefinition } from "../../../emulator/cloudwatch/alarm.ts";
import {
  evaluateAlarm,
  evaluationRange,
  formatReasonDate,
  formatReasonValue,
} from "../../../emulator/cloudwatch/evaluate_alarm.ts";

const T0 = Date.UTC(2026, 11, 4, 10, 0); // 04/12/26 10:00:00
const MIN = 60_000;

function alarm(overrides: Partial<MetricAlarmDefinition> = {}): MetricAlarmDefinition {
  return {
    AlarmName: "a",
    ActionsEnabled: true,
    OKActions: [],
    AlarmActions: [],
    InsufficientDataActions: [],
    MetricName: "HasBacklogWithoutCapacity",
    Namespace: "AWS/SageMaker",
    Statistic: "Average",
    Dimensions: [],
    Period: 60,
    EvaluationPeriods: 2,
    DatapointsToAlarm: 2,
    Threshold: 1,
    ComparisonOperator: "GreaterThanOrEqualToThreshold",
    ...overrides,
  };
}

/** Evaluates at 10:02:00 with values for the periods starting at the given minutes past 10:00. */
function run(def: MetricAlarmDefinition, values: Record<number, number>, now = T0 + 2 * MIN) {
  return evaluateAlarm({
    alarm: def,
    now,
    periodMs: 60_000,
    statistic: "Average",
    points: Object.entries(values).map(([m, value]) => ({
      timestamp: T0 + Number(m) * MIN,
      value,
    })),
  });
}

Deno.test("formatReasonValue() and formatReasonDate() print as CloudWatch does", () => {
  assert.equal(formatReasonValue(1), "1.0");
  assert.equal(formatReasonValue(0.25), "0.25");
  assert.equal(formatReasonDate(T0), "04/12/26 10:00:00");
});

Deno.test("evaluationRange() ends at the last period boundary and looks back twice the periods", () => {
  assert.deepEqual(evaluationRange(T0 + 2 * MIN + 30_000, MIN, 3), {
    start: T0 + 2 * MIN - 6 * MIN,
    end: T0 + 2 * MIN,
  });
});

Deno.test("evaluateAlarm() goes to ALARM when DatapointsToAlarm data points breach, with AWS's reason", () => {
  const result = run(alarm(), { 0: 1, 1: 1 });
  assert.equal(result.state, "ALARM");
  assert.equal(
    result.reason,
    "Threshold Crossed: 2 datapoints [1.0 (04/12/26 10:01:00), 1.0 (04/12/26 10:00:00)] were " +
      "greater than or equal to the threshold (1.0).",
  );
  const data = JSON.parse(result.reasonData);
  assert.deepEqual(data.recentDatapoints, [1, 1]);
  assert.equal(data.threshold, 1);
  assert.equal(data.period, 60);
  assert.equal(data.startDate, "2026-12-04T10:00:00.000+0000");
});

Deno.test("evaluateAlarm() reports M out of N alarms and OK with the transition minimum", () => {
  const def = alarm({
    EvaluationPeriods: 3,
    DatapointsToAlarm: 2,
    ComparisonOperator: "GreaterThanThreshold",
  });
  const alarmed = run(def, { "-1": 5, 0: 0, 1: 5 });
  assert.equal(alarmed.state, "ALARM");
  assert.equal(
    alarmed.reason,
    "Threshold Crossed: 2 out of the last 3 datapoints [5.0 (04/12/26 10:01:00), 0.0 (04/12/26 " +
      "10:00:00), 5.0 (04/12/26 09:59:00)] were greater than the threshold (1.0) (minimum 2 " +
      "datapoints for OK -> ALARM transition).",
  );
  const ok = run(def, { "-1": 5, 0: 0, 1: 0 });
  assert.equal(ok.state, "OK");
  assert.match(
    ok.reason,
    /^Threshold Crossed: 2 out of the last 3 datapoints \[.*\] were not greater than the threshold \(1\.0\) \(minimum 2 datapoints for ALARM -> OK transition\)\.$/,
  );
});

Deno.test("evaluateAlarm() says OK with the data points that did not breach", () => {
  const result = run(alarm({ EvaluationPeriods: 1, DatapointsToAlarm: 1 }), { 1: 0 });
  assert.equal(result.state, "OK");
  assert.equal(
    result.reason,
    "Threshold Crossed: 1 datapoint [0.0 (04/12/26 10:01:00)] was not greater than or equal to " +
      "the threshold (1.0).",
  );
});

Deno.test("evaluateAlarm() with TreatMissingData missing goes to INSUFFICIENT_DATA without data", () => {
  const result = run(alarm({ EvaluationPeriods: 3 }), {});
  assert.equal(result.state, "INSUFFICIENT_DATA");
  assert.equal(result.reason, "Insufficient Data: 3 datapoints were unknown.");
});

Deno.test("evaluateAlarm() with ignore keeps the state when there is no data", () => {
  assert.equal(run(alarm({ TreatMissingData: "ignore" }), {}).state, undefined);
});

Deno.test("evaluateAlarm() fills missing data points as breaching or not breaching", () => {
  const breaching = run(alarm({ TreatMissingData: "breaching" }), { 1: 1 });
  assert.equal(breaching.state, "ALARM");
  assert.match(breaching.reason, /and 1 missing datapoint was treated as \[Breaching\]\.$/);
  const none = run(alarm({ TreatMissingData: "breaching" }), {});
  assert.equal(none.state, "ALARM");
  assert.equal(
    none.reason,
    "Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were " +
      "treated as [Breaching].",
  );
  assert.equal(run(alarm({ TreatMissingData: "notBreaching" }), { 1: 1 }).state, "OK");
});

Deno.test("evaluateAlarm() with missing data keeps the state until the real data points decide", () => {
  // One breaching point of the two needed: undecided.
  assert.equal(run(alarm(), { 1: 1 }).state, undefined);
  // One point that does not breach makes two breaching points impossible: OK.
  assert.equal(run(alarm(), { 1: 0 }).state, "OK");
});

Deno.test("evaluateAlarm() looks further back when the last periods have gaps", () => {
  // 10:00 is missing, but 09:58 and 09:59 (within the evaluation range) complete two points.
  const result = run(alarm(), { "-2": 1, "-1": 1, 1: 1 }, T0 + 2 * MIN);
  assert.equal(result.state, "ALARM");
  assert.deepEqual(result.datapoints.map((p) => p.timestamp), [T0 + MIN, T0 - MIN]);
  // Data older than the evaluation range is not used.
  assert.equal(run(alarm(), { "-5": 1, 1: 1 }).state, undefined);
});
