/**
 * Scale to zero and back, end to end on the emulator's real services: the
 * real SDK clients drive SageMaker, SageMaker Runtime (`InvokeEndpointAsync`
 * with the input in S3), the async queue, S3, CloudWatch and Application Auto
 * Scaling with the exact setup of the AWS walkthrough (reference §7), on a
 * manual clock. Requests run on emulated instances (the built-in TGI
 * container, two emulated minutes each) and their results are S3 objects.
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
  type MetricDataResult,
  PutMetricAlarmCommand,
} from "@aws-sdk/client-cloudwatch";
import { paginateListObjectsV2, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import {
  DescribeEndpointCommand,
  UpdateEndpointWeightsAndCapacitiesCommand,
} from "@aws-sdk/client-sagemaker";
import {
  InvokeEndpointAsyncCommand,
  type SageMakerRuntimeClient,
} from "@aws-sdk/client-sagemaker-runtime";
import { ACTIVITY_POLL_MS } from "../../emulator/autoscaling/backend.ts";
import type { ManualEmulatorClock } from "../../emulator/clock.ts";
import { DEFAULT_TIMINGS } from "../../emulator/core.ts";
import { createClients } from "../../lib/clients.ts";
import { invokeAsync } from "../../lib/invoke.ts";
import { enableScaleToZero } from "../../lib/scale_to_zero.ts";
import { waitForResult } from "../../lib/wait_for_result.ts";
import { type ContractEnv, startContractEnv } from "./_harness.ts";
import { deployEndpoint, ensureBucket, FAILURE_PATH, OUTPUT_PATH, readS3 } from "./_sagemaker.ts";

const ENDPOINT = "falcon-40b-async";
const RESOURCE_ID = `endpoint/${ENDPOINT}/variant/AllTraffic`;
const DIMENSION = "sagemaker:variant:DesiredInstanceCount";
const SECOND = 1_000;
const MINUTE = 60_000;
/** One inference takes this long: long enough for a backlog to build up. */
const INFERENCE_MS = 2 * MINUTE;
/** The cold start of one instance. */
const LAUNCH_MS = DEFAULT_TIMINGS.instanceLaunchMs;
/**
 * The `HasBacklogWithoutCapacity` alarm's window: two one-minute data points,
 * the first of them possibly partial, so at most three minutes.
 */
const WAKE_WINDOW_MS = 3 * MINUTE;
/** Target tracking's low alarm: 15 one-minute data points below 0.9 × target. */
const LOW_ALARM_WINDOW_MS = 15 * MINUTE;
/** The walkthrough's `ScaleInCooldown` (600 s), also lib's default. */
const SCALE_IN_COOLDOWN_MS = 10 * MINUTE;
/** S3 reports `LastModified` in whole seconds. */
const S3_TIME_GRAIN_MS = SECOND;

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
        ScaleInCooldown: SCALE_IN_COOLDOWN_MS / SECOND,
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

/** A request as the caller saw it. */
interface Sent {
  readonly id: string;
  readonly outputLocation: string;
  readonly failureLocation: string;
  /** Emulated time it was accepted. */
  readonly at: number;
}

let inputCounter = 0;

/** Uploads a prompt to S3 and invokes the endpoint asynchronously with its location. */
async function invoke(
  env: Env,
  clients: { s3: S3Client; runtime: SageMakerRuntimeClient } = env.clients,
): Promise<Sent> {
  await ensureBucket(clients.s3, "inputs");
  const key = `prompts/${++inputCounter}.json`;
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: "inputs",
      Key: key,
      Body: JSON.stringify({ inputs: "Why scale to zero?", parameters: { max_new_tokens: 10 } }),
      ContentType: "application/json",
    }),
  );
  const result = await clients.runtime.send(
    new InvokeEndpointAsyncCommand({
      EndpointName: ENDPOINT,
      InputLocation: `s3://inputs/${key}`,
      ContentType: "application/json",
    }),
  );
  return {
    id: result.InferenceId!,
    outputLocation: result.OutputLocation!,
    failureLocation: result.FailureLocation!,
    at: env.clock.now(),
  };
}

