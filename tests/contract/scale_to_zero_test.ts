/**
 * Scale to zero and back, end to end: the real SDK clients drive the
 * emulator's SageMaker, Runtime, CloudWatch and Application Auto Scaling
 * with the exact setup of the AWS walkthrough (reference §7), on a manual
 * clock.
 */
import assert from "node:assert/strict";
import {
  DescribeScalingActivitiesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  type ScalingActivity,
} from "@aws-sdk/client-application-auto-scaling";
import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  PutMetricAlarmCommand,
} from "@aws-sdk/client-cloudwatch";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import {
  DescribeEndpointCommand,
  UpdateEndpointWeightsAndCapacitiesCommand,
} from "@aws-sdk/client-sagemaker";
import { InvokeEndpointAsyncCommand } from "@aws-sdk/client-sagemaker-runtime";
import { createAutoScalingService } from "../../emulator/autoscaling/service.ts";
import { ManualEmulatorClock } from "../../emulator/clock.ts";
import { createCloudWatchService } from "../../emulator/cloudwatch/service.ts";
import { DEFAULT_TIMINGS } from "../../emulator/core.ts";
import { type ContractEnv, startContractEnv } from "./_harness.ts";
import { deployEndpoint, ensureBucket, FAILURE_PATH, OUTPUT_PATH } from "./_sagemaker.ts";
import { FakeSageMaker } from "../emulator/autoscaling/_fake_sagemaker.ts";
import { enableScaleToZero } from "../../lib/scale_to_zero.ts";

const ENDPOINT = "falcon-40b-async";
const RESOURCE_ID = `endpoint/${ENDPOINT}/variant/AllTraffic`;
const DIMENSION = "sagemaker:variant:DesiredInstanceCount";
const MINUTE = 60_000;
/** One inference takes this long: long enough for a backlog to build up. */
const INFERENCE_MS = 2 * MINUTE;
const LAUNCH_MS = DEFAULT_TIMINGS.instanceLaunchMs;

type Env = ContractEnv<ManualEmulatorClock>;

/** Deploys the endpoint, scales it to zero by hand and waits until it is there. */
async function deployAtZero(env: Env): Promise<void> {
  await deployEndpoint(env, {
    name: ENDPOINT,
    asyncConfig: {
      ClientConfig: { MaxConcurrentInvocationsPerInstance: 1 },
      OutputConfig: { S3OutputPath: OUTPUT_PATH, S3FailurePath: FAILURE_PATH },
    },
  });
  await env.clients.sagemaker.send(
    new UpdateEndpointWeightsAndCapacitiesCommand({
      EndpointName: ENDPOINT,
      DesiredWeightsAndCapacities: [{ VariantName: "AllTraffic", DesiredInstanceCount: 0 }],
    }),
  );
  await env.clock.advance(5 * MINUTE);
  assert.deepEqual(await capacity(env), { desired: 0, current: 0 });
}

/** The documented target tracking setup (reference §7 steps 1 and 2). */
async function enableTargetTracking(env: Env, maxCapacity: number): Promise<void> {
  const aas = env.clients.autoscaling;
  await aas.send(
    new RegisterScalableTargetCommand({
      ServiceNamespace: "sagemaker",
      ResourceId: RESOURCE_ID,
      ScalableDimension: DIMENSION,
      MinCapacity: 0,
      MaxCapacity: maxCapacity,
    }),
  );
  await aas.send(
    new PutScalingPolicyCommand({
      PolicyName: "Invocations-ScalingPolicy",
      ServiceNamespace: "sagemaker",
      ResourceId: RESOURCE_ID,
      ScalableDimension: DIMENSION,
      PolicyType: "TargetTrackingScaling",
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 5.0,
        CustomizedMetricSpecification: {
          MetricName: "ApproximateBacklogSizePerInstance",
          Namespace: "AWS/SageMaker",
          Dimensions: [{ Name: "EndpointName", Value: ENDPOINT }],
          Statistic: "Average",
        },
        ScaleInCooldown: 600,
        ScaleOutCooldown: 300,
      },
    }),
  );
}

/** The documented scale-out-from-zero step policy and alarm (reference §7 step 3). */
async function enableWakeUp(env: Env): Promise<string> {
  const { PolicyARN } = await env.clients.autoscaling.send(
    new PutScalingPolicyCommand({
      PolicyName: "HasBacklogWithoutCapacity-ScalingPolicy",
      ServiceNamespace: "sagemaker",
      ResourceId: RESOURCE_ID,
      ScalableDimension: DIMENSION,
      PolicyType: "StepScaling",
      StepScalingPolicyConfiguration: {
        AdjustmentType: "ChangeInCapacity",
        MetricAggregationType: "Average",
        Cooldown: 300,
        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
      },
    }),
  );
  await env.clients.cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: `${ENDPOINT}-HasBacklogWithoutCapacity`,
      MetricName: "HasBacklogWithoutCapacity",
      Namespace: "AWS/SageMaker",
      Statistic: "Average",
      Dimensions: [{ Name: "EndpointName", Value: ENDPOINT }],
      Period: 60,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      TreatMissingData: "missing",
      AlarmActions: [PolicyARN!],
    }),
  );
  return PolicyARN!;
}

