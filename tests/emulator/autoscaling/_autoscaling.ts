/**
 * In-process helpers for Application Auto Scaling unit tests: an emulator
 * with the fake SageMaker, CloudWatch and Application Auto Scaling on a
 * manual clock, and JSON 1.1 calls through `emulator.fetch`.
 *
 * @module
 */
import { ApplicationAutoScaling } from "../../../emulator/autoscaling/backend.ts";
import { createAutoScalingService } from "../../../emulator/autoscaling/service.ts";
import { ManualEmulatorClock } from "../../../emulator/clock.ts";
import type { CloudWatch } from "../../../emulator/cloudwatch/backend.ts";
import { createCloudWatchService } from "../../../emulator/cloudwatch/service.ts";
import type { Persistence } from "../../../emulator/context.ts";
import { createEmulator, type Emulator } from "../../../emulator/core.ts";
import { FakeSageMaker } from "./_fake_sagemaker.ts";

/** 2026-04-12 10:00:00 UTC. */
export const T0 = Date.UTC(2026, 3, 12, 10, 0);
/** One minute, ms. */
export const MINUTE = 60_000;
/** The scalable target of endpoint `e1`. */
export const TARGET = {
  ServiceNamespace: "sagemaker",
  ResourceId: "endpoint/e1/variant/AllTraffic",
  ScalableDimension: "sagemaker:variant:DesiredInstanceCount",
};

/** A parsed JSON reply. */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  // deno-lint-ignore no-explicit-any
  readonly body: any;
}

/** The environment of one test. */
export interface AutoScalingTestEnv extends AsyncDisposable {
  readonly emulator: Emulator;
  readonly clock: ManualEmulatorClock;
  readonly fake: FakeSageMaker;
  readonly aas: ApplicationAutoScaling;
  readonly cloudwatch: CloudWatch;
  call(operation: string, body: unknown): Promise<Reply>;
  /** Like `call`, but fails the test unless the reply is 200; returns the body. */
  ok(operation: string, body: unknown): Promise<Reply["body"]>;
}

/** Starts the services; `setup` creates fake endpoints first (default: async `e1`, 1 instance). */
export async function startAutoScaling(
  setup: (fake: FakeSageMaker) => void = (fake) => fake.createEndpoint("e1"),
  options: { launchMs?: number; inferenceMs?: number; persistence?: Persistence; start?: number } =
    {},
): Promise<AutoScalingTestEnv> {
  const clock = new ManualEmulatorClock({ start: options.start ?? T0 });
  const fake = new FakeSageMaker({
    clock,
    launchMs: options.launchMs,
    inferenceMs: options.inferenceMs,
  });
  setup(fake);
  const emulator = await createEmulator({
    auth: false,
    clock,
    persistence: options.persistence,
    services: [fake.factory(), createCloudWatchService, createAutoScalingService],
  });
  const call = async (operation: string, body: unknown): Promise<Reply> => {
    const response = await emulator.fetch(
      new Request("http://127.0.0.1/", {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": `AnyScaleFrontendService.${operation}`,
        },
        body: JSON.stringify(body),
      }),
    );
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
    };
  };
  return {
    emulator,
    clock,
    fake,
    aas: emulator.context.autoscaling as ApplicationAutoScaling,
    cloudwatch: emulator.context.cloudwatch as CloudWatch,
    call,
    async ok(operation, body) {
      const reply = await call(operation, body);
      if (reply.status !== 200) {
        throw new Error(`${operation} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
      }
      return reply.body;
    },
    async [Symbol.asyncDispose]() {
      await emulator.close();
    },
  };
}

/** Registers `TARGET` with the given limits. */
export async function register(env: AutoScalingTestEnv, min: number, max: number): Promise<void> {
  await env.ok("RegisterScalableTarget", { ...TARGET, MinCapacity: min, MaxCapacity: max });
}

/** Puts the documented target tracking policy on backlog per instance. */
export async function putTargetTracking(
  env: AutoScalingTestEnv,
  config: Record<string, unknown> = {},
): Promise<{ PolicyARN: string; Alarms: Array<{ AlarmName: string; AlarmARN: string }> }> {
  return await env.ok("PutScalingPolicy", {
    ...TARGET,
    PolicyName: "tt",
    PolicyType: "TargetTrackingScaling",
    TargetTrackingScalingPolicyConfiguration: {
      TargetValue: 5,
      CustomizedMetricSpecification: {
        MetricName: "ApproximateBacklogSizePerInstance",
        Namespace: "AWS/SageMaker",
        Dimensions: [{ Name: "EndpointName", Value: "e1" }],
        Statistic: "Average",
      },
      ScaleInCooldown: 600,
      ScaleOutCooldown: 300,
      ...config,
    },
  });
}

/** Puts a step policy with the given configuration. */
export async function putStep(
  env: AutoScalingTestEnv,
  name: string,
  config: Record<string, unknown>,
): Promise<string> {
  const { PolicyARN } = await env.ok("PutScalingPolicy", {
    ...TARGET,
    PolicyName: name,
    PolicyType: "StepScaling",
    StepScalingPolicyConfiguration: config,
  });
  return PolicyARN;
}

/** A step configuration that adds one instance whenever its alarm fires. */
export const ADD_ONE_INSTANCE = {
  AdjustmentType: "ChangeInCapacity",
  StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
};

/**
 * Puts an alarm of the user's own (not target tracking's) on `e1`'s
 * `HasBacklogWithoutCapacity` that runs `policyArn`.
 */
export function putUserAlarm(
  env: AutoScalingTestEnv,
  alarm: { name: string; policyArn: string },
): void {
  env.cloudwatch.putMetricAlarm({
    AlarmName: alarm.name,
    MetricName: "HasBacklogWithoutCapacity",
    Namespace: "AWS/SageMaker",
    Statistic: "Average",
    Period: 60,
    EvaluationPeriods: 2,
    Threshold: 1,
    ComparisonOperator: "GreaterThanOrEqualToThreshold",
    AlarmActions: [alarm.policyArn],
  });
}

/** The fake endpoint's capacity. */
export function capacity(env: AutoScalingTestEnv, endpoint = "e1"): [number, number] {
  const [v] = env.fake.variants(endpoint);
  return [v!.desiredInstanceCount, v!.currentInstanceCount];
}