/** Result objects in S3: outputs and failure objects by inference id, with their times. */
interface Results {
  readonly outputs: Map<string, number>;
  readonly failures: Map<string, number>;
}

async function results(env: Env): Promise<Results> {
  const found: Results = { outputs: new Map(), failures: new Map() };
  for await (
    const page of paginateListObjectsV2({ client: env.clients.s3 }, { Bucket: "results" })
  ) {
    for (const object of page.Contents ?? []) {
      const output = /^out\/(.+)\.out$/.exec(object.Key!);
      const failure = /^fail\/(.+)-error\.out$/.exec(object.Key!);
      const at = object.LastModified!.getTime();
      if (output) found.outputs.set(output[1]!, at);
      else if (failure) found.failures.set(failure[1]!, at);
      else assert.fail(`Unexpected result object ${object.Key}`);
    }
  }
  return found;
}

/** Activities, oldest first. */
async function activities(env: Env): Promise<ScalingActivity[]> {
  const { ScalingActivities } = await env.clients.autoscaling.send(
    new DescribeScalingActivitiesCommand({
      ServiceNamespace: "sagemaker",
      ResourceId: RESOURCE_ID,
      ScalableDimension: DIMENSION,
    }),
  );
  return (ScalingActivities ?? []).reverse();
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

/** One-minute series of `AWS/SageMaker` metrics of the endpoint, oldest first. */
async function series(
  env: Env,
  options: { names: string[]; stat: string; from: number; variant?: boolean },
): Promise<MetricDataResult[]> {
  const dimensions = [{ Name: "EndpointName", Value: ENDPOINT }];
  if (options.variant) dimensions.push({ Name: "VariantName", Value: "AllTraffic" });
  const { MetricDataResults } = await env.clients.cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(options.from),
      EndTime: new Date(env.clock.now()),
      ScanBy: "TimestampAscending",
      MetricDataQueries: options.names.map((name, i) => ({
        Id: `m${i}`,
        MetricStat: {
          Metric: { Namespace: "AWS/SageMaker", MetricName: name, Dimensions: dimensions },
          Period: 60,
          Stat: options.stat,
        },
      })),
    }),
  );
  return MetricDataResults!;
}

const sum = (result: MetricDataResult) => (result.Values ?? []).reduce((a, b) => a + b, 0);

/** The value of a series at `t`, or `undefined` without a data point. */
function valueAt(result: MetricDataResult, t: number): number | undefined {
  const i = result.Timestamps!.findIndex((x) => x.getTime() === t);
  return i === -1 ? undefined : result.Values![i];
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
  assert.ok(toDesired <= WAKE_WINDOW_MS, `wake-up decided after ${toDesired / MINUTE} minutes`);
  const [first] = await activities(env);
  assert.equal(first?.Description, "Setting desired instance count to 1.");
  assert.equal(
    first?.Cause,
    `monitor alarm ${ENDPOINT}-HasBacklogWithoutCapacity in state ALARM triggered policy ` +
      "HasBacklogWithoutCapacity-ScalingPolicy",
  );
  assert.equal(first?.StatusCode, "InProgress");
});

