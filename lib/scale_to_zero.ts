/**
 * Scale an asynchronous endpoint to zero instances when idle, and back up
 * when requests arrive, as the SageMaker developer guide sets it up:
 * a scalable target with `MinCapacity` 0, a target-tracking policy on
 * `ApproximateBacklogSizePerInstance`, and a step-scaling policy driven by a
 * CloudWatch alarm on `HasBacklogWithoutCapacity` that wakes the endpoint
 * from zero.
 *
 * @module
 */
import {
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  PutScalingPolicyCommand,
  type PutScalingPolicyCommandInput,
  RegisterScalableTargetCommand,
  type ScalableTarget,
  type ScalingPolicy,
} from "@aws-sdk/client-application-auto-scaling";
import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  type MetricAlarm,
  PutMetricAlarmCommand,
} from "@aws-sdk/client-cloudwatch";
import { DescribeEndpointCommand } from "@aws-sdk/client-sagemaker";
import type { AwsClients } from "./clients.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { RemovalResult, ResourceRef } from "./deployment.ts";
import { emitProgress, type ProgressCallback } from "./progress.ts";
import { MANAGED_TAG_KEY } from "./tags.ts";
import {
  assertCapacityRange,
  assertIntegerInRange,
  assertNumberInRange,
  assertSageMakerName,
} from "./validation.ts";

/** `ServiceNamespace` of SageMaker scalable targets. */
export const SAGEMAKER_SERVICE_NAMESPACE = "sagemaker";
/** `ScalableDimension` of an endpoint variant's instance count. */
export const VARIANT_INSTANCE_COUNT_DIMENSION = "sagemaker:variant:DesiredInstanceCount";
/** Default production variant name, as the SageMaker Python SDK names it. */
export const DEFAULT_VARIANT_NAME = "AllTraffic";

/** Names of the scale-to-zero resources of one endpoint variant. */
export interface ScaleToZeroNames {
  /** `endpoint/<endpoint>/variant/<variant>`. */
  readonly resourceId: string;
  /** Target-tracking policy on `ApproximateBacklogSizePerInstance`. */
  readonly targetTrackingPolicyName: string;
  /** Step-scaling policy that wakes the endpoint (`HasBacklogWithoutCapacity-ScalingPolicy`). */
  readonly stepPolicyName: string;
  /** CloudWatch alarm on `HasBacklogWithoutCapacity`, unique in the region. */
  readonly alarmName: string;
}

/**
 * The names {@linkcode enableScaleToZero} uses for an endpoint variant.
 *
 * @example
 * ```ts
 * import { scaleToZeroNames } from "@sagemaker-async/toolkit";
 *
 * const names = scaleToZeroNames({ endpointName: "falcon" });
 * if (names.resourceId !== "endpoint/falcon/variant/AllTraffic") throw new Error();
 * if (names.stepPolicyName !== "HasBacklogWithoutCapacity-ScalingPolicy") throw new Error();
 * ```
 */
export function scaleToZeroNames(
  options: { endpointName: string; variantName?: string },
): ScaleToZeroNames {
  const variantName = options.variantName ?? DEFAULT_VARIANT_NAME;
  return {
    resourceId: `endpoint/${options.endpointName}/variant/${variantName}`,
    targetTrackingPolicyName: "ApproximateBacklogSizePerInstance-ScalingPolicy",
    stepPolicyName: "HasBacklogWithoutCapacity-ScalingPolicy",
    alarmName: `${options.endpointName}-${variantName}-HasBacklogWithoutCapacity`,
  };
}