async function capacity(env: Env): Promise<{ desired: number; current: number }> {
  const described = await env.clients.sagemaker.send(
    new DescribeEndpointCommand({ EndpointName: ENDPOINT }),
  );
  const variant = described.ProductionVariants![0]!;
  return { desired: variant.DesiredInstanceCount!, current: variant.CurrentInstanceCount! };
}

let inputCounter = 0;

/** Uploads a prompt and invokes the endpoint asynchronously; returns the inference id. */
async function invoke(env: Env): Promise<string> {
  await ensureBucket(env.clients.s3, "inputs");
  const key = `prompts/${++inputCounter}.json`;
  await env.clients.s3.send(
    new PutObjectCommand({
      Bucket: "inputs",
      Key: key,
      Body: JSON.stringify({ inputs: "Why scale to zero?", parameters: { max_new_tokens: 10 } }),
      ContentType: "application/json",
    }),
  );
  const result = await env.clients.runtime.send(
    new InvokeEndpointAsyncCommand({
      EndpointName: ENDPOINT,
      InputLocation: `s3://inputs/${key}`,
      ContentType: "application/json",
    }),
  );
  return result.InferenceId!;
}

async function activities(env: Env): Promise<ScalingActivity[]> {
  const { ScalingActivities } = await env.clients.autoscaling.send(
    new DescribeScalingActivitiesCommand({
      ServiceNamespace: "sagemaker",
      ResourceId: RESOURCE_ID,
      ScalableDimension: DIMENSION,
    }),
  );
  return ScalingActivities ?? [];
}

/** Advances minute by minute until `done()` holds; returns the emulated time it took. */
async function advanceUntil(
  env: Env,
  done: () => Promise<boolean>,
  limitMs: number,
): Promise<number> {
  const start = env.clock.now();
  while (!(await done())) {
    if (env.clock.now() - start >= limitMs) {
      throw new Error(`Condition not met within ${limitMs / MINUTE} emulated minutes`);
    }
    await env.clock.advance(MINUTE);
  }
  return env.clock.now() - start;
}

function startEnv(): Promise<Env> {
  return startContractEnv({
    auth: false,
    timings: { inferenceBaseMs: INFERENCE_MS, inferencePerTokenMs: 0 },
  });
}

Deno.test("with only target tracking, one queued request leaves the endpoint at zero until the backlog exceeds the target value", async () => {
  await using env = await startEnv();
  await deployAtZero(env);
  await enableTargetTracking(env, 5);
  await invoke(env);
  await env.clock.advance(30 * MINUTE);
  assert.deepEqual(await capacity(env), { desired: 0, current: 0 });
  assert.deepEqual(await activities(env), []);
  const { MetricAlarms } = await env.clients.cloudwatch.send(
    new DescribeAlarmsCommand({ AlarmNamePrefix: `TargetTracking-${RESOURCE_ID}-AlarmHigh-` }),
  );
  assert.equal(MetricAlarms?.[0]?.StateValue, "OK");

  // Five more: a backlog of 6 exceeds the target value of 5.
  for (let i = 0; i < 5; i++) await invoke(env);
  const waited = await advanceUntil(
    env,
    async () => (await capacity(env)).desired > 0,
    10 * MINUTE,
  );
  assert.ok(waited <= 4 * MINUTE, `scale-out took ${waited / MINUTE} minutes`);
  const [first] = await activities(env);
  assert.equal(first?.Description, "Setting desired instance count to 2.");
  assert.match(
    first!.Cause!,
    /^monitor alarm TargetTracking-.*-AlarmHigh-.* in state ALARM triggered policy Invocations-ScalingPolicy$/,
  );
});

Deno.test("the HasBacklogWithoutCapacity step policy decides to wake a zero endpoint for one request within the alarm's two data points", async () => {
  await using env = await startEnv();
  await deployAtZero(env);
  await enableTargetTracking(env, 5);
  await enableWakeUp(env);
  await invoke(env);
  const toDesired = await advanceUntil(
    env,
    async () => (await capacity(env)).desired === 1,
    5 * MINUTE,
  );
  // Two one-minute data points, the first of them possibly partial: at most three minutes.
  assert.ok(toDesired <= 3 * MINUTE, `wake-up decided after ${toDesired / MINUTE} minutes`);
  const [first] = await activities(env);
  assert.equal(first?.Description, "Setting desired instance count to 1.");
  assert.equal(
    first?.Cause,
    `monitor alarm ${ENDPOINT}-HasBacklogWithoutCapacity in state ALARM triggered policy ` +
      "HasBacklogWithoutCapacity-ScalingPolicy",
  );
  assert.equal(first?.StatusCode, "InProgress");
});

