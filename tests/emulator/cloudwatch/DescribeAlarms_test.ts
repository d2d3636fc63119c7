import assert from "node:assert/strict";
import { alarmOnQ, errorOf, startCloudWatch } from "./_cloudwatch.ts";

async function withAlarms() {
  const env = await startCloudWatch();
  const alarms: Array<[string, string | undefined]> = [
    ["a-1", "arn:aws:sns:us-east-1:123456789012:t"],
    ["a-2", undefined],
    ["b-1", undefined],
  ];
  for (const [name, action] of alarms) {
    await env.json("PutMetricAlarm", alarmOnQ(name, action ? { OKActions: [action] } : {}));
  }
  await env.json("SetAlarmState", { AlarmName: "a-2", StateValue: "OK", StateReason: "test" });
  return env;
}

const names = (reply: { body: { MetricAlarms: Array<{ AlarmName: string }> } }) =>
  reply.body.MetricAlarms.map((a) => a.AlarmName);

Deno.test("DescribeAlarms filters by names, prefix, state and action prefix", async () => {
  await using env = await withAlarms();
  assert.deepEqual(names(await env.json("DescribeAlarms", {})), ["a-1", "a-2", "b-1"]);
  assert.deepEqual(names(await env.json("DescribeAlarms", { AlarmNames: ["b-1", "zzz"] })), [
    "b-1",
  ]);
  assert.deepEqual(names(await env.json("DescribeAlarms", { AlarmNamePrefix: "a-" })), [
    "a-1",
    "a-2",
  ]);
  assert.deepEqual(names(await env.json("DescribeAlarms", { StateValue: "OK" })), ["a-2"]);
  assert.deepEqual(names(await env.json("DescribeAlarms", { ActionPrefix: "arn:aws:sns:" })), [
    "a-1",
  ]);
  const composite = await env.json("DescribeAlarms", { AlarmTypes: ["CompositeAlarm"] });
  assert.deepEqual(composite.body, { MetricAlarms: [], CompositeAlarms: [] });
});

Deno.test("DescribeAlarms pages with MaxRecords and NextToken", async () => {
  await using env = await withAlarms();
  const first = await env.json("DescribeAlarms", { MaxRecords: 2 });
  assert.deepEqual(names(first), ["a-1", "a-2"]);
  const second = await env.json("DescribeAlarms", {
    MaxRecords: 2,
    NextToken: first.body.NextToken,
  });
  assert.deepEqual(names(second), ["b-1"]);
  assert.equal(second.body.NextToken, undefined);
});

Deno.test("DescribeAlarms rejects names with a prefix, bad tokens and out-of-range MaxRecords", async () => {
  await using env = await withAlarms();
  assert.equal(
    errorOf(await env.json("DescribeAlarms", { AlarmNames: ["a"], AlarmNamePrefix: "a" }))
      .queryCode,
    "InvalidParameterCombination",
  );
  assert.equal(
    errorOf(await env.json("DescribeAlarms", { NextToken: "zz" })).shape,
    "InvalidNextToken",
  );
  assert.equal(
    errorOf(await env.json("DescribeAlarms", { MaxRecords: 101 })).queryCode,
    "ValidationError",
  );
});
