import assert from "node:assert/strict";
import { putStep, putTargetTracking, register, startAutoScaling, TARGET } from "./_autoscaling.ts";

Deno.test("DeregisterScalableTarget removes the target, its policies and target tracking's alarms", async () => {
  await using env = await startAutoScaling();
  await register(env, 0, 5);
  await putTargetTracking(env);
  const step = await putStep(env, "wake", {
    AdjustmentType: "ChangeInCapacity",
    StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
  });
  env.cloudwatch.putMetricAlarm({
    AlarmName: "users-alarm",
    MetricName: "HasBacklogWithoutCapacity",
    Namespace: "AWS/SageMaker",
    Statistic: "Average",
    Period: 60,
    EvaluationPeriods: 2,
    Threshold: 1,
    ComparisonOperator: "GreaterThanOrEqualToThreshold",
    AlarmActions: [step],
  });
  assert.deepEqual(await env.ok("DeregisterScalableTarget", TARGET), {});
  assert.deepEqual(env.aas.targets(), []);
  assert.deepEqual(env.aas.policies(), []);
  assert.deepEqual(env.cloudwatch.alarms().map((a) => a.AlarmName), ["users-alarm"]);
  const again = await env.call("DeregisterScalableTarget", TARGET);
  assert.deepEqual(again.body, {
    __type: "ObjectNotFoundException",
    Message: "No scalable target registered for service namespace: sagemaker, resource ID: " +
      "endpoint/e1/variant/AllTraffic, scalable dimension: sagemaker:variant:DesiredInstanceCount",
  });
});
