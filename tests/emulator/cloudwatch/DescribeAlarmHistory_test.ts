import assert from "node:assert/strict";
import { alarmOnQ, MINUTE, startCloudWatch } from "./_cloudwatch.ts";

Deno.test("DescribeAlarmHistory keeps the history of deleted alarms and filters by type and time", async () => {
  await using env = await startCloudWatch();
  await env.json("PutMetricAlarm", alarmOnQ("a"));
  await env.clock.advance(MINUTE);
  await env.json("SetAlarmState", { AlarmName: "a", StateValue: "ALARM", StateReason: "by hand" });
  await env.clock.advance(MINUTE);
  await env.json("DeleteAlarms", { AlarmNames: ["a"] });
  const all = (await env.json("DescribeAlarmHistory", { AlarmName: "a" })).body.AlarmHistoryItems;
  assert.deepEqual(all.map((h: { HistorySummary: string }) => h.HistorySummary), [
    'Alarm "a" deleted',
    "Alarm updated from ALARM to INSUFFICIENT_DATA",
    "Alarm updated from INSUFFICIENT_DATA to ALARM",
    'Alarm "a" created',
  ]);
  const states = (await env.json("DescribeAlarmHistory", {
    AlarmName: "a",
    HistoryItemType: "StateUpdate",
    ScanBy: "TimestampAscending",
  })).body.AlarmHistoryItems;
  assert.equal(states.length, 2);
  assert.equal(states[0].AlarmType, "MetricAlarm");
  assert.equal(JSON.parse(states[0].HistoryData).newState.stateReason, "by hand");
  assert.equal(
    JSON.parse(states[1].HistoryData).newState.stateReason,
    "Insufficient Data: 1 datapoint was unknown.",
  );
  const recent = (await env.json("DescribeAlarmHistory", {
    HistoryItemType: "StateUpdate",
    StartDate: (env.clock.now() - 30_000) / 1000,
  })).body.AlarmHistoryItems;
  assert.equal(recent.length, 1);
  assert.equal(JSON.parse(recent[0].HistoryData).oldState.stateValue, "ALARM");
});
