import assert from "node:assert/strict";
import {
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
} from "@aws-sdk/client-cloudwatch";
import { DescribeEndpointCommand } from "@aws-sdk/client-sagemaker";
import {
  describeScaleToZero,
  disableScaleToZero,
  enableScaleToZero,
  scaleToZeroNames,
} from "../../lib/scale_to_zero.ts";
import { awsError, mockedClients } from "./fake_aws.ts";

const target = {
  ServiceNamespace: "sagemaker",
  ResourceId: "endpoint/falcon/variant/AllTraffic",
  ScalableDimension: "sagemaker:variant:DesiredInstanceCount",
};
const TT_ARN = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1:resource/tt";
const STEP_ARN = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:2:resource/step";

function fakes() {
  const mocks = mockedClients();
  const { as, cw } = mocks;
  as.on(DescribeScalableTargetsCommand).resolves({ ScalableTargets: [] });
  as.on(DescribeScalingPoliciesCommand).resolves({ ScalingPolicies: [] });
  cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
  as.on(RegisterScalableTargetCommand).resolves({});
  as.on(PutScalingPolicyCommand, { PolicyType: "TargetTrackingScaling" }).resolves({
    PolicyARN: TT_ARN,
    Alarms: [{
      AlarmName: "TargetTracking-endpoint/falcon/variant/AllTraffic-AlarmHigh-1",
      AlarmARN: "a",
    }],
  });
  as.on(PutScalingPolicyCommand, { PolicyType: "StepScaling" }).resolves({ PolicyARN: STEP_ARN });
  cw.on(PutMetricAlarmCommand).resolves({});
  return mocks;
}

Deno.test("enableScaleToZero() sends the target, policies and alarm exactly as the developer guide gives them", async () => {
  const { clients, as, cw } = fakes();
  const result = await enableScaleToZero({
    clients,
    endpointName: "falcon",
    tags: { "sagemaker-async:managed": "true", "sagemaker-async:deployment-id": "d-1" },
  });
  assert.deepEqual(as.commandCalls(RegisterScalableTargetCommand)[0]!.args[0].input, {
    ...target,
    MinCapacity: 0,
    MaxCapacity: 1,
  });
  const [tracking, step] = as.commandCalls(PutScalingPolicyCommand).map((c) => c.args[0].input);
  assert.deepEqual(tracking, {
    ...target,
    PolicyName: "ApproximateBacklogSizePerInstance-ScalingPolicy",
    PolicyType: "TargetTrackingScaling",
    TargetTrackingScalingPolicyConfiguration: {
      TargetValue: 5.0,
      CustomizedMetricSpecification: {
        MetricName: "ApproximateBacklogSizePerInstance",
        Namespace: "AWS/SageMaker",
        Dimensions: [{ Name: "EndpointName", Value: "falcon" }],
        Statistic: "Average",
      },
      ScaleInCooldown: 600,
      ScaleOutCooldown: 300,
    },
  });
  assert.deepEqual(step, {
    ...target,
    PolicyName: "HasBacklogWithoutCapacity-ScalingPolicy",
    PolicyType: "StepScaling",
    StepScalingPolicyConfiguration: {
      AdjustmentType: "ChangeInCapacity",
      MetricAggregationType: "Average",
      Cooldown: 300,
      StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
    },
  });
  const alarm = cw.commandCalls(PutMetricAlarmCommand)[0]!.args[0].input;
  assert.equal(alarm.AlarmName, "falcon-AllTraffic-HasBacklogWithoutCapacity");
  assert.equal(alarm.MetricName, "HasBacklogWithoutCapacity");
  assert.equal(alarm.Namespace, "AWS/SageMaker");
  assert.equal(alarm.Statistic, "Average");
  assert.deepEqual(alarm.Dimensions, [{ Name: "EndpointName", Value: "falcon" }]);
  assert.equal(alarm.Period, 60);
  assert.equal(alarm.EvaluationPeriods, 2);
  assert.equal(alarm.DatapointsToAlarm, 2);
  assert.equal(alarm.Threshold, 1);
  assert.equal(alarm.ComparisonOperator, "GreaterThanOrEqualToThreshold");
  assert.equal(alarm.TreatMissingData, "missing");
  assert.deepEqual(alarm.AlarmActions, [STEP_ARN]);
  assert.deepEqual(alarm.Tags, [
    { Key: "sagemaker-async:managed", Value: "true" },
    { Key: "sagemaker-async:deployment-id", Value: "d-1" },
  ]);
  assert.equal(result.targetTrackingPolicyArn, TT_ARN);
  assert.equal(result.stepPolicyArn, STEP_ARN);
  assert.equal(result.alarmName, "falcon-AllTraffic-HasBacklogWithoutCapacity");
  assert.deepEqual(result.targetTrackingAlarmNames, [
    "TargetTracking-endpoint/falcon/variant/AllTraffic-AlarmHigh-1",
  ]);
  assert.deepEqual(result.created.map((r) => r.type), [
    "scalable-target",
    "scaling-policy",
    "scaling-policy",
    "alarm",
  ]);
  assert.deepEqual(result.updated, []);
});