/** Options for {@linkcode enableScaleToZero}. */
export interface EnableScaleToZeroOptions {
  /** Auto Scaling and CloudWatch clients. */
  clients: Pick<AwsClients, "autoscaling" | "cloudwatch">;
  /** The endpoint. */
  endpointName: string;
  /** The variant; default `AllTraffic`. */
  variantName?: string;
  /** Most instances (`MaxCapacity`); default 1. `MinCapacity` is 0. */
  maxCapacity?: number;
  /** Target backlog per instance; default 5.0. */
  targetValue?: number;
  /** Seconds between scale-in steps; default 600. */
  scaleInCooldownSeconds?: number;
  /** Seconds between scale-out steps; default 300. */
  scaleOutCooldownSeconds?: number;
  /**
   * Add the step policy and alarm on `HasBacklogWithoutCapacity` that wake
   * the endpoint from zero instances; default true. Without them it scales
   * out from zero only once the backlog exceeds the target value.
   */
  wakeFromZero?: boolean;
  /** Tags for the alarm (e.g. the deployment's); default `sagemaker-async:managed=true`. */
  tags?: Readonly<Record<string, string>>;
  /** Override resource names (see {@linkcode scaleToZeroNames}). */
  names?: Partial<Omit<ScaleToZeroNames, "resourceId">>;
  /** Time source for event timestamps; default the system clock. */
  clock?: Clock;
  /** Cancels the calls. */
  signal?: AbortSignal;
  /** Receives a `resource-created` event per resource. */
  onProgress?: ProgressCallback;
}

/** What {@linkcode enableScaleToZero} set up. */
export interface EnableScaleToZeroResult {
  /** Names used. */
  readonly names: ScaleToZeroNames;
  /** ARN of the target-tracking policy. */
  readonly targetTrackingPolicyArn: string;
  /** Alarms Application Auto Scaling made for the target-tracking policy. */
  readonly targetTrackingAlarmNames: readonly string[];
  /** ARN of the wake-from-zero step policy, if added. */
  readonly stepPolicyArn?: string;
  /** Name of the wake-from-zero alarm, if added. */
  readonly alarmName?: string;
  /** Resources that did not exist before. */
  readonly created: readonly ResourceRef[];
  /** Resources that existed and were updated in place. */
  readonly updated: readonly ResourceRef[];
}

/**
 * Registers the variant as a scalable target (min 0, max `maxCapacity`),
 * puts the target-tracking policy on `ApproximateBacklogSizePerInstance`
 * and, unless `wakeFromZero` is false, the `HasBacklogWithoutCapacity` step
 * policy and its CloudWatch alarm, with the parameters of the SageMaker
 * developer guide. Validates everything before the first call. If a step
 * fails, resources this call created are removed again (a target that
 * existed gets its old capacities back; policies and an alarm that existed
 * stay as updated) and the original error is rethrown.
 *
 * @example Against fake clients
 * ```ts
 * import {
 *   ApplicationAutoScalingClient,
 *   PutScalingPolicyCommand,
 * } from "@aws-sdk/client-application-auto-scaling";
 * import { CloudWatchClient, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
 * import { mockClient } from "aws-sdk-client-mock";
 * import { enableScaleToZero } from "@sagemaker-async/toolkit";
 *
 * const autoscaling = new ApplicationAutoScalingClient({ region: "us-east-1" });
 * mockClient(autoscaling).resolves({}).on(PutScalingPolicyCommand).resolves({ PolicyARN: "arn:p" });
 * const cloudwatch = new CloudWatchClient({ region: "us-east-1" });
 * const alarms = mockClient(cloudwatch).resolves({});
 *
 * const result = await enableScaleToZero({
 *   clients: { autoscaling, cloudwatch },
 *   endpointName: "falcon",
 *   maxCapacity: 1,
 * });
 * const alarm = alarms.commandCalls(PutMetricAlarmCommand)[0]!.args[0].input;
 * if (alarm.MetricName !== "HasBacklogWithoutCapacity") throw new Error("wrong metric");
 * if (result.created.length !== 4) throw new Error("expected target, 2 policies and an alarm");
 * ```
 */
