/**
 * CloudWatch contract: the real SDK v3 client (awsJson 1.0 + awsQueryCompatible,
 * signed, over HTTP), an old-style query-protocol request, and the AWS CLI v1
 * (botocore speaks the query protocol to CloudWatch) where it is installed.
 */
import assert from "node:assert/strict";
import {
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  paginateListMetrics,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from "@aws-sdk/client-cloudwatch";
import { parseXml } from "../../emulator/protocols/xml.ts";
import { startContractEnv } from "./_harness.ts";
import { externalClientAvailable, startAwsCli } from "./_external_clients.ts";

const MINUTE = 60_000;

Deno.test("the SDK's JSON client publishes, reads and lists metrics", async () => {
  await using env = await startContractEnv();
  const cw = env.clients.cloudwatch;
  const now = env.clock.now();
  await cw.send(
    new PutMetricDataCommand({
      Namespace: "Falcon",
      MetricData: [
        {
          MetricName: "Queue",
          Dimensions: [{ Name: "EndpointName", Value: "e1" }],
          Values: [1, 4],
          Counts: [1, 1],
          Timestamp: new Date(now - 90_000),
          Unit: "Count",
        },
        {
          MetricName: "Queue",
          Dimensions: [{ Name: "EndpointName", Value: "e1" }],
          Value: 9,
          Timestamp: new Date(now - 30_000),
          Unit: "Count",
        },
      ],
    }),
  );
  const stats = await cw.send(
    new GetMetricStatisticsCommand({
      Namespace: "Falcon",
      MetricName: "Queue",
      Dimensions: [{ Name: "EndpointName", Value: "e1" }],
      StartTime: new Date(now - 120_000),
      EndTime: new Date(now),
      Period: 60,
      Statistics: ["Average", "Maximum"],
      ExtendedStatistics: ["p50"],
    }),
  );
  assert.equal(stats.Label, "Queue");
  assert.deepEqual(
    stats.Datapoints?.map((d) => [d.Timestamp?.getTime(), d.Average, d.Maximum, d.Unit]),
    [[now - 120_000, 2.5, 4, "Count"], [now - 60_000, 9, 9, "Count"]],
  );
  assert.deepEqual(stats.Datapoints?.[0]?.ExtendedStatistics, { p50: 1 });
  const data = await cw.send(
    new GetMetricDataCommand({
      StartTime: new Date(now - 120_000),
      EndTime: new Date(now),
      MetricDataQueries: [
        {
          Id: "q",
          MetricStat: {
            Metric: {
              Namespace: "Falcon",
              MetricName: "Queue",
              Dimensions: [{ Name: "EndpointName", Value: "e1" }],
            },
            Period: 60,
            Stat: "Sum",
          },
        },
        { Id: "doubled", Expression: "q * 2" },
      ],
    }),
  );
  const [q, doubled] = data.MetricDataResults!;
  assert.deepEqual(q?.Values, [9, 5]);
  assert.deepEqual(q?.Timestamps?.map((t) => t.getTime()), [now - 60_000, now - 120_000]);
  assert.equal(q?.StatusCode, "Complete");
  assert.deepEqual(doubled?.Values, [18, 10]);
  const listed = await cw.send(new ListMetricsCommand({ Namespace: "Falcon" }));
  assert.deepEqual(listed.Metrics, [{
    Namespace: "Falcon",
    MetricName: "Queue",
    Dimensions: [{ Name: "EndpointName", Value: "e1" }],
  }]);
});

Deno.test("the SDK compresses large PutMetricData bodies with gzip and the emulator reads them", async () => {
  await using env = await startContractEnv();
  const cw = env.clients.cloudwatch;
  const encodings: Array<string | undefined> = [];
  cw.middlewareStack.add(
    (next) => (args) => {
      const headers = (args.request as { headers: Record<string, string> }).headers;
      encodings.push(headers["content-encoding"]);
      return next(args);
    },
    { step: "finalizeRequest", name: "recordEncoding", priority: "low" },
  );
  const MetricData = Array.from({ length: 400 }, (_, i) => ({
    MetricName: `Metric-${String(i).padStart(4, "0")}-with-a-long-name-to-fill-the-body`,
    Dimensions: [{ Name: "EndpointName", Value: "falcon-40b-instruct-async-endpoint" }],
    Value: i,
  }));
  await cw.send(new PutMetricDataCommand({ Namespace: "Big", MetricData }));
  assert.deepEqual(encodings, ["gzip"]);
  const names: string[] = [];
  for await (const page of paginateListMetrics({ client: cw }, { Namespace: "Big" })) {
    names.push(...(page.Metrics ?? []).map((m) => m.MetricName!));
  }
  assert.equal(names.length, 400);
});

Deno.test("the SDK's alarm calls round-trip, and errors arrive with their shape and query code", async () => {
  await using env = await startContractEnv();
  const cw = env.clients.cloudwatch;
  await cw.send(
    new PutMetricAlarmCommand({
      AlarmName: "queue-high",
      Namespace: "Falcon",
      MetricName: "Queue",
      Statistic: "Maximum",
      Period: 60,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 5,
      ComparisonOperator: "GreaterThanThreshold",
      TreatMissingData: "notBreaching",
    }),
  );
  for (let m = 0; m < 2; m++) {
    await cw.send(
      new PutMetricDataCommand({
        Namespace: "Falcon",
        MetricData: [{ MetricName: "Queue", Value: 8 }],
      }),
    );
    await env.clock.advance(MINUTE);
  }
  const { MetricAlarms } = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ["queue-high"] }));
  const alarm = MetricAlarms![0]!;
  assert.equal(alarm.StateValue, "ALARM");
  assert.ok(alarm.StateUpdatedTimestamp instanceof Date);
  assert.equal(alarm.StateUpdatedTimestamp.getTime(), env.clock.now());
  assert.match(
    alarm.StateReason!,
    /^Threshold Crossed: 2 datapoints \[8\.0 \(.*\), 8\.0 \(.*\)\] were greater than the threshold \(5\.0\)\.$/,
  );
  await cw.send(
    new SetAlarmStateCommand({ AlarmName: "queue-high", StateValue: "OK", StateReason: "manual" }),
  );
  const history = await cw.send(
    new DescribeAlarmHistoryCommand({ AlarmName: "queue-high", HistoryItemType: "StateUpdate" }),
  );
  assert.deepEqual(history.AlarmHistoryItems?.map((h) => h.HistorySummary), [
    "Alarm updated from ALARM to OK",
    "Alarm updated from OK to ALARM",
    // The first minute had one breaching point; the missing one counted as not breaching.
    "Alarm updated from INSUFFICIENT_DATA to OK",
  ]);

  const invalid = await cw.send(
    new PutMetricDataCommand({
      Namespace: "AWS/SageMaker",
      MetricData: [{ MetricName: "x", Value: 1 }],
    }),
  ).catch((e) => e);
  assert.equal(invalid.name, "InvalidParameterValueException");
  assert.equal(invalid.Code, "InvalidParameterValue");
  assert.equal(invalid.$metadata.httpStatusCode, 400);
  assert.equal(invalid.message, "The value AWS/SageMaker for parameter Namespace is invalid.");
  const missing = await cw.send(new DeleteAlarmsCommand({ AlarmNames: ["queue-high", "nope"] }))
    .catch((e) => e);
  assert.equal(missing.name, "ResourceNotFound");
  assert.equal(missing.$metadata.httpStatusCode, 404);
  await cw.send(new DeleteAlarmsCommand({ AlarmNames: ["queue-high"] }));
  const after = await cw.send(new DescribeAlarmsCommand({}));
  assert.deepEqual(after.MetricAlarms, []);
});