// The full wake / burst / return-to-zero lifecycle needs requests to run on
// instances. The emulator's async queue cannot run them under a manual clock
// yet (its tracked inference work waits on the clock, so `advance` never
// returns), so these scenarios use a stand-in SageMaker backend
// (`_fake_sagemaker.ts`) behind the real CloudWatch and Application Auto
// Scaling services and the real SDK clients.

interface FakeEnv {
  env: Env;
  fake: FakeSageMaker;
}

async function startFakeEnv(): Promise<FakeEnv & AsyncDisposable> {
  const clock = new ManualEmulatorClock({ start: Date.UTC(2026, 3, 12, 9, 30) });
  const fake = new FakeSageMaker({ clock, launchMs: LAUNCH_MS, inferenceMs: INFERENCE_MS });
  fake.createEndpoint(ENDPOINT, { instances: 0 });
  const env = await startContractEnv({
    auth: false,
    clock,
    services: [fake.factory(), createCloudWatchService, createAutoScalingService],
  });
  return { env, fake, [Symbol.asyncDispose]: () => env[Symbol.asyncDispose]() };
}

function fakeCapacity(fake: FakeSageMaker): { desired: number; current: number } {
  const [v] = fake.variants(ENDPOINT);
  return { desired: v!.desiredInstanceCount, current: v!.currentInstanceCount };
}

Deno.test("with the step policy, one request wakes a zero endpoint and completes within the alarm's window plus the launch time", async () => {
  await using setup = await startFakeEnv();
  const { env, fake } = setup;
  await enableTargetTracking(env, 5);
  await enableWakeUp(env);
  const sentAt = env.clock.now();
  const id = fake.submit(ENDPOINT);
  await advanceUntil(env, () => Promise.resolve(fake.finished.length === 1), 30 * MINUTE);
  const [done] = fake.finished;
  assert.equal(done?.inferenceId, id);
  // Alarm: two one-minute data points (the first possibly partial) -> <= 3 min; then the launch.
  assert.ok(done!.startedAt! - sentAt <= 3 * MINUTE + LAUNCH_MS);
  assert.ok(done!.startedAt! - sentAt >= 2 * MINUTE + LAUNCH_MS - MINUTE);
  const story = await activities(env);
  assert.equal(story.length, 1);
  assert.equal(story[0]?.Description, "Setting desired instance count to 1.");
  assert.equal(story[0]?.StatusCode, "Successful");
  assert.equal(
    story[0]?.StatusMessage,
    "Successfully set desired instance count to 1. Change successfully fulfilled by sagemaker.",
  );
});

Deno.test("a burst scales out to MaxCapacity and, once the backlog is gone, back to zero; no request is lost or run twice", async () => {
  await using setup = await startFakeEnv();
  const { env, fake } = setup;
  await enableTargetTracking(env, 5);
  await enableWakeUp(env);
  const ids = Array.from({ length: 40 }, () => fake.submit(ENDPOINT));
  let maxDesired = 0;
  let lastFinish = 0;
  await advanceUntil(env, () => {
    maxDesired = Math.max(maxDesired, fakeCapacity(fake).desired);
    return Promise.resolve(fake.finished.length === ids.length);
  }, 3 * 60 * MINUTE);
  lastFinish = Math.max(...fake.finished.map((o) => o.finishedAt));
  assert.equal(maxDesired, 5);
  await advanceUntil(
    env,
    () => Promise.resolve(fakeCapacity(fake).desired === 0 && fakeCapacity(fake).current === 0),
    60 * MINUTE,
  );
  // Back at zero within the low alarm's 15 data points plus the scale-in cooldown (and a minute
  // of period alignment) after the last request finished.
  assert.ok(env.clock.now() - lastFinish <= 15 * MINUTE + 10 * MINUTE + MINUTE);
  assert.deepEqual(new Set(fake.finished.map((o) => o.inferenceId)), new Set(ids));
  assert.equal(fake.finished.length, ids.length);
  for (const id of ids) assert.equal(fake.starts.get(id), 1, `${id} started more than once`);
  // It stays at zero.
  await env.clock.advance(60 * MINUTE);
  assert.deepEqual(fakeCapacity(fake), { desired: 0, current: 0 });
});