export async function enableScaleToZero(
  options: EnableScaleToZeroOptions,
): Promise<EnableScaleToZeroResult> {
  const { clients, endpointName, signal, onProgress } = options;
  const { names, target } = variantTarget(options);
  const maxCapacity = options.maxCapacity ?? 1;
  const targetValue = options.targetValue ?? 5.0;
  const scaleInCooldown = options.scaleInCooldownSeconds ?? 600;
  const scaleOutCooldown = options.scaleOutCooldownSeconds ?? 300;
  const wakeFromZero = options.wakeFromZero ?? true;
  const clock = options.clock ?? systemClock;
  assertCapacityRange(0, maxCapacity);
  assertNumberInRange(targetValue, "targetValue", { min: Number.MIN_VALUE, max: 1e9 });
  assertIntegerInRange(scaleInCooldown, "scaleInCooldownSeconds", { min: 0, max: 86_400 });
  assertIntegerInRange(scaleOutCooldown, "scaleOutCooldownSeconds", { min: 0, max: 86_400 });
  const tags = Object.entries(options.tags ?? { [MANAGED_TAG_KEY]: "true" }).map((
    [Key, Value],
  ) => ({ Key, Value }));
  signal?.throwIfAborted();

  const start = clock.now();
  const send = { abortSignal: signal };

  // What exists already, so a failure undoes only what this call created.
  const [existing, alarms] = await Promise.all([
    describeScaling(clients, { names, target }, signal),
    clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [names.alarmName] }), send),
  ]);
  const previousTarget = existing.scalableTarget;
  const existingPolicies = new Set(existing.policies.map((p) => p.PolicyName));
  const alarmExisted = (alarms.MetricAlarms ?? []).some((a) => a.AlarmName === names.alarmName);

  const created: ResourceRef[] = [];
  const updated: ResourceRef[] = [];
  const undo: (() => Promise<unknown>)[] = [];
  const record = (ref: ResourceRef, existed: boolean, arn?: string) => {
    (existed ? updated : created).push(ref);
    emitProgress(onProgress, {
      type: "resource-created",
      resource: ref.type,
      name: ref.name,
      ...(arn !== undefined && { arn }),
      elapsedMs: clock.now() - start,
      message: `${existed ? "Updated" : "Created"} ${ref.type} ${ref.name}`,
    });
  };

  try {
    await clients.autoscaling.send(
      new RegisterScalableTargetCommand({ ...target, MinCapacity: 0, MaxCapacity: maxCapacity }),
      send,
    );
    undo.push(() =>
      previousTarget
        ? clients.autoscaling.send(
          new RegisterScalableTargetCommand({
            ...target,
            MinCapacity: previousTarget.MinCapacity,
            MaxCapacity: previousTarget.MaxCapacity,
          }),
        )
        : clients.autoscaling.send(new DeregisterScalableTargetCommand(target))
    );
    record({ type: "scalable-target", name: names.resourceId }, previousTarget !== undefined);

    /** Puts a policy; undoes it on failure only if this call created it. */
    const putPolicy = async (
      input: Omit<PutScalingPolicyCommandInput, keyof typeof target> & { PolicyName: string },
    ) => {
      const policyName = input.PolicyName;
      const put = await clients.autoscaling.send(
        new PutScalingPolicyCommand({ ...target, ...input }),
        send,
      );
      const existed = existingPolicies.has(policyName);
      if (!existed) {
        undo.push(() =>
          clients.autoscaling.send(
            new DeleteScalingPolicyCommand({ ...target, PolicyName: policyName }),
          )
        );
      }
      record({ type: "scaling-policy", name: policyName }, existed, put.PolicyARN);
      if (!put.PolicyARN) {
        throw new Error(`PutScalingPolicy returned no PolicyARN for ${policyName}`);
      }
      return { arn: put.PolicyARN, alarms: put.Alarms ?? [] };
    };

    const tracking = await putPolicy({
      PolicyName: names.targetTrackingPolicyName,
      PolicyType: "TargetTrackingScaling",
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: targetValue,
        CustomizedMetricSpecification: {
          MetricName: "ApproximateBacklogSizePerInstance",
          Namespace: "AWS/SageMaker",
          Dimensions: [{ Name: "EndpointName", Value: endpointName }],
          Statistic: "Average",
        },
        ScaleInCooldown: scaleInCooldown,
        ScaleOutCooldown: scaleOutCooldown,
      },
    });

    let stepPolicyArn: string | undefined;
    if (wakeFromZero) {
      stepPolicyArn = (await putPolicy({
        PolicyName: names.stepPolicyName,
        PolicyType: "StepScaling",
        StepScalingPolicyConfiguration: {
          AdjustmentType: "ChangeInCapacity",
          MetricAggregationType: "Average",
          Cooldown: 300,
          StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
        },
      })).arn;

      await clients.cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: names.alarmName,
          AlarmDescription:
            `Wakes SageMaker endpoint ${endpointName} from zero instances when requests queue up`,
          MetricName: "HasBacklogWithoutCapacity",
          Namespace: "AWS/SageMaker",
          Statistic: "Average",
          Dimensions: [{ Name: "EndpointName", Value: endpointName }],
          Period: 60,
          EvaluationPeriods: 2,
          DatapointsToAlarm: 2,
          Threshold: 1,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
          TreatMissingData: "missing",
          AlarmActions: [stepPolicyArn],
          Tags: tags,
        }),
        send,
      );
      if (!alarmExisted) {
        undo.push(() =>
          clients.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [names.alarmName] }))
        );
      }
      record({ type: "alarm", name: names.alarmName }, alarmExisted);
    }

    return {
      names,
      targetTrackingPolicyArn: tracking.arn,
      targetTrackingAlarmNames: tracking.alarms.flatMap((a) => a.AlarmName ? [a.AlarmName] : []),
      ...(stepPolicyArn !== undefined && { stepPolicyArn, alarmName: names.alarmName }),
      created,
      updated,
    };
  } catch (error) {
    const failures: unknown[] = [];
    for (const step of undo.reverse()) {
      try {
        await step();
      } catch (undoError) {
        failures.push(undoError);
      }
    }
    const original = signal?.aborted ? signal.reason : error;
    if (failures.length > 0) {
      throw new AggregateError(
        [original, ...failures],
        `enableScaleToZero() failed for ${names.resourceId} and could not undo every step; ` +
          "run disableScaleToZero() to remove what is left",
        { cause: original },
      );
    }
    throw original;
  }
}

