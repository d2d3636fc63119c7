/**
 * Application Auto Scaling contract: the real SDK client (awsJson 1.1,
 * signed) against the emulator's Auto Scaling, CloudWatch and SageMaker.
 */
import assert from "node:assert/strict";
import {
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingPoliciesCommand,
  paginateDescribeScalingPolicies,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { DescribeAlarmsCommand, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { DeleteEndpointCommand, DescribeEndpointCommand } from "@aws-sdk/client-sagemaker";
import { startContractEnv } from "./_harness.ts";
import { deployEndpoint } from "./_sagemaker.ts";

const TARGET = {
  ServiceNamespace: "sagemaker" as const,
  ResourceId: "endpoint/falcon/variant/AllTraffic",
  ScalableDimension: "sagemaker:variant:DesiredInstanceCount" as const,
};

const TARGET_TRACKING = {
  ...TARGET,
  PolicyName: "Invocations-ScalingPolicy",
  PolicyType: "TargetTrackingScaling" as const,
  TargetTrackingScalingPolicyConfiguration: {
    TargetValue: 5.0,
    CustomizedMetricSpecification: {
      MetricName: "ApproximateBacklogSizePerInstance",
      Namespace: "AWS/SageMaker",
      Dimensions: [{ Name: "EndpointName", Value: "falcon" }],
      Statistic: "Average" as const,
    },
    ScaleInCooldown: 600,
    ScaleOutCooldown: 300,
  },
};

Deno.test("the SDK registers a variant, puts both documented policies and reads them back", async () => {
  await using env = await startContractEnv();
  await deployEndpoint(env, { name: "falcon" });
  const aas = env.clients.autoscaling;
  const registered = await aas.send(
    new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 0, MaxCapacity: 5 }),
  );
  assert.match(
    registered.ScalableTargetARN!,
    /^arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target\//,
  );
  const { ScalableTargets } = await aas.send(
    new DescribeScalableTargetsCommand({ ServiceNamespace: "sagemaker" }),
  );
  assert.equal(ScalableTargets?.length, 1);
  assert.equal(ScalableTargets?.[0]?.MinCapacity, 0);
  assert.ok(ScalableTargets?.[0]?.CreationTime instanceof Date);
  assert.equal(ScalableTargets?.[0]?.SuspendedState?.DynamicScalingInSuspended, false);

  const tracking = await aas.send(new PutScalingPolicyCommand(TARGET_TRACKING));
  assert.equal(tracking.Alarms?.length, 2);
  const step = await aas.send(
    new PutScalingPolicyCommand({
      ...TARGET,
      PolicyName: "HasBacklogWithoutCapacity-ScalingPolicy",
      PolicyType: "StepScaling",
      StepScalingPolicyConfiguration: {
        AdjustmentType: "ChangeInCapacity",
        MetricAggregationType: "Average",
        Cooldown: 300,
        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
      },
    }),
  );
  assert.equal(step.Alarms, undefined);
  const policies = [];
  for await (
    const page of paginateDescribeScalingPolicies({ client: aas, pageSize: 1 }, {
      ServiceNamespace: "sagemaker",
      ResourceId: TARGET.ResourceId,
    })
  ) policies.push(...page.ScalingPolicies ?? []);
  assert.deepEqual(policies.map((p) => p.PolicyName), [
    "Invocations-ScalingPolicy",
    "HasBacklogWithoutCapacity-ScalingPolicy",
  ]);
  assert.equal(
    policies[0]?.TargetTrackingScalingPolicyConfiguration?.CustomizedMetricSpecification
      ?.MetricName,
    "ApproximateBacklogSizePerInstance",
  );
  assert.deepEqual(policies[1]?.StepScalingPolicyConfiguration?.StepAdjustments, [
    { MetricIntervalLowerBound: 0, ScalingAdjustment: 1 },
  ]);
  const alarms = await env.clients.cloudwatch.send(
    new DescribeAlarmsCommand({ AlarmNamePrefix: "TargetTracking-endpoint/falcon/" }),
  );
  assert.deepEqual(
    alarms.MetricAlarms?.map((a) => [a.ComparisonOperator, a.Threshold, a.EvaluationPeriods])
      .sort(),
    [["GreaterThanThreshold", 5, 3], ["LessThanThreshold", 4.5, 15]],
  );

  await aas.send(
    new DeleteScalingPolicyCommand({ ...TARGET, PolicyName: TARGET_TRACKING.PolicyName }),
  );
  const afterDelete = await env.clients.cloudwatch.send(new DescribeAlarmsCommand({}));
  assert.deepEqual(afterDelete.MetricAlarms, []);
  await aas.send(new DeregisterScalableTargetCommand(TARGET));
  const none = await aas.send(
    new DescribeScalingPoliciesCommand({ ServiceNamespace: "sagemaker" }),
  );
  assert.deepEqual(none.ScalingPolicies, []);
});