Deno.test("enableScaleToZero() applies overrides and skips the wake-up pieces with wakeFromZero: false", async () => {
  const { clients, as, cw } = fakes();
  const result = await enableScaleToZero({
    clients,
    endpointName: "falcon",
    variantName: "Blue",
    maxCapacity: 4,
    targetValue: 2.5,
    scaleInCooldownSeconds: 900,
    scaleOutCooldownSeconds: 60,
    wakeFromZero: false,
  });
  assert.equal(
    as.commandCalls(RegisterScalableTargetCommand)[0]!.args[0].input.ResourceId,
    "endpoint/falcon/variant/Blue",
  );
  assert.equal(as.commandCalls(RegisterScalableTargetCommand)[0]!.args[0].input.MaxCapacity, 4);
  const calls = as.commandCalls(PutScalingPolicyCommand);
  assert.equal(calls.length, 1);
  const config = calls[0]!.args[0].input.TargetTrackingScalingPolicyConfiguration!;
  assert.equal(config.TargetValue, 2.5);
  assert.equal(config.ScaleInCooldown, 900);
  assert.equal(config.ScaleOutCooldown, 60);
  assert.equal(cw.commandCalls(PutMetricAlarmCommand).length, 0);
  assert.equal(result.stepPolicyArn, undefined);
});

Deno.test("enableScaleToZero() validates everything before any call", async () => {
  const { clients, as, cw } = fakes();
  await assert.rejects(enableScaleToZero({ clients, endpointName: "falcon", maxCapacity: 0 }), {
    name: "RangeError",
    message: /maxCapacity 0/,
  });
  await assert.rejects(enableScaleToZero({ clients, endpointName: "no spaces" }), TypeError);
  await assert.rejects(enableScaleToZero({ clients, endpointName: "e", targetValue: -1 }), {
    name: "RangeError",
    message: /targetValue -1/,
  });
  await assert.rejects(
    enableScaleToZero({ clients, endpointName: "e", scaleInCooldownSeconds: 1.5 }),
    { name: "TypeError", message: /scaleInCooldownSeconds 1.5/ },
  );
  await assert.rejects(
    enableScaleToZero({ clients, endpointName: "e", names: { alarmName: "" } }),
    { name: "TypeError", message: /alarmName ""/ },
  );
  assert.equal(as.calls().length, 0);
  assert.equal(cw.calls().length, 0);
});

Deno.test("enableScaleToZero() undoes what it created, in reverse order, when the alarm fails", async () => {
  const { clients, as, cw } = fakes();
  const failure = awsError("LimitExceeded", "Too many alarms");
  cw.on(PutMetricAlarmCommand).rejects(failure);
  as.on(DeleteScalingPolicyCommand).resolves({});
  as.on(DeregisterScalableTargetCommand).resolves({});
  await assert.rejects(
    enableScaleToZero({ clients, endpointName: "falcon" }),
    (error: unknown) => error === failure,
  );
  assert.deepEqual(
    as.commandCalls(DeleteScalingPolicyCommand).map((c) => c.args[0].input.PolicyName),
    ["HasBacklogWithoutCapacity-ScalingPolicy", "ApproximateBacklogSizePerInstance-ScalingPolicy"],
  );
  assert.deepEqual(as.commandCalls(DeregisterScalableTargetCommand)[0]!.args[0].input, target);
  assert.equal(cw.commandCalls(DeleteAlarmsCommand).length, 0);
});