/** Options for {@linkcode disableScaleToZero}. */
export interface DisableScaleToZeroOptions {
  /** Auto Scaling and CloudWatch clients. */
  clients: Pick<AwsClients, "autoscaling" | "cloudwatch">;
  /** The endpoint. */
  endpointName: string;
  /** The variant; default `AllTraffic`. */
  variantName?: string;
  /** Names given to {@linkcode enableScaleToZero}, if overridden. */
  names?: Partial<Omit<ScaleToZeroNames, "resourceId">>;
  /** Time source for event timestamps; default the system clock. */
  clock?: Clock;
  /** Cancels the calls. */
  signal?: AbortSignal;
  /** Receives a `resource-deleted` event per resource. */
  onProgress?: ProgressCallback;
}

/**
 * Removes the wake-from-zero alarm, both scaling policies and the scalable
 * target, in that order. Resources already gone are reported in `notFound`.
 */
export async function disableScaleToZero(
  options: DisableScaleToZeroOptions,
): Promise<RemovalResult> {
  const { clients, signal, onProgress } = options;
  const { names, target } = variantTarget(options);
  const clock = options.clock ?? systemClock;
  signal?.throwIfAborted();
  const start = clock.now();
  const send = { abortSignal: signal };
  const deleted: ResourceRef[] = [];
  const notFound: ResourceRef[] = [];
  const remove = async (ref: ResourceRef, call: () => Promise<boolean>) => {
    let existed: boolean;
    try {
      existed = await call();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (!isAutoScalingNotFound(error)) throw error;
      existed = false;
    }
    (existed ? deleted : notFound).push(ref);
    emitProgress(onProgress, {
      type: "resource-deleted",
      resource: ref.type,
      name: ref.name,
      outcome: existed ? "deleted" : "not-found",
      elapsedMs: clock.now() - start,
      message: existed ? `Deleted ${ref.type} ${ref.name}` : `No ${ref.type} ${ref.name} to delete`,
    });
  };

  await remove({ type: "alarm", name: names.alarmName }, async () => {
    const found = await clients.cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNames: [names.alarmName] }),
      send,
    );
    if (!(found.MetricAlarms ?? []).some((a) => a.AlarmName === names.alarmName)) return false;
    await clients.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [names.alarmName] }), send);
    return true;
  });
  for (const policyName of [names.stepPolicyName, names.targetTrackingPolicyName]) {
    await remove({ type: "scaling-policy", name: policyName }, async () => {
      await clients.autoscaling.send(
        new DeleteScalingPolicyCommand({ ...target, PolicyName: policyName }),
        send,
      );
      return true;
    });
  }
  await remove({ type: "scalable-target", name: names.resourceId }, async () => {
    await clients.autoscaling.send(new DeregisterScalableTargetCommand(target), send);
    return true;
  });
  return { deleted, notFound };
}

