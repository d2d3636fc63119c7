import assert from "node:assert/strict";
import { errorOf, MINUTE, startCloudWatch, T0 } from "./_cloudwatch.ts";

const stats = async (env: Awaited<ReturnType<typeof startCloudWatch>>, name: string) =>
  (await env.json("GetMetricStatistics", {
    Namespace: "App",
    MetricName: name,
    StartTime: (T0 - MINUTE) / 1000,
    EndTime: (T0 + MINUTE) / 1000,
    Period: 120,
    Statistics: ["SampleCount", "Sum", "Minimum", "Maximum", "Average"],
  })).body.Datapoints;

Deno.test("PutMetricData stores Value, Values with Counts and StatisticValues", async () => {
  await using env = await startCloudWatch();
  const reply = await env.json("PutMetricData", {
    Namespace: "App",
    MetricData: [
      { MetricName: "Single", Value: 4, Unit: "Count" },
      { MetricName: "Many", Values: [1, 10], Counts: [3, 1] },
      {
        MetricName: "Set",
        StatisticValues: { SampleCount: 4, Sum: 20, Minimum: 1, Maximum: 9 },
        Timestamp: (T0 - 30_000) / 1000,
      },
    ],
  });
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body, {});
  assert.deepEqual(await stats(env, "Single"), [{
    Timestamp: (T0 - MINUTE) / 1000,
    Unit: "Count",
    SampleCount: 1,
    Sum: 4,
    Minimum: 4,
    Maximum: 4,
    Average: 4,
  }]);
  const [many] = await stats(env, "Many");
  assert.equal(many.SampleCount, 4);
  assert.equal(many.Sum, 13);
  assert.equal(many.Average, 3.25);
  assert.equal(many.Unit, "None");
  const [set] = await stats(env, "Set");
  assert.deepEqual([set.SampleCount, set.Sum, set.Minimum, set.Maximum], [4, 20, 1, 9]);
});

Deno.test("PutMetricData validates the whole request before storing anything", async () => {
  await using env = await startCloudWatch();
  const reply = await env.json("PutMetricData", {
    Namespace: "App",
    MetricData: [{ MetricName: "Good", Value: 1 }, { MetricName: "Bad", Value: 1, Values: [1] }],
  });
  assert.equal(reply.status, 400);
  assert.deepEqual(errorOf(reply), {
    shape: "InvalidParameterCombinationException",
    queryCode: "InvalidParameterCombination",
    message:
      "Exactly one of the parameters MetricData.member.2.Value, MetricData.member.2.Values " +
      "and MetricData.member.2.StatisticValues must be specified.",
  });
  assert.deepEqual(env.cloudwatch.metrics.metrics(), []);
});

Deno.test("PutMetricData rejects reserved namespaces, bad timestamps and mismatched counts", async () => {
  await using env = await startCloudWatch();
  const put = (body: unknown) => env.json("PutMetricData", body).then(errorOf);
  assert.deepEqual(
    await put({ Namespace: "AWS/SageMaker", MetricData: [{ MetricName: "x", Value: 1 }] }),
    {
      shape: "InvalidParameterValueException",
      queryCode: "InvalidParameterValue",
      message: "The value AWS/SageMaker for parameter Namespace is invalid.",
    },
  );
  assert.equal(
    (await put({
      Namespace: "App",
      MetricData: [{ MetricName: "x", Value: 1, Timestamp: (T0 + 3 * 3_600_000) / 1000 }],
    })).message,
    "The parameter MetricData.member.1.Timestamp must specify a time no more than two hours in " +
      "the future.",
  );
  assert.equal(
    (await put({
      Namespace: "App",
      MetricData: [{ MetricName: "x", Value: 1, Timestamp: (T0 - 15 * 86_400_000) / 1000 }],
    })).message,
    "The parameter MetricData.member.1.Timestamp must specify a time within the past two weeks.",
  );
  assert.equal(
    (await put({
      Namespace: "App",
      MetricData: [{ MetricName: "x", Values: [1, 2], Counts: [1] }],
    }))
      .message,
    "The parameters MetricData.member.1.Values and MetricData.member.1.Counts must be of the same " +
      "size.",
  );
  assert.deepEqual(await put({ Namespace: "App" }), {
    shape: "MissingRequiredParameterException",
    queryCode: "MissingParameter",
    message: "The parameter MetricData is required.",
  });
  assert.equal(
    (await put({ Namespace: "App", MetricData: [{ MetricName: "x", Value: 1, Unit: "Parsecs" }] }))
      .shape,
    "ValidationException",
  );
});
