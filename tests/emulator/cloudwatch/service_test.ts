import assert from "node:assert/strict";
import { parseXml } from "../../../emulator/protocols/xml.ts";
import { createCloudWatchService } from "../../../emulator/cloudwatch/service.ts";
import { createEmulator } from "../../../emulator/core.ts";
import { ManualEmulatorClock } from "../../../emulator/clock.ts";
import { MINUTE, startCloudWatch, T0 } from "./_cloudwatch.ts";

// deno-lint-ignore no-explicit-any
type Xml = Record<string, any>;

async function gzip(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

Deno.test("the query protocol creates and describes alarms with <member> lists and ISO timestamps", async () => {
  await using env = await startCloudWatch();
  const put = await env.query({
    Action: "PutMetricAlarm",
    AlarmName: "wake",
    MetricName: "HasBacklogWithoutCapacity",
    Namespace: "AWS/SageMaker",
    Statistic: "Average",
    "Dimensions.member.1.Name": "EndpointName",
    "Dimensions.member.1.Value": "e1",
    Period: "60",
    EvaluationPeriods: "2",
    DatapointsToAlarm: "2",
    Threshold: "1",
    ComparisonOperator: "GreaterThanOrEqualToThreshold",
    TreatMissingData: "missing",
    "AlarmActions.member.1": "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x",
    ActionsEnabled: "true",
  });
  assert.equal(put.status, 200);
  assert.match(
    put.text,
    /<PutMetricAlarmResponse xmlns="http:\/\/monitoring.amazonaws.com\/doc\/2010-08-01\/"><ResponseMetadata><RequestId>[^<]+<\/RequestId><\/ResponseMetadata><\/PutMetricAlarmResponse>$/,
  );
  const described = await env.query({ Action: "DescribeAlarms", "AlarmNames.member.1": "wake" });
  const result = parseXml(described.text).DescribeAlarmsResponse as Xml;
  const alarm = result.DescribeAlarmsResult.MetricAlarms.member;
  assert.equal(alarm.AlarmName, "wake");
  assert.equal(alarm.Dimensions.member.Value, "e1");
  assert.equal(
    alarm.AlarmActions.member,
    "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x",
  );
  assert.equal(alarm.OKActions, "");
  assert.equal(alarm.EvaluationPeriods, "2");
  assert.equal(alarm.StateUpdatedTimestamp, new Date(T0).toISOString());
  assert.equal(result.DescribeAlarmsResult.CompositeAlarms, "");
});

Deno.test("the query protocol renders statistics maps as entries and errors as ErrorResponse", async () => {
  await using env = await startCloudWatch();
  await env.query({
    Action: "PutMetricData",
    Namespace: "App",
    "MetricData.member.1.MetricName": "Latency",
    "MetricData.member.1.Values.member.1": "1",
    "MetricData.member.1.Values.member.2": "3",
    "MetricData.member.1.Timestamp": new Date(T0 - 30_000).toISOString(),
  });
  const stats = await env.query({
    Action: "GetMetricStatistics",
    Namespace: "App",
    MetricName: "Latency",
    StartTime: new Date(T0 - MINUTE).toISOString(),
    EndTime: new Date(T0).toISOString(),
    Period: "60",
    "ExtendedStatistics.member.1": "p50",
    "ExtendedStatistics.member.2": "p100",
  });
  assert.match(
    stats.text,
    /<ExtendedStatistics><entry><key>p50<\/key><value>1<\/value><\/entry><entry><key>p100<\/key><value>3<\/value><\/entry><\/ExtendedStatistics>/,
  );
  const bad = await env.query({
    Action: "PutMetricData",
    Namespace: "AWS/X",
    "MetricData.member.1.MetricName": "m",
    "MetricData.member.1.Value": "1",
  });
  assert.equal(bad.status, 400);
  const error = (parseXml(bad.text).ErrorResponse as Xml).Error;
  assert.deepEqual(error, {
    Type: "Sender",
    Code: "InvalidParameterValue",
    Message: "The value AWS/X for parameter Namespace is invalid.",
  });
  const unknown = await env.query({ Action: "DescribeAnomalyDetectors" });
  assert.equal(
    (parseXml(unknown.text).ErrorResponse as Xml).Error.Code,
    "InvalidAction",
  );
});

Deno.test("JSON errors carry the namespaced __type and x-amzn-query-error", async () => {
  await using env = await startCloudWatch();
  const reply = await env.json("DeleteAlarms", { AlarmNames: ["ghost"] });
  assert.equal(reply.status, 404);
  assert.equal(reply.headers.get("content-type"), "application/x-amz-json-1.0");
  assert.equal(reply.headers.get("x-amzn-query-error"), "ResourceNotFound;Sender");
  assert.equal(reply.body.__type, "com.amazonaws.cloudwatch#ResourceNotFound");
});

Deno.test("gzip-compressed bodies are decompressed in both protocols", async () => {
  await using env = await startCloudWatch();
  const json = await env.emulator.fetch(
    new Request("http://127.0.0.1/", {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "content-encoding": "gzip",
        "x-amz-target": "GraniteServiceVersion20100801.PutMetricData",
      },
      body: await gzip(
        JSON.stringify({ Namespace: "App", MetricData: [{ MetricName: "A", Value: 1 }] }),
      ),
    }),
  );
  assert.equal(json.status, 200);
  await json.body?.cancel();
  const form = await env.emulator.fetch(
    new Request("http://127.0.0.1/", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "content-encoding": "gzip",
        authorization:
          "AWS4-HMAC-SHA256 Credential=AKID/20260412/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=00",
      },
      body: await gzip(
        "Action=PutMetricData&Version=2010-08-01&Namespace=App&MetricData.member.1.MetricName=B&MetricData.member.1.Value=2",
      ),
    }),
  );
  assert.equal(form.status, 200, await form.text());
  assert.deepEqual(env.cloudwatch.metrics.metrics().map((m) => m.metric.metricName).sort(), [
    "A",
    "B",
  ]);
  const broken = await env.json("PutMetricData", {}, { "content-encoding": "gzip" });
  assert.equal(broken.status, 400);
  assert.equal(broken.headers.get("x-amzn-query-error"), "InvalidParameterValue;Sender");
});

Deno.test("errors raised before the handler are rendered in the caller's protocol", async () => {
  const emulator = await createEmulator({
    clock: new ManualEmulatorClock(),
    services: [createCloudWatchService],
  });
  try {
    const json = await emulator.fetch(
      new Request("http://127.0.0.1/", {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.0",
          "x-amz-target": "GraniteServiceVersion20100801.ListMetrics",
        },
        body: "{}",
      }),
    );
    assert.equal(json.status, 403);
    assert.ok(json.headers.get("x-amzn-query-error")?.endsWith(";Sender"));
    assert.ok((await json.json()).__type);
    const query = await emulator.fetch(
      new Request("http://127.0.0.1/", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "Action=ListMetrics&Version=2010-08-01",
      }),
    );
    assert.equal(query.status, 403);
    assert.match(await query.text(), /^<\?xml.*<ErrorResponse.*<Code>[A-Za-z]+<\/Code>/);
  } finally {
    await emulator.close();
  }
});
