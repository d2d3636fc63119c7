import assert from "node:assert/strict";
import { putTargetTracking, register, startAutoScaling, TARGET } from "./_autoscaling.ts";

Deno.test("PutScalingPolicy with target tracking creates and owns its high and low alarms", async () => {
  await using env = await startAutoScaling();
  await register(env, 0, 5);
  const { PolicyARN, Alarms } = await putTargetTracking(env);
  assert.match(
    PolicyARN,
    /^arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:[0-9a-f-]{36}:resource\/sagemaker\/endpoint\/e1\/variant\/AllTraffic:policyName\/tt$/,
  );
  assert.equal(Alarms.length, 2);
  assert.match(
    Alarms[0]!.AlarmName,
    /^TargetTracking-endpoint\/e1\/variant\/AllTraffic-AlarmHigh-[0-9a-f-]{36}$/,
  );
  assert.match(
    Alarms[1]!.AlarmName,
    /^TargetTracking-endpoint\/e1\/variant\/AllTraffic-AlarmLow-[0-9a-f-]{36}$/,
  );
  assert.equal(
    Alarms[0]!.AlarmARN,
    `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${Alarms[0]!.AlarmName}`,
  );
  const high = env.cloudwatch.alarm(Alarms[0]!.AlarmName)!;
  assert.equal(high.MetricName, "ApproximateBacklogSizePerInstance");
  assert.equal(high.Threshold, 5);
  assert.equal(high.EvaluationPeriods, 3);
  assert.deepEqual(high.AlarmActions, [PolicyARN]);
  assert.equal(env.cloudwatch.alarm(Alarms[1]!.AlarmName)!.Threshold, 4.5);

  // An update keeps the policy ARN and alarm names and re-configures the alarms.
  const updated = await putTargetTracking(env, { TargetValue: 10 });
  assert.equal(updated.PolicyARN, PolicyARN);
  assert.deepEqual(updated.Alarms.map((a) => a.AlarmName), Alarms.map((a) => a.AlarmName));
  assert.equal(env.cloudwatch.alarm(Alarms[1]!.AlarmName)!.Threshold, 9);
  // Disabling scale-in removes the low alarm.
  const noIn = await putTargetTracking(env, { DisableScaleIn: true });
  assert.deepEqual(noIn.Alarms.map((a) => a.AlarmName), [Alarms[0]!.AlarmName]);
  assert.equal(env.cloudwatch.alarm(Alarms[1]!.AlarmName), undefined);
  const { ScalingPolicies } = await env.ok("DescribeScalingPolicies", {
    ServiceNamespace: "sagemaker",
  });
  assert.equal(ScalingPolicies.length, 1);
  assert.deepEqual(
    ScalingPolicies[0].TargetTrackingScalingPolicyConfiguration.DisableScaleIn,
    true,
  );
});

Deno.test("PutScalingPolicy maps the predefined invocations metric to the variant's InvocationsPerInstance", async () => {
  await using env = await startAutoScaling();
  await register(env, 1, 5);
  const { Alarms } = await env.ok("PutScalingPolicy", {
    ...TARGET,
    PolicyName: "invocations",
    PolicyType: "TargetTrackingScaling",
    TargetTrackingScalingPolicyConfiguration: {
      TargetValue: 70,
      PredefinedMetricSpecification: {
        PredefinedMetricType: "SageMakerVariantInvocationsPerInstance",
      },
    },
  });
  const high = env.cloudwatch.alarm(Alarms[0].AlarmName)!;
  assert.equal(high.MetricName, "InvocationsPerInstance");
  assert.equal(high.Statistic, "Sum");
  assert.deepEqual(high.Dimensions, [
    { Name: "EndpointName", Value: "e1" },
    { Name: "VariantName", Value: "AllTraffic" },
  ]);
});