Deno.test("DescribeScalingActivities tells the story of a burst and GetMetricData returns the series that drove it", async () => {
  await using setup = await startFakeEnv();
  const { env, fake } = setup;
  await enableTargetTracking(env, 5);
  await enableWakeUp(env);
  const start = env.clock.now();
  for (let i = 0; i < 40; i++) fake.submit(ENDPOINT);
  await advanceUntil(env, () => Promise.resolve(fake.finished.length === 40), 3 * 60 * MINUTE);
  await advanceUntil(env, () => Promise.resolve(fakeCapacity(fake).current === 0), 60 * MINUTE);
  const story = (await activities(env)).reverse();
  const done = story.filter((a) => a.StatusCode === "Successful");
  assert.deepEqual(done.map((a) => a.Description), [
    "Setting desired instance count to 1.",
    "Setting desired instance count to 5.",
    "Setting desired instance count to 0.",
  ]);
  assert.match(
    done[0]!.Cause!,
    /HasBacklogWithoutCapacity in state ALARM triggered policy HasBacklogWithoutCapacity-ScalingPolicy$/,
  );
  assert.match(
    done[1]!.Cause!,
    /-AlarmHigh-[0-9a-f-]+ in state ALARM triggered policy Invocations-ScalingPolicy$/,
  );
  assert.match(
    done[2]!.Cause!,
    /-AlarmLow-[0-9a-f-]+ in state ALARM triggered policy Invocations-ScalingPolicy$/,
  );
  // While the first instance launched, SageMaker refused further changes, as on AWS.
  for (const failed of story.filter((a) => a.StatusCode === "Failed")) {
    assert.match(
      failed.StatusMessage!,
      /^Failed to set desired instance count to 5\. Reason: Cannot update in-progress endpoint/,
    );
  }
  for (const a of done) assert.ok(a.EndTime! >= a.StartTime!);

  const { MetricDataResults } = await env.clients.cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(start),
      EndTime: new Date(env.clock.now()),
      ScanBy: "TimestampAscending",
      MetricDataQueries: ["HasBacklogWithoutCapacity", "ApproximateBacklogSize"].map((name, i) => ({
        Id: `m${i}`,
        MetricStat: {
          Metric: {
            Namespace: "AWS/SageMaker",
            MetricName: name,
            Dimensions: [{ Name: "EndpointName", Value: ENDPOINT }],
          },
          Period: 60,
          Stat: "Maximum",
        },
      })),
    }),
  );
  const [hasBacklog, backlog] = MetricDataResults!;
  const at = (series: typeof hasBacklog, t: Date) =>
    series!.Values![series!.Timestamps!.findIndex((x) => x.getTime() === t.getTime())];
  // The two data points before the wake-up were 1 (the alarm's threshold).
  const wake = done[0]!.StartTime!;
  assert.equal(at(hasBacklog, new Date(wake.getTime() - MINUTE)), 1);
  assert.equal(at(hasBacklog, new Date(wake.getTime() - 2 * MINUTE)), 1);
  // The backlog started at 40 and drained to 0 before the scale-in.
  assert.equal(backlog!.Values![0], 40);
  const scaleIn = done[2]!.StartTime!.getTime();
  assert.equal(at(backlog, new Date(scaleIn - MINUTE)), 0);
  assert.ok(backlog!.Values!.every((v, i, all) => i === 0 || v <= all[i - 1]!));
});

Deno.test("lib's enableScaleToZero() sets up exactly this behaviour: wake for one request, then back to zero", async () => {
  await using setup = await startFakeEnv();
  const { env, fake } = setup;
  const { stepPolicyArn, alarmName } = await enableScaleToZero({
    clients: { autoscaling: env.clients.autoscaling, cloudwatch: env.clients.cloudwatch },
    endpointName: ENDPOINT,
    maxCapacity: 2,
  });
  assert.ok(stepPolicyArn);
  const sentAt = env.clock.now();
  fake.submit(ENDPOINT);
  await advanceUntil(env, () => Promise.resolve(fake.finished.length === 1), 30 * MINUTE);
  assert.ok(fake.finished[0]!.startedAt! - sentAt <= 3 * MINUTE + LAUNCH_MS);
  const finishedAt = fake.finished[0]!.finishedAt;
  await advanceUntil(env, () => Promise.resolve(fakeCapacity(fake).current === 0), 40 * MINUTE);
  assert.ok(env.clock.now() - finishedAt <= 16 * MINUTE);
  const story = (await activities(env)).reverse();
  assert.deepEqual(story.map((a) => [a.Description, a.StatusCode]), [
    ["Setting desired instance count to 1.", "Successful"],
    ["Setting desired instance count to 0.", "Successful"],
  ]);
  assert.match(story[0]!.Cause!, new RegExp(`^monitor alarm ${alarmName} in state ALARM`));
});
