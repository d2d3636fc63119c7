import assert from "node:assert/strict";
import { errorOf, startCloudWatch } from "./_cloudwatch.ts";

Deno.test("ListMetrics filters by namespace, name and dimensions", async () => {
  await using env = await startCloudWatch();
  await env.json("PutMetricData", {
    Namespace: "App",
    MetricData: [
      { MetricName: "Queue", Value: 1, Dimensions: [{ Name: "EndpointName", Value: "a" }] },
      { MetricName: "Queue", Value: 1, Dimensions: [{ Name: "EndpointName", Value: "b" }] },
      { MetricName: "Errors", Value: 1 },
    ],
  });
  await env.json("PutMetricData", {
    Namespace: "Other",
    MetricData: [{ MetricName: "Queue", Value: 1 }],
  });
  const list = async (body: unknown) =>
    (await env.json("ListMetrics", body)).body.Metrics.map((
      m: { Namespace: string; MetricName: string; Dimensions: Array<{ Value: string }> },
    ) => `${m.Namespace}/${m.MetricName}/${m.Dimensions.map((d) => d.Value).join(",")}`);
  assert.deepEqual(await list({}), ["App/Errors/", "App/Queue/a", "App/Queue/b", "Other/Queue/"]);
  assert.deepEqual(await list({ Namespace: "App", MetricName: "Queue" }), [
    "App/Queue/a",
    "App/Queue/b",
  ]);
  assert.deepEqual(await list({ Dimensions: [{ Name: "EndpointName", Value: "b" }] }), [
    "App/Queue/b",
  ]);
  assert.deepEqual(await list({ Dimensions: [{ Name: "EndpointName" }] }), [
    "App/Queue/a",
    "App/Queue/b",
  ]);
});

Deno.test("ListMetrics with RecentlyActive lists only metrics with data in the last three hours", async () => {
  await using env = await startCloudWatch();
  await env.json("PutMetricData", {
    Namespace: "App",
    MetricData: [{ MetricName: "Old", Value: 1 }],
  });
  await env.clock.advance(4 * 3_600_000);
  await env.json("PutMetricData", {
    Namespace: "App",
    MetricData: [{ MetricName: "New", Value: 1 }],
  });
  const names = async (body: unknown) =>
    (await env.json("ListMetrics", body)).body.Metrics.map((m: { MetricName: string }) =>
      m.MetricName
    );
  assert.deepEqual(await names({}), ["New", "Old"]);
  assert.deepEqual(await names({ RecentlyActive: "PT3H" }), ["New"]);
  // A new data point makes the old metric recently active again.
  await env.json("PutMetricData", {
    Namespace: "App",
    MetricData: [{ MetricName: "Old", Value: 2 }],
  });
  assert.deepEqual(await names({ RecentlyActive: "PT3H" }), ["New", "Old"]);
});

Deno.test("ListMetrics pages 500 metrics at a time", async () => {
  await using env = await startCloudWatch();
  for (let batch = 0; batch < 2; batch++) {
    await env.json("PutMetricData", {
      Namespace: "App",
      MetricData: Array.from({ length: 300 }, (_, i) => ({
        MetricName: `M${String(batch * 300 + i).padStart(3, "0")}`,
        Value: 1,
      })),
    });
  }
  const first = (await env.json("ListMetrics", {})).body;
  assert.equal(first.Metrics.length, 500);
  const second = (await env.json("ListMetrics", { NextToken: first.NextToken })).body;
  assert.equal(second.Metrics.length, 100);
  assert.equal(second.NextToken, undefined);
  assert.equal(
    errorOf(await env.json("ListMetrics", { NextToken: "x" })).queryCode,
    "InvalidParameterValue",
  );
});