Deno.test("PutScalingPolicy stores a step policy and validates its steps", async () => {
  await using env = await startAutoScaling();
  await register(env, 0, 5);
  const put = (config: Record<string, unknown>) =>
    env.call("PutScalingPolicy", {
      ...TARGET,
      PolicyName: "step",
      PolicyType: "StepScaling",
      StepScalingPolicyConfiguration: config,
    });
  const good = await put({
    AdjustmentType: "ChangeInCapacity",
    MetricAggregationType: "Average",
    Cooldown: 300,
    StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
  });
  assert.equal(good.status, 200);
  assert.deepEqual(Object.keys(good.body), ["PolicyARN"]);
  const gap = await put({
    AdjustmentType: "ChangeInCapacity",
    StepAdjustments: [
      { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 5, ScalingAdjustment: 1 },
      { MetricIntervalLowerBound: 6, ScalingAdjustment: 2 },
    ],
  });
  assert.equal(gap.body.__type, "ValidationException");
  assert.match(gap.body.Message, /must not overlap or leave a gap/);
  const magnitude = await put({
    AdjustmentType: "ChangeInCapacity",
    MinAdjustmentMagnitude: 2,
    StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
  });
  assert.equal(
    magnitude.body.Message,
    "MinAdjustmentMagnitude can only be used with AdjustmentType PercentChangeInCapacity",
  );
  const missing = await env.call("PutScalingPolicy", {
    ...TARGET,
    PolicyName: "x",
    PolicyType: "StepScaling",
  });
  assert.equal(
    missing.body.Message,
    "StepScalingPolicyConfiguration is required for PolicyType StepScaling",
  );
});

Deno.test("PutScalingPolicy needs a registered target and refuses what is not modelled", async () => {
  await using env = await startAutoScaling();
  const unregistered = await putTargetTracking(env).catch((e: Error) => e.message);
  assert.match(
    String(unregistered),
    /ObjectNotFoundException.*No scalable target registered for service namespace: sagemaker, resource ID: endpoint\/e1\/variant\/AllTraffic, scalable dimension: sagemaker:variant:DesiredInstanceCount/,
  );
  await register(env, 0, 5);
  const predictive = await env.call("PutScalingPolicy", {
    ...TARGET,
    PolicyName: "p",
    PolicyType: "PredictiveScaling",
  });
  assert.equal(predictive.body.__type, "ValidationException");
  const both = await env.call("PutScalingPolicy", {
    ...TARGET,
    PolicyName: "p",
    PolicyType: "TargetTrackingScaling",
    TargetTrackingScalingPolicyConfiguration: { TargetValue: 5 },
  });
  assert.equal(
    both.body.Message,
    "Exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification must be specified",
  );
  const badMetric = await env.call("PutScalingPolicy", {
    ...TARGET,
    PolicyName: "p",
    PolicyType: "TargetTrackingScaling",
    TargetTrackingScalingPolicyConfiguration: {
      TargetValue: 5,
      CustomizedMetricSpecification: { MetricName: "M", Namespace: "N", Statistic: "p99" },
    },
  });
  assert.equal(badMetric.body.__type, "ValidationException");
  assert.deepEqual(env.aas.policies(), []);
  assert.deepEqual(env.cloudwatch.alarms(), []);
});

Deno.test("PutScalingPolicy allows at most 50 policies per target", async () => {
  await using env = await startAutoScaling();
  await register(env, 0, 5);
  const put = (i: number) =>
    env.call("PutScalingPolicy", {
      ...TARGET,
      PolicyName: `p${i}`,
      PolicyType: "StepScaling",
      StepScalingPolicyConfiguration: {
        AdjustmentType: "ExactCapacity",
        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
      },
    });
  for (let i = 0; i < 50; i++) assert.equal((await put(i)).status, 200);
  const over = await put(50);
  assert.equal(over.body.__type, "LimitExceededException");
  assert.equal((await put(7)).status, 200, "updating an existing policy is fine");
});
