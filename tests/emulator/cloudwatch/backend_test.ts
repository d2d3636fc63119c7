import assert from "node:assert/strict";
import type { AutoScalingBackend, EmulatorContext, SnsBackend } from "../../../emulator/context.ts";
import { FilePersistence } from "../../../emulator/persistence/file.ts";
import type { ServiceFactory } from "../../../emulator/service.ts";
import { MINUTE, startCloudWatch, T0 } from "./_cloudwatch.ts";

type Invocation = Parameters<AutoScalingBackend["executePolicies"]>[0][number];

/** A stand-in Application Auto Scaling that records invocations; `known` ARNs exist. */
function fakeAutoScaling(known: string[], seen: Invocation[]): ServiceFactory {
  return (context: EmulatorContext) => {
    const backend: AutoScalingBackend = {
      async executePolicy(policyArn, trigger) {
        await backend.executePolicies([{ policyArn, trigger }]);
      },
      executePolicies(invocations) {
        seen.push(...invocations);
        return Promise.resolve(
          invocations.map((i) =>
            known.includes(i.policyArn) ? { outcome: "executed" as const } : {
              outcome: "not-found" as const,
              message: `No scaling policy found for ${i.policyArn}`,
            }
          ),
        );
      },
    };
    context.autoscaling = backend;
    return stubModule("application-autoscaling");
  };
}

function fakeSns(
  published: Array<{ topic: string; message: string; subject?: string }>,
): ServiceFactory {
  return (context: EmulatorContext) => {
    const sns: SnsBackend = {
      publish(topic, message, options) {
        if (topic.endsWith(":missing")) return Promise.reject(new Error("Topic does not exist"));
        published.push({ topic, message, subject: options?.subject });
        return Promise.resolve("message-id");
      },
    };
    context.sns = sns;
    return stubModule("sns");
  };
}

function stubModule(key: "sns" | "application-autoscaling") {
  return {
    key,
    handle: () => Promise.resolve(new Response(null, { status: 400 })),
    renderError: () => new Response(null, { status: 400 }),
  };
}

const POLICY =
  "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1:resource/sagemaker/x:policyName/p";

function alarmOn(name: string, actions: Record<string, unknown>) {
  return {
    AlarmName: name,
    MetricName: "Backlog",
    Namespace: "App",
    Statistic: "Maximum",
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 5,
    ComparisonOperator: "GreaterThanThreshold",
    ...actions,
  };
}

Deno.test("scaling actions are invoked at every evaluation while in ALARM, and logged on the transition", async () => {
  const seen: Invocation[] = [];
  await using env = await startCloudWatch({ more: [fakeAutoScaling([POLICY], seen)] });
  await env.json("PutMetricAlarm", alarmOn("high", { AlarmActions: [POLICY] }));
  for (let m = 0; m < 3; m++) {
    await env.json("PutMetricData", {
      Namespace: "App",
      MetricData: [{ MetricName: "Backlog", Value: 8 + m }],
    });
    await env.clock.advance(MINUTE);
  }
  assert.equal(seen.length, 3);
  assert.deepEqual(seen[2], {
    policyArn: POLICY,
    trigger: {
      alarmName: "high",
      alarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:high",
      stateValue: "ALARM",
      metricValue: 10,
      metricValues: [10],
      threshold: 5,
    },
  });
  const actions =
    (await env.json("DescribeAlarmHistory", { AlarmName: "high", HistoryItemType: "Action" }))
      .body.AlarmHistoryItems;
  assert.deepEqual(actions.map((h: { HistorySummary: string }) => h.HistorySummary), [
    `Successfully executed action ${POLICY}`,
  ]);
  // Without new data the last point still counts once (look-back), then the alarm has no data.
  await env.clock.advance(2 * MINUTE);
  assert.equal(seen.length, 4);
  assert.equal(env.cloudwatch.alarm("high")?.StateValue, "INSUFFICIENT_DATA");
  await env.clock.advance(MINUTE);
  assert.equal(seen.length, 4);
});

Deno.test("actions whose target does not exist or is not modelled are recorded as failures", async () => {
  const seen: Invocation[] = [];
  const published: Array<{ topic: string; message: string }> = [];
  await using env = await startCloudWatch({
    more: [fakeAutoScaling([], seen), fakeSns(published)],
  });
  const lambda = "arn:aws:lambda:us-east-1:123456789012:function:f";
  const missingTopic = "arn:aws:sns:us-east-1:123456789012:missing";
  await env.json("PutMetricAlarm", alarmOn("a", { AlarmActions: [POLICY, lambda, missingTopic] }));
  await env.json("SetAlarmState", { AlarmName: "a", StateValue: "ALARM", StateReason: "test" });
  const history = (await env.json("DescribeAlarmHistory", {
    AlarmName: "a",
    HistoryItemType: "Action",
    ScanBy: "TimestampAscending",
  })).body.AlarmHistoryItems.map((h: { HistorySummary: string }) => h.HistorySummary);
  assert.deepEqual(history, [
    `Failed to execute action ${lambda}. Received error: "this kind of action is not supported by the emulator"`,
    `Failed to execute action ${missingTopic}. Received error: "Topic does not exist"`,
    `Failed to execute action ${POLICY}. Received error: "No scaling policy found for ${POLICY}"`,
  ]);
});