Deno.test("with the step policy, one request wakes a zero endpoint and completes within the alarm's window plus the launch time", async () => {
  await using env = await startEnv();
  await deployAtZero(env);
  await enableTargetTracking(env, 5);
  await enableWakeUp(env);
  // Mid-minute, so the alarm's first data point is a partial one.
  await env.clock.advance(20 * SECOND);
  const sent = await invoke(env);
  await advanceUntil(env, async () => (await results(env)).outputs.size > 0, 30 * MINUTE);

  const { outputs, failures } = await results(env);
  assert.deepEqual([...outputs.keys()], [sent.id]);
  assert.equal(failures.size, 0);
  const answer = await readS3(env.clients.s3, sent.outputLocation);
  assert.equal(answer?.contentType, "application/json");
  assert.ok(JSON.parse(answer!.text)[0].generated_text, answer!.text);

  const story = await activities(env);
  assert.equal(story.length, 1);
  const [wake] = story;
  assert.equal(wake?.Description, "Setting desired instance count to 1.");
  assert.equal(
    wake?.Cause,
    `monitor alarm ${ENDPOINT}-HasBacklogWithoutCapacity in state ALARM triggered policy ` +
      "HasBacklogWithoutCapacity-ScalingPolicy",
  );
  assert.equal(wake?.StatusCode, "Successful");
  assert.equal(
    wake?.StatusMessage,
    "Successfully set desired instance count to 1. Change successfully fulfilled by sagemaker.",
  );
  // Decided within the alarm's window (two data points, so more than one minute).
  const decided = wake!.StartTime!.getTime() - sent.at;
  assert.ok(decided > MINUTE && decided <= WAKE_WINDOW_MS, `decided after ${decided} ms`);
  // The instance was in service after the launch time (seen by a 10 s activity poll).
  const launched = wake!.EndTime!.getTime() - wake!.StartTime!.getTime();
  assert.ok(launched >= LAUNCH_MS && launched <= LAUNCH_MS + ACTIVITY_POLL_MS, `${launched} ms`);
  // The request started as the instance came up (its TimeInBacklog, published once the
  // minute it finished in is over).
  await env.clock.advance(MINUTE);
  const [backlog] = await series(env, {
    names: ["TimeInBacklog"],
    stat: "Maximum",
    from: sent.at - MINUTE,
    variant: true,
  });
  assert.deepEqual(backlog!.Values, [decided + LAUNCH_MS]);
  const finished = outputs.get(sent.id)! - sent.at;
  assert.ok(
    finished >= decided + LAUNCH_MS + INFERENCE_MS - S3_TIME_GRAIN_MS &&
      finished <= WAKE_WINDOW_MS + LAUNCH_MS + INFERENCE_MS,
    `finished ${finished} ms after it was sent`,
  );
});

Deno.test("a burst scales out to MaxCapacity and back to zero; busy instances drain at scale-in, and no request is lost or run twice", async () => {
  await using env = await startEnv();
  await deployAtZero(env);
  await enableTargetTracking(env, 5);
  await enableWakeUp(env);
  const start = env.clock.now();
  const sent: Sent[] = [];
  for (let i = 0; i < 40; i++) sent.push(await invoke(env));
  let maxDesired = 0;
  let maxCurrent = 0;
  /** What DescribeEndpoint said when the first scale-in was seen, and how many were done. */
  let scaleIn:
    | { status: string; activity?: string; desired: number; current: number; done: number }
    | undefined;
  await advanceUntil(env, async () => {
    const { EndpointStatus, ProductionVariants } = await env.clients.sagemaker.send(
      new DescribeEndpointCommand({ EndpointName: ENDPOINT }),
    );
    const desired = ProductionVariants![0]!.DesiredInstanceCount!;
    const current = ProductionVariants![0]!.CurrentInstanceCount!;
    maxDesired = Math.max(maxDesired, desired);
    maxCurrent = Math.max(maxCurrent, current);
    const { outputs, failures } = await results(env);
    const done = outputs.size + failures.size;
    if (maxDesired === 5 && desired < 5 && !scaleIn) {
      const activity = (await activities(env)).at(-1)?.StatusCode;
      scaleIn = { status: EndpointStatus!, activity, desired, current, done };
    }
    // As the burst drains, a tail of two requests a minute keeps several instances busy
    // until target tracking scales in.
    if (done >= 30 && !scaleIn) sent.push(await invoke(env), await invoke(env));
    return scaleIn !== undefined && done === sent.length && desired === 0 && current === 0;
  }, 3 * 60 * MINUTE);
  assert.equal(maxDesired, 5);
  assert.equal(maxCurrent, 5);
  // The scale-in came while requests were still running: the endpoint was `Updating` with
  // nothing launching (desired = current), so busy instances were draining.
  assert.ok(scaleIn && scaleIn.desired > 0, JSON.stringify(scaleIn));
  // ...and the scale-in activity stays InProgress until they have, as AWS reports it.
  assert.deepEqual(
    { status: scaleIn.status, activity: scaleIn.activity, current: scaleIn.current },
    { status: "Updating", activity: "InProgress", current: scaleIn.desired },
  );
  assert.ok(scaleIn.done < sent.length, JSON.stringify(scaleIn));

  // Every request has exactly one result object, an output (checked again below, once any
  // second run would have finished too)...
  const { outputs, failures } = await results(env);
  assert.equal(failures.size, 0);
  assert.deepEqual([...outputs.keys()].sort(), sent.map((s) => s.id).sort());
  // Back at zero within the scale-in cooldown and the low alarm's window (plus a minute of
  // period alignment) of the last request finishing; the last step waited out the cooldown.
  const story = await activities(env);
  const scaled = story.filter((a) => a.StatusCode === "Successful");
  assert.deepEqual(
    scaled.map((a) => a.Description),
    [1, 5, scaleIn.desired, 0].map((n) => `Setting desired instance count to ${n}.`),
  );
  const [, , firstIn, toZero] = scaled;
  assert.ok(
    toZero!.StartTime!.getTime() >= firstIn!.EndTime!.getTime() + SCALE_IN_COOLDOWN_MS,
    `${firstIn!.EndTime} -> ${toZero!.StartTime}`,
  );
  const lastFinish = Math.max(...outputs.values());
  const back = toZero!.EndTime!.getTime() - lastFinish;
  assert.ok(
    back <= LOW_ALARM_WINDOW_MS + SCALE_IN_COOLDOWN_MS + MINUTE + S3_TIME_GRAIN_MS,
    `back at zero ${back / MINUTE} minutes after the last request finished`,
  );
  // It stays at zero.
  await env.clock.advance(60 * MINUTE);
  assert.deepEqual(await capacity(env), { desired: 0, current: 0 });
  assert.equal((await activities(env)).length, story.length);
  // ...and each ran exactly once: a second run would be counted again.
  assert.deepEqual(await results(env), { outputs, failures });
  const [processed, failed, expired] = await series(env, {
    names: ["InvocationsProcesssed", "InvocationFailures", "ExpiredRequests"],
    stat: "Sum",
    from: start,
    variant: true,
  });
  assert.equal(sum(processed!), sent.length);
  assert.equal(sum(failed!), 0);
  assert.equal(sum(expired!), 0);
});