/** Options for {@linkcode describeScaleToZero}. */
export interface DescribeScaleToZeroOptions {
  /** Auto Scaling, CloudWatch and SageMaker clients. */
  clients: Pick<AwsClients, "autoscaling" | "cloudwatch" | "sagemaker">;
  /** The endpoint. */
  endpointName: string;
  /** The variant; default `AllTraffic`. */
  variantName?: string;
  /** Names given to {@linkcode enableScaleToZero}, if overridden. */
  names?: Partial<Omit<ScaleToZeroNames, "resourceId">>;
  /** Cancels the calls. */
  signal?: AbortSignal;
}

/** A CloudWatch alarm's state. */
export interface AlarmStatus {
  /** Alarm name. */
  readonly alarmName: string;
  /** `OK`, `ALARM` or `INSUFFICIENT_DATA`. */
  readonly state: string;
  /** Why it is in that state. */
  readonly stateReason?: string;
  /** When it entered the state, ISO 8601. */
  readonly stateUpdatedAt?: string;
  /** ARNs it triggers in `ALARM`. */
  readonly alarmActions: readonly string[];
}

/** A scaling policy as found. */
export interface ScalingPolicyStatus {
  /** Policy name. */
  readonly policyName: string;
  /** Policy ARN. */
  readonly policyArn: string;
  /** `TargetTrackingScaling` or `StepScaling`. */
  readonly policyType: string;
  /** Target-tracking target value. */
  readonly targetValue?: number;
  /** Target-tracking metric name. */
  readonly metricName?: string;
  /** Target-tracking scale-in cooldown, s. */
  readonly scaleInCooldownSeconds?: number;
  /** Target-tracking scale-out cooldown, s. */
  readonly scaleOutCooldownSeconds?: number;
  /** Step-scaling cooldown, s. */
  readonly cooldownSeconds?: number;
  /** Alarms attached to the policy. */
  readonly alarmNames: readonly string[];
}

/** Instance counts of one production variant. */
export interface VariantCapacity {
  /** Variant name. */
  readonly variantName: string;
  /** Instances running now. */
  readonly currentInstanceCount?: number;
  /** Instances wanted. */
  readonly desiredInstanceCount?: number;
}

/** Scale-to-zero state of an endpoint variant. */
export interface ScaleToZeroDescription {
  /** Names looked up. */
  readonly names: ScaleToZeroNames;
  /** The scalable target's capacities, if registered. */
  readonly target?: { readonly minCapacity?: number; readonly maxCapacity?: number };
  /** The target-tracking policy, if present. */
  readonly targetTrackingPolicy?: ScalingPolicyStatus;
  /** The wake-from-zero step policy, if present. */
  readonly stepPolicy?: ScalingPolicyStatus;
  /** The wake-from-zero alarm, if present. */
  readonly wakeAlarm?: AlarmStatus;
  /** The alarms Application Auto Scaling made for target tracking. */
  readonly targetTrackingAlarms: readonly AlarmStatus[];
  /** `EndpointStatus`. */
  readonly endpointStatus?: string;
  /** Instance counts of every variant. */
  readonly variants: readonly VariantCapacity[];
  /** Target registered with `MinCapacity` 0 and the target-tracking policy present. */
  readonly scalesToZero: boolean;
  /** Step policy present and the alarm triggers it. */
  readonly wakesFromZero: boolean;
}

