import assert from "node:assert/strict";
import { ACTIVITY_POLL_MS } from "../../../emulator/autoscaling/backend.ts";
import { FilePersistence } from "../../../emulator/persistence/file.ts";
import type { FakeSageMaker } from "./_fake_sagemaker.ts";
import {
  ADD_ONE_INSTANCE,
  capacity,
  MINUTE,
  putStep,
  putTargetTracking,
  putUserAlarm,
  register,
  startAutoScaling,
  T0,
  TARGET,
} from "./_autoscaling.ts";

const trigger = (alarmName: string, metricValue: number, threshold = 0) => ({
  alarmName,
  alarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarmName}`,
  stateValue: "ALARM" as const,
  metricValue,
  metricValues: [metricValue],
  threshold,
});

Deno.test("executePolicies() lets the largest capacity win among policies on one target", async () => {
  await using env = await startAutoScaling();
  await register(env, 0, 10);
  const plusOne = await putStep(env, "plus-one", ADD_ONE_INSTANCE);
  const exact = await putStep(env, "exact-four", {
    AdjustmentType: "ExactCapacity",
    StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 4 }],
  });
  const results = await env.aas.executePolicies([
    { policyArn: plusOne, trigger: trigger("a", 1) },
    { policyArn: exact, trigger: trigger("b", 1) },
    {
      policyArn: "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:gone",
      trigger: trigger("c", 1),
    },
  ]);
  assert.deepEqual(results.map((r) => r.outcome), ["executed", "executed", "not-found"]);
  assert.equal(capacity(env)[0], 4);
  const [activity] = env.aas.activities(false);
  assert.equal(activity?.Description, "Setting desired instance count to 4.");
  assert.equal(activity?.Cause, "monitor alarm b in state ALARM triggered policy exact-four");
});

Deno.test("scale-in waits for the scale-in cooldown but a scale-out acts at once", async () => {
  await using env = await startAutoScaling((fake) => fake.createEndpoint("e1", { instances: 4 }));
  await register(env, 0, 10);
  const { PolicyARN, Alarms } = await putTargetTracking(env);
  const high = Alarms.find((a) => a.AlarmName.includes("-AlarmHigh-"))!.AlarmName;
  const low = Alarms.find((a) => a.AlarmName.includes("-AlarmLow-"))!.AlarmName;
  const run = (alarm: string, value: number) =>
    env.aas.executePolicies([{ policyArn: PolicyARN, trigger: trigger(alarm, value) }]);
  await run(low, 2.5);
  assert.deepEqual(capacity(env), [2, 2]);
  assert.equal(env.aas.activities(false)[0]?.StatusCode, "Successful");
  await env.clock.advance(5 * MINUTE);
  await run(low, 0);
  assert.deepEqual(capacity(env), [2, 2], "scale-in cooldown (600 s) still running");
  await run(high, 10);
  assert.equal(capacity(env)[0], 4, "scale-out is not held back by the scale-in cooldown");
  // Once the new instances are in service (8 min) and the cooldown has passed, scale-in acts.
  await env.clock.advance(9 * MINUTE);
  await run(low, 0);
  assert.equal(capacity(env)[0], 0);
});

Deno.test("during its cooldown a step policy counts the capacity it already added", async () => {
  await using env = await startAutoScaling(
    (fake) => fake.createEndpoint("e1", { instances: 0 }),
    { launchMs: 1_000 },
  );
  await register(env, 0, 10);
  const policy = await putStep(env, "steps", {
    AdjustmentType: "ChangeInCapacity",
    Cooldown: 300,
    StepAdjustments: [
      { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 },
      { MetricIntervalLowerBound: 10, ScalingAdjustment: 3 },
    ],
  });
  const run = (value: number) =>
    env.aas.executePolicies([{ policyArn: policy, trigger: trigger("a", value) }]);
  await run(1);
  await env.clock.advance(30_000);
  assert.deepEqual(capacity(env), [1, 1]);
  await run(1);
  assert.equal(
    capacity(env)[0],
    1,
    "+1 from the capacity before the cooldown's scale-out: no change",
  );
  await run(20);
  assert.equal(capacity(env)[0], 3, "+3 from 0, not from 1");
  await env.clock.advance(6 * MINUTE);
  await run(1);
  assert.equal(capacity(env)[0], 4, "after the cooldown, +1 from the current capacity");
});

Deno.test("capacity is clamped to MaxCapacity and a policy at the limit is recorded once as not scaled", async () => {
  await using env = await startAutoScaling((fake) => fake.createEndpoint("e1", { instances: 1 }), {
    launchMs: 1_000,
  });
  await register(env, 0, 2);
  const { PolicyARN, Alarms } = await putTargetTracking(env);
  const high = Alarms[0]!.AlarmName;
  await env.aas.executePolicies([{ policyArn: PolicyARN, trigger: trigger(high, 50) }]);
  assert.equal(capacity(env)[0], 2);
  await env.clock.advance(10_000);
  for (let i = 0; i < 3; i++) {
    await env.aas.executePolicies([{ policyArn: PolicyARN, trigger: trigger(high, 50) }]);
  }
  assert.equal(env.aas.activities(false).length, 1);
  const notScaled = env.aas.activities(true).filter((a) => a.NotScaledReasons);
  assert.equal(notScaled.length, 1);
  assert.deepEqual(notScaled[0]?.NotScaledReasons, [
    { Code: "AlreadyAtMaxCapacity", MaxCapacity: 2, CurrentCapacity: 2 },
  ]);
});

Deno.test("activities stay InProgress until SageMaker has the instances, and fail when SageMaker refuses", async () => {
  await using env = await startAutoScaling((fake) => fake.createEndpoint("e1", { instances: 0 }));
  await register(env, 0, 5);
  const plusOne = await putStep(env, "wake", ADD_ONE_INSTANCE);
  const exact = await putStep(env, "three", {
    AdjustmentType: "ExactCapacity",
    StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 3 }],
  });
  await env.aas.executePolicies([{ policyArn: plusOne, trigger: trigger("a", 1) }]);
  assert.equal(env.aas.activities(false)[0]?.StatusCode, "InProgress");
  await env.clock.advance(MINUTE);
  await env.aas.executePolicies([{ policyArn: exact, trigger: trigger("b", 1) }]);
  const [refused, pending] = env.aas.activities(false);
  assert.equal(refused?.StatusCode, "Failed");
  assert.equal(
    refused?.StatusMessage,
    "Failed to set desired instance count to 3. Reason: Cannot update in-progress endpoint " +
      '"arn:aws:sagemaker:us-east-1:123456789012:endpoint/e1".',
  );
  assert.equal(pending?.StatusCode, "InProgress");
  await env.clock.advance(8 * MINUTE);
  const done = env.aas.activities(false).at(-1)!;
  assert.equal(done.StatusCode, "Successful");
  assert.equal(done.EndTime?.getTime(), T0 + 8 * MINUTE);
  assert.equal(
    done.StatusMessage,
    "Successfully set desired instance count to 1. Change successfully fulfilled by sagemaker.",
  );
});

Deno.test("a scale-in activity stays InProgress while busy instances drain, and its cooldown starts once they have", async () => {
  await using env = await startAutoScaling(
    (fake) => fake.createEndpoint("e1", { instances: 4 }),
    { inferenceMs: 5 * MINUTE },
  );
  await register(env, 0, 10);
  const { PolicyARN, Alarms } = await putTargetTracking(env);
  const high = Alarms.find((a) => a.AlarmName.includes("-AlarmHigh-"))!.AlarmName;
  const low = Alarms.find((a) => a.AlarmName.includes("-AlarmLow-"))!.AlarmName;
  const run = (alarm: string, value: number) =>
    env.aas.executePolicies([{ policyArn: PolicyARN, trigger: trigger(alarm, value) }]);
  for (let i = 0; i < 4; i++) env.fake.submit("e1");
  await run(low, 2.5);
  // Two busy instances drain: the in-service count is already 2, but SageMaker is not done.
  assert.deepEqual(capacity(env), [2, 2]);
  assert.equal(env.fake.endpointStatus("e1"), "Updating");
  await env.clock.advance(MINUTE);
  const [scaleIn] = env.aas.activities(false);
  assert.equal(scaleIn?.StatusCode, "InProgress");
  // SageMaker refuses a scale-out while the endpoint drains; the scale-in is not overridden.
  await run(high, 10);
  const [refused, draining] = env.aas.activities(false);
  assert.equal(refused?.StatusCode, "Failed");
  assert.match(refused!.StatusMessage!, /Reason: Cannot update in-progress endpoint/);
  assert.equal(draining?.StatusCode, "InProgress");
  // The requests finish at 5 min; the next activity poll sees the endpoint in service.
  await env.clock.advance(4 * MINUTE + ACTIVITY_POLL_MS);
  assert.equal(env.fake.endpointStatus("e1"), "InService");
  const done = env.aas.activities(false).find((a) => a.ActivityId === scaleIn!.ActivityId)!;
  assert.equal(done.StatusCode, "Successful");
  const end = done.EndTime!.getTime();
  assert.ok(end >= T0 + 5 * MINUTE && end <= T0 + 5 * MINUTE + ACTIVITY_POLL_MS, `${end - T0}`);
  // The scale-in cooldown (600 s) counts from the end of the drain, not from the decision.
  await env.clock.advance(end + 9 * MINUTE - env.clock.now());
  await run(low, 0);
  assert.deepEqual(capacity(env), [2, 2], "scale-in cooldown still running");
  await env.clock.advance(MINUTE);
  await run(low, 0);
  assert.deepEqual(capacity(env), [0, 0]);
});

Deno.test("target tracking tells its alarms apart when the endpoint's name contains -AlarmHigh- or -AlarmLow-", async () => {
  const endpoint = "e-AlarmHigh-AlarmLow-1";
  await using env = await startAutoScaling((fake) =>
    fake.createEndpoint(endpoint, { instances: 4 })
  );
  const target = { ...TARGET, ResourceId: `endpoint/${endpoint}/variant/AllTraffic` };
  await env.ok("RegisterScalableTarget", { ...target, MinCapacity: 0, MaxCapacity: 10 });
  const put = (targetValue: number) =>
    env.ok("PutScalingPolicy", {
      ...target,
      PolicyName: "tt",
      PolicyType: "TargetTrackingScaling",
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: targetValue,
        CustomizedMetricSpecification: {
          MetricName: "ApproximateBacklogSizePerInstance",
          Namespace: "AWS/SageMaker",
          Dimensions: [{ Name: "EndpointName", Value: endpoint }],
          Statistic: "Average",
        },
      },
    });
  const created = await put(5);
  const names = created.Alarms.map((a: { AlarmName: string }) => a.AlarmName);
  const [high, low] = names;
  assert.ok(high.startsWith(`TargetTracking-${target.ResourceId}-AlarmHigh-`), high);
  assert.ok(low.startsWith(`TargetTracking-${target.ResourceId}-AlarmLow-`), low);
  // An update finds each alarm again by its own name.
  const updated = await put(10);
  assert.deepEqual(updated.Alarms.map((a: { AlarmName: string }) => a.AlarmName), names);
  assert.equal(env.cloudwatch.alarm(high)?.ComparisonOperator, "GreaterThanThreshold");
  assert.equal(env.cloudwatch.alarm(low)?.ComparisonOperator, "LessThanThreshold");
  // The low alarm scales in.
  await env.aas.executePolicies([{ policyArn: created.PolicyARN, trigger: trigger(low, 0) }]);
  assert.equal(capacity(env, endpoint)[0], 0);
});

Deno.test("suspending dynamic scale-in stops scale-in but not scale-out", async () => {
  await using env = await startAutoScaling((fake) => fake.createEndpoint("e1", { instances: 2 }));
  await env.ok("RegisterScalableTarget", {
    ...TARGET,
    MinCapacity: 0,
    MaxCapacity: 10,
    SuspendedState: { DynamicScalingInSuspended: true },
  });
  const { PolicyARN, Alarms } = await putTargetTracking(env);
  const [high, low] = [Alarms[0]!.AlarmName, Alarms[1]!.AlarmName];
  await env.aas.executePolicies([{ policyArn: PolicyARN, trigger: trigger(low, 0) }]);
  assert.equal(capacity(env)[0], 2);
  await env.aas.executePolicies([{ policyArn: PolicyARN, trigger: trigger(high, 10) }]);
  assert.equal(capacity(env)[0], 4);
});

Deno.test("deleting an endpoint deregisters its targets, policies and target tracking alarms; user alarms stay", async () => {
  await using env = await startAutoScaling();
  await register(env, 0, 5);
  const { Alarms } = await putTargetTracking(env);
  const step = await putStep(env, "wake", ADD_ONE_INSTANCE);
  putUserAlarm(env, { name: "mine", policyArn: step });
  assert.equal(Alarms.length, 2);
  await env.aas.executePolicies([{ policyArn: step, trigger: trigger("mine", 1) }]);
  assert.equal(env.aas.activities(false)[0]?.StatusCode, "InProgress");
  env.fake.deleteEndpoint("e1");
  assert.deepEqual(env.aas.targets(), []);
  assert.deepEqual(env.aas.policies(), []);
  assert.deepEqual(env.cloudwatch.alarms().map((a) => a.AlarmName), ["mine"]);
  const [launching] = env.aas.activities(false);
  assert.equal(launching?.StatusCode, "Failed", "activities in progress end as Failed");
  assert.equal(
    launching?.StatusMessage,
    "Failed to set desired instance count to 2. Reason: endpoint e1 no longer exists.",
  );
});

Deno.test("targets, policies, cooldowns and activities survive a restart with a data directory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const endpoint = (fake: FakeSageMaker) => fake.createEndpoint("e1", { instances: 4 });
    let policyArn: string;
    let low: string;
    {
      await using env = await startAutoScaling(endpoint, {
        persistence: await FilePersistence.open(dir),
      });
      await register(env, 0, 10);
      const put = await putTargetTracking(env);
      policyArn = put.PolicyARN;
      low = put.Alarms[1]!.AlarmName;
      await env.aas.executePolicies([{ policyArn, trigger: trigger(low, 2.5) }]);
      assert.equal(capacity(env)[0], 2);
    }
    await using env = await startAutoScaling(
      (fake) => fake.createEndpoint("e1", { instances: 2 }),
      {
        persistence: await FilePersistence.open(dir),
        start: T0 + 5 * MINUTE,
      },
    );
    assert.equal(env.aas.targets()[0]?.MaxCapacity, 10);
    assert.ok(env.aas.targets()[0]?.CreationTime instanceof Date);
    assert.equal(env.aas.policies()[0]?.PolicyARN, policyArn);
    assert.ok(env.cloudwatch.alarm(low), "target tracking's alarm was saved by CloudWatch");
    const [activity] = env.aas.activities(false);
    assert.equal(activity?.Description, "Setting desired instance count to 2.");
    assert.equal(activity?.StatusCode, "Successful");
    assert.equal(activity?.EndTime?.getTime(), T0);
    // The scale-in cooldown (600 s from T0) still holds after the restart.
    await env.aas.executePolicies([{ policyArn, trigger: trigger(low, 0) }]);
    assert.equal(capacity(env)[0], 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