Deno.test("enableScaleToZero() on failure restores a target that existed and keeps existing policies", async () => {
  const { clients, as } = fakes();
  as.on(DescribeScalableTargetsCommand).resolves({
    ScalableTargets: [{ ...target, MinCapacity: 1, MaxCapacity: 3 } as never],
  });
  as.on(DescribeScalingPoliciesCommand).resolves({
    ScalingPolicies: [{ PolicyName: "ApproximateBacklogSizePerInstance-ScalingPolicy" } as never],
  });
  const failure = awsError("ConcurrentUpdateException", "busy");
  as.on(PutScalingPolicyCommand, { PolicyType: "StepScaling" }).rejects(failure);
  await assert.rejects(
    enableScaleToZero({ clients, endpointName: "falcon" }),
    (error: unknown) => error === failure,
  );
  const registers = as.commandCalls(RegisterScalableTargetCommand).map((c) => c.args[0].input);
  assert.deepEqual(registers.map((r) => [r.MinCapacity, r.MaxCapacity]), [[0, 1], [1, 3]]);
  assert.equal(as.commandCalls(DeleteScalingPolicyCommand).length, 0);
  assert.equal(as.commandCalls(DeregisterScalableTargetCommand).length, 0);
});

Deno.test("enableScaleToZero() reports resources that existed as updated", async () => {
  const { clients, as, cw } = fakes();
  as.on(DescribeScalableTargetsCommand).resolves({
    ScalableTargets: [{ ...target, MinCapacity: 0, MaxCapacity: 1 } as never],
  });
  cw.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: [{ AlarmName: "falcon-AllTraffic-HasBacklogWithoutCapacity" }],
  });
  const result = await enableScaleToZero({ clients, endpointName: "falcon" });
  assert.deepEqual(result.updated.map((r) => r.type), ["scalable-target", "alarm"]);
  assert.deepEqual(result.created.map((r) => r.type), ["scaling-policy", "scaling-policy"]);
});

Deno.test("enableScaleToZero() throws an AggregateError when undoing fails too", async () => {
  const { clients, as } = fakes();
  const failure = awsError("ValidationException", "bad policy");
  const undoFailure = awsError("InternalServiceException", "oops");
  as.on(PutScalingPolicyCommand).rejects(failure);
  as.on(DeregisterScalableTargetCommand).rejects(undoFailure);
  await assert.rejects(enableScaleToZero({ clients, endpointName: "falcon" }), (error: unknown) => {
    assert.ok(error instanceof AggregateError);
    assert.deepEqual(error.errors, [failure, undoFailure]);
    assert.equal(error.cause, failure);
    assert.match(error.message, /disableScaleToZero/);
    return true;
  });
});

Deno.test("disableScaleToZero() removes alarm, policies and target, in that order", async () => {
  const { clients, as, cw } = fakes();
  cw.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: [{ AlarmName: "falcon-AllTraffic-HasBacklogWithoutCapacity" }],
  });
  cw.on(DeleteAlarmsCommand).resolves({});
  as.on(DeleteScalingPolicyCommand).resolves({});
  as.on(DeregisterScalableTargetCommand).resolves({});
  const result = await disableScaleToZero({ clients, endpointName: "falcon" });
  assert.deepEqual(result.deleted, [
    { type: "alarm", name: "falcon-AllTraffic-HasBacklogWithoutCapacity" },
    { type: "scaling-policy", name: "HasBacklogWithoutCapacity-ScalingPolicy" },
    { type: "scaling-policy", name: "ApproximateBacklogSizePerInstance-ScalingPolicy" },
    { type: "scalable-target", name: "endpoint/falcon/variant/AllTraffic" },
  ]);
  assert.deepEqual(result.notFound, []);
  assert.deepEqual(cw.commandCalls(DeleteAlarmsCommand)[0]!.args[0].input, {
    AlarmNames: ["falcon-AllTraffic-HasBacklogWithoutCapacity"],
  });
});

Deno.test("disableScaleToZero() reports resources already gone as not found", async () => {
  const { clients, as, cw } = fakes();
  as.on(DeleteScalingPolicyCommand).rejects(awsError("ObjectNotFoundException", "No policy"));
  as.on(DeregisterScalableTargetCommand).rejects(
    awsError("ObjectNotFoundException", "No scalable target"),
  );
  const result = await disableScaleToZero({ clients, endpointName: "falcon" });
  assert.deepEqual(result.deleted, []);
  assert.equal(result.notFound.length, 4);
  assert.equal(cw.commandCalls(DeleteAlarmsCommand).length, 0);
});