Deno.test("DescribeScalingActivities tells the story of a burst and GetMetricData returns the series that drove it", async () => {
  await using env = await startEnv();
  await deployAtZero(env);
  await enableTargetTracking(env, 5);
  await enableWakeUp(env);
  const start = env.clock.now();
  const sent: Sent[] = [];
  for (let i = 0; i < 40; i++) sent.push(await invoke(env));
  await advanceUntil(env, async () => (await results(env)).outputs.size === 40, 3 * 60 * MINUTE);
  await advanceUntil(env, async () => (await capacity(env)).current === 0, 60 * MINUTE);
  const story = await activities(env);
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
  for (const a of done) {
    assert.ok(a.EndTime! >= a.StartTime!);
    assert.match(a.StatusMessage!, /^Successfully set desired instance count to \d\. Change/);
  }
  // While the first instance launched, SageMaker refused further changes, as on AWS.
  const refused = story.filter((a) => a.StatusCode === "Failed");
  assert.ok(refused.length > 0, "the high alarm fired while the first instance launched");
  for (const failed of refused) {
    assert.match(
      failed.StatusMessage!,
      /^Failed to set desired instance count to 5\. Reason: Cannot update in-progress endpoint/,
    );
    assert.ok(failed.StartTime! > done[0]!.StartTime! && failed.StartTime! < done[0]!.EndTime!);
  }
  assert.equal(story.length, done.length + refused.length);

  const [hasBacklog, backlog, perInstance] = await series(env, {
    names: [
      "HasBacklogWithoutCapacity",
      "ApproximateBacklogSize",
      "ApproximateBacklogSizePerInstance",
    ],
    stat: "Maximum",
    from: start,
  });
  // The two data points before the wake-up were 1 (the alarm's threshold).
  const wake = done[0]!.StartTime!.getTime();
  assert.equal(valueAt(hasBacklog!, wake - MINUTE), 1);
  assert.equal(valueAt(hasBacklog!, wake - 2 * MINUTE), 1);
  // Once an instance was in service it was 0 for good.
  const up = done[0]!.EndTime!.getTime();
  const later = hasBacklog!.Timestamps!.flatMap((t, i) =>
    t.getTime() >= up ? [hasBacklog!.Values![i]] : []
  );
  assert.ok(later.length > 0 && later.every((v) => v === 0), `${later}`);
  // The per-instance backlog was above the target value (5) for the high alarm's three
  // data points before the scale-out to 5.
  const out = done[1]!.StartTime!.getTime();
  for (let i = 1; i <= 3; i++) assert.ok(valueAt(perInstance!, out - i * MINUTE)! > 5);
  // The backlog started at 40 and drained to 0 before the scale-in, which followed 15 data
  // points of a per-instance backlog below 4.5.
  assert.equal(valueAt(backlog!, start), 40);
  assert.ok(backlog!.Values!.every((v, i, all) => i === 0 || v <= all[i - 1]!));
  const scaleIn = done[2]!.StartTime!.getTime();
  assert.equal(valueAt(backlog!, scaleIn - MINUTE), 0);
  for (let i = 1; i <= 15; i++) assert.ok(valueAt(perInstance!, scaleIn - i * MINUTE)! < 4.5);
});

