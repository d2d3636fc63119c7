import assert from "node:assert/strict";
import { errorOf, startCloudWatch } from "./_cloudwatch.ts";

const valid = {
  AlarmName: "wake",
  MetricName: "HasBacklogWithoutCapacity",
  Namespace: "AWS/SageMaker",
  Statistic: "Average",
  Dimensions: [{ Name: "EndpointName", Value: "e1" }],
  Period: 60,
  EvaluationPeriods: 2,
  DatapointsToAlarm: 2,
  Threshold: 1,
  ComparisonOperator: "GreaterThanOrEqualToThreshold",
  TreatMissingData: "missing",
  AlarmActions: ["arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x"],
};

Deno.test("PutMetricAlarm creates an alarm in INSUFFICIENT_DATA and an update keeps its state", async () => {
  await using env = await startCloudWatch();
  assert.equal((await env.json("PutMetricAlarm", valid)).status, 200);
  const [alarm] = (await env.json("DescribeAlarms", { AlarmNames: ["wake"] })).body.MetricAlarms;
  assert.equal(alarm.StateValue, "INSUFFICIENT_DATA");
  assert.equal(alarm.StateReason, "Unchecked: Initial alarm creation");
  assert.equal(alarm.AlarmArn, "arn:aws:cloudwatch:us-east-1:123456789012:alarm:wake");
  assert.equal(alarm.ActionsEnabled, true);
  assert.deepEqual(alarm.OKActions, []);
  assert.equal(alarm.AlarmConfigurationUpdatedTimestamp, env.clock.now() / 1000);
  await env.json("SetAlarmState", { AlarmName: "wake", StateValue: "ALARM", StateReason: "test" });
  await env.json("PutMetricAlarm", { ...valid, Threshold: 2 });
  const [updated] = (await env.json("DescribeAlarms", { AlarmNames: ["wake"] })).body.MetricAlarms;
  assert.equal(updated.Threshold, 2);
  assert.equal(updated.StateValue, "ALARM");
  const history = (await env.json("DescribeAlarmHistory", {
    AlarmName: "wake",
    HistoryItemType: "ConfigurationUpdate",
    ScanBy: "TimestampAscending",
  })).body.AlarmHistoryItems.map((h: { HistorySummary: string }) => h.HistorySummary);
  assert.deepEqual(history, ['Alarm "wake" created', 'Alarm "wake" updated']);
});

Deno.test("PutMetricAlarm accepts one MetricStat in Metrics", async () => {
  await using env = await startCloudWatch();
  const reply = await env.json("PutMetricAlarm", {
    AlarmName: "m",
    EvaluationPeriods: 1,
    Threshold: 5,
    ComparisonOperator: "GreaterThanThreshold",
    Metrics: [{
      Id: "m1",
      ReturnData: true,
      MetricStat: {
        Metric: { Namespace: "AWS/SageMaker", MetricName: "ApproximateBacklogSize" },
        Period: 60,
        Stat: "Maximum",
      },
    }],
  });
  assert.equal(reply.status, 200);
  const [alarm] = (await env.json("DescribeAlarms", { AlarmNames: ["m"] })).body.MetricAlarms;
  assert.equal(alarm.Metrics[0].MetricStat.Stat, "Maximum");
  assert.equal(alarm.MetricName, undefined);
});

Deno.test("PutMetricAlarm rejects invalid definitions with CloudWatch's error codes", async () => {
  await using env = await startCloudWatch();
  const put = (overrides: Record<string, unknown>) =>
    env.json("PutMetricAlarm", { ...valid, ...overrides }).then(errorOf);
  assert.deepEqual(await put({ DatapointsToAlarm: 3 }), {
    shape: "InvalidParameterValueException",
    queryCode: "InvalidParameterValue",
    message: "The value 3 for parameter DatapointsToAlarm is invalid: must not be greater than " +
      "EvaluationPeriods (2)",
  });
  assert.equal((await put({ Period: 45 })).queryCode, "InvalidParameterValue");
  assert.equal(
    (await put({ Period: 60, EvaluationPeriods: 1441 })).queryCode,
    "InvalidParameterValue",
  );
  assert.equal(
    (await put({ ExtendedStatistic: "p99" })).message,
    "Exactly one of Statistic and ExtendedStatistic must be specified",
  );
  assert.equal((await put({ ComparisonOperator: "Bigger" })).queryCode, "ValidationError");
  assert.equal(
    (await put({ ComparisonOperator: "LessThanLowerThreshold" })).queryCode,
    "InvalidParameterCombination",
  );
  assert.equal((await put({ TreatMissingData: "zero" })).queryCode, "ValidationError");
  assert.equal((await put({ AlarmName: undefined })).queryCode, "MissingParameter");
  assert.equal((await put({ AlarmActions: ["not-an-arn"] })).queryCode, "ValidationError");
  assert.equal(
    (await put({
      MetricName: undefined,
      Namespace: undefined,
      Statistic: undefined,
      Period: undefined,
      Dimensions: undefined,
      Metrics: [{ Id: "e1", Expression: "m1 * 2" }],
    })).message,
    "The value m1 * 2 for parameter Metrics is invalid: metric math expressions in alarms are " +
      "not modelled by this emulator; the returned query must be a MetricStat",
  );
  assert.deepEqual((await env.json("DescribeAlarms", {})).body.MetricAlarms, []);
});