Deno.test("an old-style query-protocol request gets CloudWatch's XML", async () => {
  await using env = await startContractEnv({ auth: false });
  const post = async (params: Record<string, string>) => {
    const response = await fetch(`${env.emulator.endpoint}/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body: new URLSearchParams({ Version: "2010-08-01", ...params }),
    });
    return { status: response.status, text: await response.text() };
  };
  const put = await post({
    Action: "PutMetricData",
    Namespace: "Legacy",
    "MetricData.member.1.MetricName": "Jobs",
    "MetricData.member.1.Value": "3",
    "MetricData.member.1.Unit": "Count",
    "MetricData.member.1.Dimensions.member.1.Name": "Queue",
    "MetricData.member.1.Dimensions.member.1.Value": "q1",
  });
  assert.equal(put.status, 200);
  assert.match(
    put.text,
    /^<\?xml version="1.0" encoding="UTF-8"\?><PutMetricDataResponse xmlns="http:\/\/monitoring.amazonaws.com\/doc\/2010-08-01\/"><ResponseMetadata><RequestId>/,
  );
  const listed = await post({ Action: "ListMetrics", Namespace: "Legacy" });
  const metric = (parseXml(listed.text).ListMetricsResponse as {
    ListMetricsResult: { Metrics: { member: Record<string, unknown> } };
  }).ListMetricsResult.Metrics.member;
  assert.deepEqual(metric, {
    Namespace: "Legacy",
    MetricName: "Jobs",
    Dimensions: { member: { Name: "Queue", Value: "q1" } },
  });
  const error = await post({ Action: "DeleteAlarms", "AlarmNames.member.1": "missing" });
  assert.equal(error.status, 404);
  assert.match(
    error.text,
    /<ErrorResponse xmlns="http:\/\/monitoring.amazonaws.com\/doc\/2010-08-01\/"><Error><Type>Sender<\/Type><Code>ResourceNotFound<\/Code><Message>1 of the alarms specified do not exist: missing<\/Message><\/Error><RequestId>/,
  );
});

const hasCli = await externalClientAvailable("aws", "cloudwatch_test");

Deno.test({
  name: "the AWS CLI v1 (query protocol, signed) puts metrics, creates an alarm and reads both",
  ignore: !hasCli,
  async fn() {
    await using env = await startContractEnv();
    await using cli = await startAwsCli(env);
    const run = (...args: string[]) => cli.json(["cloudwatch", ...args]);
    await run(
      "put-metric-data",
      "--namespace",
      "Cli",
      "--metric-name",
      "Backlog",
      "--dimensions",
      "EndpointName=e1",
      "--value",
      "7",
    );
    const metric = [
      "--namespace",
      "Cli",
      "--metric-name",
      "Backlog",
      "--dimensions",
      "Name=EndpointName,Value=e1",
    ];
    await run(
      "put-metric-alarm",
      "--alarm-name",
      "cli-alarm",
      ...metric,
      "--statistic",
      "Maximum",
      "--period",
      "60",
      "--evaluation-periods",
      "1",
      "--threshold",
      "5",
      "--comparison-operator",
      "GreaterThanThreshold",
    );
    await env.clock.advance(MINUTE);
    const alarms = await run("describe-alarms", "--alarm-names", "cli-alarm");
    assert.equal(alarms.MetricAlarms[0].StateValue, "ALARM");
    assert.deepEqual(alarms.MetricAlarms[0].Dimensions, [{ Name: "EndpointName", Value: "e1" }]);
    const start = new Date(env.clock.now() - 2 * MINUTE).toISOString();
    const end = new Date(env.clock.now()).toISOString();
    const stats = await run(
      "get-metric-statistics",
      ...metric,
      "--start-time",
      start,
      "--end-time",
      end,
      "--period",
      "60",
      "--statistics",
      "Maximum",
    );
    assert.equal(stats.Datapoints[0].Maximum, 7);
  },
});
