import assert from "node:assert/strict";
import { errorOf, MINUTE, startCloudWatch, T0 } from "./_cloudwatch.ts";

Deno.test("GetMetricStatistics reports units separately and percentiles under ExtendedStatistics", async () => {
  await using env = await startCloudWatch();
  await env.json("PutMetricData", {
    Namespace: "App",
    MetricData: [
      {
        MetricName: "Latency",
        Values: [1, 2, 3, 4],
        Unit: "Milliseconds",
        Timestamp: T0 / 1000 - 90,
      },
      { MetricName: "Latency", Value: 7, Unit: "Seconds", Timestamp: T0 / 1000 - 30 },
    ],
  });
  const reply = await env.json("GetMetricStatistics", {
    Namespace: "App",
    MetricName: "Latency",
    StartTime: T0 / 1000 - 120,
    EndTime: T0 / 1000,
    Period: 60,
    Statistics: ["Maximum"],
    ExtendedStatistics: ["p50"],
  });
  assert.equal(reply.body.Label, "Latency");
  assert.deepEqual(reply.body.Datapoints, [
    {
      Timestamp: T0 / 1000 - 120,
      Unit: "Milliseconds",
      Maximum: 4,
      ExtendedStatistics: { p50: 2 },
    },
    { Timestamp: T0 / 1000 - 60, Unit: "Seconds", Maximum: 7, ExtendedStatistics: { p50: 7 } },
  ]);
});

Deno.test("GetMetricStatistics rounds StartTime down to the minute for periods of a minute or more", async () => {
  await using env = await startCloudWatch();
  await env.json("PutMetricData", {
    Namespace: "App",
    MetricData: [{ MetricName: "Q", Value: 1, Timestamp: T0 / 1000 + 5 }],
  });
  const reply = await env.json("GetMetricStatistics", {
    Namespace: "App",
    MetricName: "Q",
    StartTime: T0 / 1000 + 34,
    EndTime: T0 / 1000 + 600,
    Period: 300,
    Statistics: ["Sum"],
  });
  assert.deepEqual(reply.body.Datapoints, [{ Timestamp: T0 / 1000, Unit: "None", Sum: 1 }]);
});

Deno.test("GetMetricStatistics refuses more than 1,440 data points and inverted ranges", async () => {
  await using env = await startCloudWatch();
  const base = { Namespace: "App", MetricName: "Q", Statistics: ["Sum"] };
  const tooMany = errorOf(
    await env.json("GetMetricStatistics", {
      ...base,
      StartTime: T0 / 1000 - 86_400 - 60,
      EndTime: T0 / 1000,
      Period: 60,
    }),
  );
  assert.deepEqual(tooMany, {
    shape: "InvalidParameterCombinationException",
    queryCode: "InvalidParameterCombination",
    message: "You have requested up to 1,441 datapoints, which exceeds the limit of 1,440. You " +
      "may reduce the datapoints requested by increasing Period, or decreasing the time range.",
  });
  const inverted = errorOf(
    await env.json("GetMetricStatistics", {
      ...base,
      StartTime: T0 / 1000,
      EndTime: T0 / 1000,
      Period: 60,
    }),
  );
  assert.equal(
    inverted.message,
    "The parameter StartTime must be less than the parameter EndTime.",
  );
  const noStats = errorOf(
    await env.json("GetMetricStatistics", {
      Namespace: "App",
      MetricName: "Q",
      StartTime: T0 / 1000 - MINUTE / 1000,
      EndTime: T0 / 1000,
      Period: 60,
    }),
  );
  assert.equal(noStats.queryCode, "InvalidParameterCombination");
  const badPeriod = errorOf(
    await env.json("GetMetricStatistics", { ...base, StartTime: 0, EndTime: 60, Period: 45 }),
  );
  assert.equal(badPeriod.queryCode, "InvalidParameterValue");
});