/**
 * Reports the scalable target, both policies, the wake alarm's state (with
 * its reason), the target-tracking alarms and every variant's current and
 * desired instance counts. SDK errors (e.g. the endpoint does not exist)
 * pass through.
 */
export async function describeScaleToZero(
  options: DescribeScaleToZeroOptions,
): Promise<ScaleToZeroDescription> {
  const { clients, endpointName, signal } = options;
  const { names, target } = variantTarget(options);
  signal?.throwIfAborted();
  const send = { abortSignal: signal };
  const [existing, endpoint] = await Promise.all([
    describeScaling(clients, { names, target }, signal),
    clients.sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }), send),
  ]);
  const targetFound = existing.scalableTarget;
  const find = (name: string) => existing.policies.find((p) => p.PolicyName === name);
  const tracking = find(names.targetTrackingPolicyName);
  const step = find(names.stepPolicyName);
  const trackingAlarmNames = policyAlarmNames(tracking);
  const alarmNames = [names.alarmName, ...trackingAlarmNames];
  const alarms = await clients.cloudwatch.send(
    new DescribeAlarmsCommand({ AlarmNames: alarmNames }),
    send,
  );
  const byName = new Map(
    (alarms.MetricAlarms ?? []).map((a) => [a.AlarmName, toAlarmStatus(a)] as const),
  );
  const wakeAlarm = byName.get(names.alarmName);
  const trackingStatus = tracking && toPolicyStatus(tracking);
  const stepStatus = step && toPolicyStatus(step);
  return {
    names,
    ...(targetFound && {
      target: { minCapacity: targetFound.MinCapacity, maxCapacity: targetFound.MaxCapacity },
    }),
    ...(trackingStatus && { targetTrackingPolicy: trackingStatus }),
    ...(stepStatus && { stepPolicy: stepStatus }),
    ...(wakeAlarm && { wakeAlarm }),
    targetTrackingAlarms: trackingAlarmNames.flatMap((n) => byName.get(n) ?? []),
    ...(endpoint.EndpointStatus !== undefined && { endpointStatus: endpoint.EndpointStatus }),
    variants: (endpoint.ProductionVariants ?? []).map((v) => ({
      variantName: v.VariantName ?? "",
      ...(v.CurrentInstanceCount !== undefined &&
        { currentInstanceCount: v.CurrentInstanceCount }),
      ...(v.DesiredInstanceCount !== undefined &&
        { desiredInstanceCount: v.DesiredInstanceCount }),
    })),
    scalesToZero: targetFound?.MinCapacity === 0 && tracking !== undefined,
    wakesFromZero: step?.PolicyARN !== undefined && wakeAlarm !== undefined &&
      wakeAlarm.alarmActions.includes(step.PolicyARN),
  };
}

/** Whether an Application Auto Scaling or CloudWatch error means "not there". */
export function isAutoScalingNotFound(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const name = (error as { name?: unknown }).name;
  return name === "ObjectNotFoundException" || name === "ResourceNotFound" ||
    name === "ResourceNotFoundException";
}

/** The variant's scale-to-zero names and scalable target, as every Auto Scaling call names it. */
interface VariantTarget {
  readonly names: ScaleToZeroNames;
  readonly target: {
    readonly ServiceNamespace: typeof SAGEMAKER_SERVICE_NAMESPACE;
    readonly ResourceId: string;
    readonly ScalableDimension: typeof VARIANT_INSTANCE_COUNT_DIMENSION;
  };
}

/** Checks the endpoint and variant names and the overrides (`TypeError`), then names them. */
function variantTarget(
  options: {
    endpointName: string;
    variantName?: string;
    names?: Partial<Omit<ScaleToZeroNames, "resourceId">>;
  },
): VariantTarget {
  const variantName = options.variantName ?? DEFAULT_VARIANT_NAME;
  assertSageMakerName(options.endpointName, "endpoint name");
  assertSageMakerName(variantName, "variant name");
  const names = resolveNames(options.endpointName, variantName, options.names);
  return {
    names,
    target: {
      ServiceNamespace: SAGEMAKER_SERVICE_NAMESPACE,
      ResourceId: names.resourceId,
      ScalableDimension: VARIANT_INSTANCE_COUNT_DIMENSION,
    },
  };
}

