import assert from "node:assert/strict";
import { errorOf, MINUTE, startCloudWatch, T0 } from "./_cloudwatch.ts";

const stat = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  Id: id,
  MetricStat: {
    Metric: { Namespace: "App", MetricName: name, Dimensions: [{ Name: "E", Value: "e1" }] },
    Period: 60,
    Stat: "Sum",
  },
  ...extra,
});

async function withData() {
  const env = await startCloudWatch();
  const data = [];
  for (let m = 0; m < 5; m++) {
    const Timestamp = (T0 - (5 - m) * MINUTE) / 1000;
    data.push({
      MetricName: "Done",
      Value: m + 1,
      Timestamp,
      Dimensions: [{ Name: "E", Value: "e1" }],
    });
    data.push({
      MetricName: "Failed",
      Value: 1,
      Timestamp,
      Dimensions: [{ Name: "E", Value: "e1" }],
    });
  }
  await env.json("PutMetricData", { Namespace: "App", MetricData: data });
  return env;
}

Deno.test("GetMetricData returns each query newest first by default, oldest first with ScanBy", async () => {
  await using env = await withData();
  const range = { StartTime: (T0 - 5 * MINUTE) / 1000, EndTime: T0 / 1000 };
  const reply = await env.json("GetMetricData", {
    ...range,
    MetricDataQueries: [stat("done", "Done"), stat("failed", "Failed", { Label: "Failures" })],
  });
  assert.equal(reply.status, 200);
  const [done, failed] = reply.body.MetricDataResults;
  assert.equal(done.Id, "done");
  assert.equal(done.Label, "Done");
  assert.equal(done.StatusCode, "Complete");
  assert.deepEqual(done.Values, [5, 4, 3, 2, 1]);
  assert.equal(done.Timestamps[0], (T0 - MINUTE) / 1000);
  assert.equal(failed.Label, "Failures");
  const ascending = await env.json("GetMetricData", {
    ...range,
    ScanBy: "TimestampAscending",
    MetricDataQueries: [stat("done", "Done")],
  });
  assert.deepEqual(ascending.body.MetricDataResults[0].Values, [1, 2, 3, 4, 5]);
  assert.deepEqual(reply.body.Messages, []);
});

Deno.test("GetMetricData evaluates arithmetic expressions and hides ReturnData false", async () => {
  await using env = await withData();
  const reply = await env.json("GetMetricData", {
    StartTime: (T0 - 5 * MINUTE) / 1000,
    EndTime: T0 / 1000,
    ScanBy: "TimestampAscending",
    MetricDataQueries: [
      stat("d", "Done", { ReturnData: false }),
      stat("f", "Failed", { ReturnData: false }),
      { Id: "rate", Expression: "100 * f / (d + f)", Label: "Failure rate" },
    ],
  });
  const results = reply.body.MetricDataResults;
  assert.equal(results.length, 1);
  assert.equal(results[0].Label, "Failure rate");
  assert.deepEqual(results[0].Values, [50, 100 / 3, 25, 20, 100 / 6]);
  const bad = errorOf(
    await env.json("GetMetricData", {
      StartTime: 0,
      EndTime: T0 / 1000,
      MetricDataQueries: [stat("d", "Done"), { Id: "x", Expression: "RATE(d)" }],
    }),
  );
  assert.deepEqual(bad, {
    shape: "ValidationException",
    queryCode: "ValidationError",
    message: "Error in expression x: Function RATE is not supported by this emulator",
  });
});

Deno.test("GetMetricData pages by MaxDatapoints with NextToken and PartialData", async () => {
  await using env = await withData();
  const request = {
    StartTime: (T0 - 5 * MINUTE) / 1000,
    EndTime: T0 / 1000,
    MaxDatapoints: 3,
    MetricDataQueries: [stat("done", "Done"), stat("failed", "Failed")],
  };
  const seen: Record<string, number[]> = { done: [], failed: [] };
  let token: string | undefined;
  let pages = 0;
  do {
    const reply = await env.json("GetMetricData", { ...request, NextToken: token });
    pages++;
    for (const r of reply.body.MetricDataResults) seen[r.Id]!.push(...r.Values);
    token = reply.body.NextToken;
    if (token) {
      assert.ok(
        reply.body.MetricDataResults.some((r: { StatusCode: string }) =>
          r.StatusCode === "PartialData"
        ),
      );
    }
  } while (token);
  assert.equal(pages, 4);
  assert.deepEqual(seen, { done: [5, 4, 3, 2, 1], failed: [1, 1, 1, 1, 1] });
  const invalid = errorOf(await env.json("GetMetricData", { ...request, NextToken: "nope" }));
  assert.equal(invalid.shape, "InvalidNextToken");
});

Deno.test("GetMetricData checks query ids and their shape", async () => {
  await using env = await startCloudWatch();
  const call = (queries: unknown[]) =>
    env.json("GetMetricData", { StartTime: 0, EndTime: T0 / 1000, MetricDataQueries: queries })
      .then(errorOf);
  assert.equal((await call([stat("Bad", "Done")])).shape, "ValidationException");
  assert.equal(
    (await call([stat("a", "Done"), stat("a", "Done")])).message,
    "The value a for parameter MetricDataQueries.member.2.Id is not unique.",
  );
  assert.equal(
    (await call([{ Id: "a" }])).message,
    "Exactly one of MetricStat and Expression must be specified in MetricDataQueries.member.1.",
  );
  assert.equal((await call([])).shape, "ValidationException");
});