Deno.test("SNS actions receive CloudWatch's alarm message on each transition only", async () => {
  const published: Array<{ topic: string; message: string; subject?: string }> = [];
  await using env = await startCloudWatch({ more: [fakeSns(published)] });
  const topic = "arn:aws:sns:us-east-1:123456789012:alerts";
  await env.json("PutMetricAlarm", alarmOn("a", { AlarmActions: [topic], OKActions: [topic] }));
  for (const value of [9, 9, 1]) {
    await env.json("PutMetricData", {
      Namespace: "App",
      MetricData: [{ MetricName: "Backlog", Value: value }],
    });
    await env.clock.advance(MINUTE);
  }
  assert.equal(published.length, 2);
  const [alarmed, ok] = published.map((p) => JSON.parse(p.message));
  assert.equal(published[0]!.subject, 'ALARM: "a" in us-east-1');
  assert.equal(alarmed.NewStateValue, "ALARM");
  assert.equal(alarmed.OldStateValue, "INSUFFICIENT_DATA");
  assert.equal(alarmed.AWSAccountId, "123456789012");
  assert.equal(alarmed.Trigger.MetricName, "Backlog");
  assert.equal(alarmed.Trigger.Threshold, 5);
  assert.equal(ok.NewStateValue, "OK");
  assert.equal(ok.OldStateValue, "ALARM");
});

Deno.test("disabled actions do not run", async () => {
  const seen: Invocation[] = [];
  await using env = await startCloudWatch({ more: [fakeAutoScaling([POLICY], seen)] });
  await env.json("PutMetricAlarm", alarmOn("a", { AlarmActions: [POLICY], ActionsEnabled: false }));
  await env.json("PutMetricData", {
    Namespace: "App",
    MetricData: [{ MetricName: "Backlog", Value: 9 }],
  });
  await env.clock.advance(MINUTE);
  assert.equal(env.cloudwatch.alarm("a")?.StateValue, "ALARM");
  assert.equal(seen.length, 0);
});

Deno.test("collectors run before the evaluation at the same instant", async () => {
  await using env = await startCloudWatch();
  await env.json("PutMetricAlarm", alarmOn("a", {}));
  const collected: number[] = [];
  env.cloudwatch.addCollector((periodEnd) => {
    collected.push(periodEnd);
    env.cloudwatch.putMetricData([{
      namespace: "App",
      metricName: "Backlog",
      dimensions: [],
      value: 50,
      unit: "Count",
      timestamp: periodEnd - MINUTE,
    }]);
  });
  await env.clock.advance(MINUTE);
  assert.deepEqual(collected, [T0 + MINUTE]);
  assert.equal(env.cloudwatch.alarm("a")?.StateValue, "ALARM");
  assert.equal(
    env.cloudwatch.alarm("a")?.StateReason,
    "Threshold Crossed: 1 datapoint [50.0 (12/04/26 10:00:00)] was greater than the threshold (5.0).",
  );
});

Deno.test("alarms, history and custom metrics survive a restart with a data directory; AWS/ metrics do not", async () => {
  const dir = await Deno.makeTempDir();
  try {
    {
      await using env = await startCloudWatch({ persistence: await FilePersistence.open(dir) });
      await env.json("PutMetricAlarm", alarmOn("kept", {}));
      await env.json("PutMetricData", {
        Namespace: "App",
        MetricData: [{ MetricName: "Backlog", Value: 9 }],
      });
      env.cloudwatch.putMetricData([{
        namespace: "AWS/SageMaker",
        metricName: "ApproximateBacklogSize",
        dimensions: [],
        value: 1,
        unit: "Count",
        timestamp: T0,
      }]);
      await env.clock.advance(MINUTE);
      assert.equal(env.cloudwatch.alarm("kept")?.StateValue, "ALARM");
    }
    await using env = await startCloudWatch({
      persistence: await FilePersistence.open(dir),
      start: T0 + 2 * MINUTE,
    });
    const alarm = env.cloudwatch.alarm("kept")!;
    assert.equal(alarm.StateValue, "ALARM");
    assert.ok(alarm.StateUpdatedTimestamp instanceof Date);
    assert.equal(alarm.StateUpdatedTimestamp.getTime(), T0 + MINUTE);
    assert.deepEqual(
      env.cloudwatch.history().map((h) => h.HistorySummary),
      ['Alarm "kept" created', "Alarm updated from INSUFFICIENT_DATA to ALARM"],
    );
    assert.ok(env.cloudwatch.history()[0]!.Timestamp instanceof Date);
    assert.deepEqual(env.cloudwatch.metrics.metrics().map((m) => m.metric.namespace), ["App"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
