import assert from "node:assert/strict";
import { alarmOnQ, errorOf, MINUTE, startCloudWatch } from "./_cloudwatch.ts";

Deno.test("SetAlarmState changes the state until the next evaluation sets it from the data", async () => {
  await using env = await startCloudWatch();
  await env.json("PutMetricAlarm", alarmOnQ("a", { Threshold: 100 }));
  await env.json("PutMetricData", {
    Namespace: "App",
    MetricData: [{ MetricName: "Q", Value: 1 }],
  });
  const reply = await env.json("SetAlarmState", {
    AlarmName: "a",
    StateValue: "ALARM",
    StateReason: "testing actions",
    StateReasonData: '{"why":"test"}',
  });
  assert.equal(reply.status, 200);
  let alarm = env.cloudwatch.alarm("a")!;
  assert.equal(alarm.StateValue, "ALARM");
  assert.equal(alarm.StateReason, "testing actions");
  assert.equal(alarm.StateReasonData, '{"why":"test"}');
  await env.clock.advance(MINUTE);
  alarm = env.cloudwatch.alarm("a")!;
  assert.equal(alarm.StateValue, "OK");
});

Deno.test("SetAlarmState rejects unknown alarms and reason data that is not JSON", async () => {
  await using env = await startCloudWatch();
  const missing = await env.json("SetAlarmState", {
    AlarmName: "x",
    StateValue: "OK",
    StateReason: "r",
  });
  assert.equal(missing.status, 404);
  assert.deepEqual(errorOf(missing), {
    shape: "ResourceNotFound",
    queryCode: "ResourceNotFound",
    message: "Alarm x not found",
  });
  const badJson = await env.json("SetAlarmState", {
    AlarmName: "x",
    StateValue: "OK",
    StateReason: "r",
    StateReasonData: "{",
  });
  assert.deepEqual(errorOf(badJson), {
    shape: "InvalidFormatFault",
    queryCode: "InvalidFormat",
    message: "StateReasonData is not valid JSON.",
  });
  const badState = await env.json("SetAlarmState", {
    AlarmName: "x",
    StateValue: "RED",
    StateReason: "r",
  });
  assert.equal(errorOf(badState).queryCode, "ValidationError");
});