Deno.test("lib's enableScaleToZero() sets up exactly this behaviour: wake for one request, then back to zero", async () => {
  await using env = await startEnv();
  await deployAtZero(env);
  using clients = createClients({
    region: env.emulator.region,
    endpoint: env.emulator.endpoint,
    credentials: env.emulator.credentials,
  });
  const { alarmName, targetTrackingAlarmNames } = await enableScaleToZero({
    clients,
    endpointName: ENDPOINT,
    maxCapacity: 2,
    clock: env.clock,
  });
  assert.equal(targetTrackingAlarmNames.length, 2);
  await ensureBucket(clients.s3, "inputs");
  const invocation = await invokeAsync({
    clients,
    endpointName: ENDPOINT,
    inputPrefix: "s3://inputs/lib",
    data: { inputs: "Why scale to zero?", parameters: { max_new_tokens: 10 } },
    clock: env.clock,
  });
  const result = await env.clock.run(
    waitForResult(invocation, { clients, clock: env.clock, timeoutMs: 30 * MINUTE }),
    { maxMs: 30 * MINUTE },
  );
  assert.equal(result.inferenceId, invocation.inferenceId);
  const { outputs, failures } = await results(env);
  assert.deepEqual([...outputs.keys()], [invocation.inferenceId]);
  assert.equal(failures.size, 0);
  const finished = outputs.get(invocation.inferenceId)!;
  assert.ok(finished - invocation.submittedAt <= WAKE_WINDOW_MS + LAUNCH_MS + INFERENCE_MS);

  await advanceUntil(env, async () => {
    const now = await capacity(env);
    return now.desired === 0 && now.current === 0;
  }, 40 * MINUTE);
  assert.deepEqual(await capacity(env), { desired: 0, current: 0 });
  const back = env.clock.now() - finished;
  assert.ok(back <= LOW_ALARM_WINDOW_MS + MINUTE + S3_TIME_GRAIN_MS, `${back / MINUTE} minutes`);
  const story = await activities(env);
  assert.deepEqual(story.map((a) => [a.Description, a.StatusCode]), [
    ["Setting desired instance count to 1.", "Successful"],
    ["Setting desired instance count to 0.", "Successful"],
  ]);
  assert.equal(
    story[0]!.Cause,
    `monitor alarm ${alarmName} in state ALARM triggered policy ` +
      "HasBacklogWithoutCapacity-ScalingPolicy",
  );
  const low = targetTrackingAlarmNames.find((n) => n.includes("-AlarmLow-"));
  assert.equal(
    story[1]!.Cause,
    `monitor alarm ${low} in state ALARM triggered policy ` +
      "ApproximateBacklogSizePerInstance-ScalingPolicy",
  );
  // It stays at zero, and the request ran once.
  await env.clock.advance(60 * MINUTE);
  assert.deepEqual(await capacity(env), { desired: 0, current: 0 });
  assert.equal((await activities(env)).length, 2);
  const [processed] = await series(env, {
    names: ["InvocationsProcesssed"],
    stat: "Sum",
    from: invocation.submittedAt - MINUTE,
    variant: true,
  });
  assert.equal(sum(processed!), 1);
});