Deno.test("disableScaleToZero() passes other errors through unchanged", async () => {
  const { clients, as } = fakes();
  const throttled = awsError("ThrottlingException", "Rate exceeded");
  as.on(DeleteScalingPolicyCommand).rejects(throttled);
  await assert.rejects(
    disableScaleToZero({ clients, endpointName: "falcon" }),
    (error: unknown) => error === throttled,
  );
});

Deno.test("describeScaleToZero() reports target, policies, alarm states and instance counts", async () => {
  const { clients, as, cw, sm } = fakes();
  as.on(DescribeScalableTargetsCommand).resolves({
    ScalableTargets: [{ ...target, MinCapacity: 0, MaxCapacity: 2 } as never],
  });
  as.on(DescribeScalingPoliciesCommand).resolves({
    ScalingPolicies: [
      {
        PolicyName: "ApproximateBacklogSizePerInstance-ScalingPolicy",
        PolicyARN: TT_ARN,
        PolicyType: "TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 5,
          ScaleInCooldown: 600,
          ScaleOutCooldown: 300,
          CustomizedMetricSpecification: { MetricName: "ApproximateBacklogSizePerInstance" },
        },
        Alarms: [{ AlarmName: "TT-High", AlarmARN: "h" }, { AlarmName: "TT-Low", AlarmARN: "l" }],
      } as never,
      {
        PolicyName: "HasBacklogWithoutCapacity-ScalingPolicy",
        PolicyARN: STEP_ARN,
        PolicyType: "StepScaling",
        StepScalingPolicyConfiguration: { Cooldown: 300 },
      } as never,
    ],
  });
  cw.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: [
      {
        AlarmName: "falcon-AllTraffic-HasBacklogWithoutCapacity",
        StateValue: "ALARM",
        StateReason: "Threshold Crossed: 2 datapoints were >= 1.0",
        StateUpdatedTimestamp: new Date(Date.UTC(2026, 0, 1)),
        AlarmActions: [STEP_ARN],
      },
      { AlarmName: "TT-Low", StateValue: "INSUFFICIENT_DATA" },
      { AlarmName: "TT-High", StateValue: "OK" },
    ],
  });
  sm.on(DescribeEndpointCommand).resolves({
    EndpointStatus: "InService",
    ProductionVariants: [{
      VariantName: "AllTraffic",
      CurrentInstanceCount: 0,
      DesiredInstanceCount: 1,
    }],
  } as never);
  const d = await describeScaleToZero({ clients, endpointName: "falcon" });
  assert.deepEqual(d.target, { minCapacity: 0, maxCapacity: 2 });
  assert.equal(d.targetTrackingPolicy?.targetValue, 5);
  assert.equal(d.targetTrackingPolicy?.scaleInCooldownSeconds, 600);
  assert.equal(d.targetTrackingPolicy?.metricName, "ApproximateBacklogSizePerInstance");
  assert.equal(d.stepPolicy?.cooldownSeconds, 300);
  assert.equal(d.wakeAlarm?.state, "ALARM");
  assert.match(d.wakeAlarm!.stateReason!, /Threshold Crossed/);
  assert.equal(d.wakeAlarm?.stateUpdatedAt, "2026-01-01T00:00:00.000Z");
  assert.deepEqual(d.targetTrackingAlarms.map((a) => [a.alarmName, a.state]), [
    ["TT-High", "OK"],
    ["TT-Low", "INSUFFICIENT_DATA"],
  ]);
  assert.deepEqual(d.variants, [
    { variantName: "AllTraffic", currentInstanceCount: 0, desiredInstanceCount: 1 },
  ]);
  assert.equal(d.endpointStatus, "InService");
  assert.equal(d.scalesToZero, true);
  assert.equal(d.wakesFromZero, true);
  assert.deepEqual(cw.commandCalls(DescribeAlarmsCommand)[0]!.args[0].input.AlarmNames, [
    "falcon-AllTraffic-HasBacklogWithoutCapacity",
    "TT-High",
    "TT-Low",
  ]);
});

Deno.test("describeScaleToZero() reports nothing set up as not scaling to zero", async () => {
  const { clients, sm } = fakes();
  sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: "InService", ProductionVariants: [] });
  const d = await describeScaleToZero({ clients, endpointName: "falcon" });
  assert.equal(d.target, undefined);
  assert.equal(d.scalesToZero, false);
  assert.equal(d.wakesFromZero, false);
  assert.deepEqual(d.names, scaleToZeroNames({ endpointName: "falcon" }));
});