Deno.test("the SDK gets ObjectNotFoundException and ValidationException as AWS sends them", async () => {
  await using env = await startContractEnv();
  const aas = env.clients.autoscaling;
  const notFound = await aas.send(new DeregisterScalableTargetCommand(TARGET)).catch((e) => e);
  assert.equal(notFound.name, "ObjectNotFoundException");
  assert.equal(
    notFound.message,
    "No scalable target registered for service namespace: sagemaker, resource ID: " +
      "endpoint/falcon/variant/AllTraffic, scalable dimension: sagemaker:variant:DesiredInstanceCount",
  );
  const noEndpoint = await aas.send(
    new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 0, MaxCapacity: 1 }),
  ).catch((e) => e);
  assert.equal(noEndpoint.name, "ValidationException");
  assert.equal(noEndpoint.$metadata.httpStatusCode, 400);
  assert.equal(noEndpoint.message, 'Could not find endpoint "falcon" with variant "AllTraffic".');
});

Deno.test("a new MinCapacity scales a variant through SageMaker and the activity completes", async () => {
  await using env = await startContractEnv();
  await deployEndpoint(env, { name: "falcon" });
  const aas = env.clients.autoscaling;
  await aas.send(new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 2, MaxCapacity: 4 }));
  const described = await env.clients.sagemaker.send(
    new DescribeEndpointCommand({ EndpointName: "falcon" }),
  );
  assert.equal(described.EndpointStatus, "Updating");
  assert.equal(described.ProductionVariants?.[0]?.DesiredInstanceCount, 2);
  const inProgress = await aas.send(
    new DescribeScalingActivitiesCommand({ ServiceNamespace: "sagemaker" }),
  );
  assert.equal(inProgress.ScalingActivities?.[0]?.StatusCode, "InProgress");
  await env.clock.advance(10 * 60_000);
  const done = await aas.send(
    new DescribeScalingActivitiesCommand({ ServiceNamespace: "sagemaker" }),
  );
  const [activity] = done.ScalingActivities!;
  assert.equal(activity?.Description, "Setting desired instance count to 2.");
  assert.equal(activity?.Cause, "minimum capacity was set to 2");
  assert.equal(activity?.StatusCode, "Successful");
  assert.ok(activity!.EndTime! > activity!.StartTime!);
});

Deno.test("DeleteEndpoint deregisters the endpoint's targets and target tracking alarms but leaves the user's alarm", async () => {
  await using env = await startContractEnv();
  await deployEndpoint(env, { name: "falcon" });
  const aas = env.clients.autoscaling;
  await aas.send(new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 0, MaxCapacity: 5 }));
  await aas.send(new PutScalingPolicyCommand(TARGET_TRACKING));
  const { PolicyARN } = await aas.send(
    new PutScalingPolicyCommand({
      ...TARGET,
      PolicyName: "wake",
      PolicyType: "StepScaling",
      StepScalingPolicyConfiguration: {
        AdjustmentType: "ChangeInCapacity",
        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
      },
    }),
  );
  await env.clients.cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: "falcon-HasBacklogWithoutCapacity",
      Namespace: "AWS/SageMaker",
      MetricName: "HasBacklogWithoutCapacity",
      Dimensions: [{ Name: "EndpointName", Value: "falcon" }],
      Statistic: "Average",
      Period: 60,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      AlarmActions: [PolicyARN!],
    }),
  );
  await env.clients.sagemaker.send(new DeleteEndpointCommand({ EndpointName: "falcon" }));
  await env.clock.advance(5 * 60_000);
  const targets = await aas.send(
    new DescribeScalableTargetsCommand({ ServiceNamespace: "sagemaker" }),
  );
  assert.deepEqual(targets.ScalableTargets, []);
  const policies = await aas.send(
    new DescribeScalingPoliciesCommand({ ServiceNamespace: "sagemaker" }),
  );
  assert.deepEqual(policies.ScalingPolicies, []);
  const alarms = await env.clients.cloudwatch.send(new DescribeAlarmsCommand({}));
  assert.deepEqual(alarms.MetricAlarms?.map((a) => a.AlarmName), [
    "falcon-HasBacklogWithoutCapacity",
  ]);
});