/** The variant's scalable target and its two scaling policies, where they exist. */
async function describeScaling(
  clients: Pick<AwsClients, "autoscaling">,
  { names, target }: VariantTarget,
  signal: AbortSignal | undefined,
): Promise<{ scalableTarget: ScalableTarget | undefined; policies: ScalingPolicy[] }> {
  const send = { abortSignal: signal };
  const [targets, policies] = await Promise.all([
    clients.autoscaling.send(
      new DescribeScalableTargetsCommand({
        ServiceNamespace: target.ServiceNamespace,
        ResourceIds: [target.ResourceId],
        ScalableDimension: target.ScalableDimension,
      }),
      send,
    ),
    clients.autoscaling.send(
      new DescribeScalingPoliciesCommand({
        ...target,
        PolicyNames: [names.targetTrackingPolicyName, names.stepPolicyName],
      }),
      send,
    ),
  ]);
  return {
    scalableTarget: targets.ScalableTargets?.find((t) => t.ResourceId === target.ResourceId),
    policies: policies.ScalingPolicies ?? [],
  };
}

function resolveNames(
  endpointName: string,
  variantName: string,
  overrides: Partial<Omit<ScaleToZeroNames, "resourceId">> | undefined,
): ScaleToZeroNames {
  const names = { ...scaleToZeroNames({ endpointName, variantName }), ...overrides };
  for (const key of ["targetTrackingPolicyName", "stepPolicyName", "alarmName"] as const) {
    const value = names[key];
    if (
      typeof value !== "string" || value.length < 1 || value.length > 255 ||
      // deno-lint-ignore no-control-regex
      /[\x00-\x1f]/.test(value)
    ) {
      throw new TypeError(
        `Invalid ${key} ${JSON.stringify(value)}: must be 1-255 characters without control codes`,
      );
    }
  }
  return names;
}

function policyAlarmNames(policy: ScalingPolicy | undefined): string[] {
  return (policy?.Alarms ?? []).flatMap((a) => (a.AlarmName ? [a.AlarmName] : []));
}

function toPolicyStatus(policy: ScalingPolicy): ScalingPolicyStatus {
  const tracking = policy.TargetTrackingScalingPolicyConfiguration;
  const step = policy.StepScalingPolicyConfiguration;
  return {
    policyName: policy.PolicyName ?? "",
    policyArn: policy.PolicyARN ?? "",
    policyType: policy.PolicyType ?? "",
    ...(tracking?.TargetValue !== undefined && { targetValue: tracking.TargetValue }),
    ...(tracking?.CustomizedMetricSpecification?.MetricName !== undefined &&
      { metricName: tracking.CustomizedMetricSpecification.MetricName }),
    ...(tracking?.ScaleInCooldown !== undefined &&
      { scaleInCooldownSeconds: tracking.ScaleInCooldown }),
    ...(tracking?.ScaleOutCooldown !== undefined &&
      { scaleOutCooldownSeconds: tracking.ScaleOutCooldown }),
    ...(step?.Cooldown !== undefined && { cooldownSeconds: step.Cooldown }),
    alarmNames: policyAlarmNames(policy),
  };
}

function toAlarmStatus(alarm: MetricAlarm): AlarmStatus {
  return {
    alarmName: alarm.AlarmName ?? "",
    state: alarm.StateValue ?? "INSUFFICIENT_DATA",
    ...(alarm.StateReason !== undefined && { stateReason: alarm.StateReason }),
    ...(alarm.StateUpdatedTimestamp !== undefined &&
      { stateUpdatedAt: alarm.StateUpdatedTimestamp.toISOString() }),
    alarmActions: alarm.AlarmActions ?? [],
  };
}
