/**
 * `PutScalingPolicy`: creates or updates a step scaling or target tracking
 * policy on a registered target. Target tracking creates (and on update
 * re-configures) its high and low alarms through CloudWatch; see
 * `target_tracking.ts` for their parameters. Predictive scaling is not
 * modelled. At most 50 policies per target.
 *
 * @module
 */
import type { ApplicationAutoScaling, ScalingPolicy, TargetTrackingConfig } from "./backend.ts";
import {
  autoScalingError,
  type Members,
  optionalBoolean,
  optionalEnum,
  optionalList,
  optionalNumber,
  optionalString,
  optionalStruct,
  requiredEnum,
  requiredNumber,
  requiredString,
} from "./parameters.ts";
import {
  readScalableTargetId,
  type ScalableTargetId,
  targetNotFound,
} from "./scalable_target_id.ts";
import type { StepAdjustment, StepScalingConfig } from "./step_scaling.ts";
import {
  alarmNamePrefix,
  targetTrackingAlarmInputs,
  type TrackedMetric,
} from "./target_tracking.ts";

/** Most policies on one target. */
export const MAX_POLICIES_PER_TARGET = 50;

/** Predefined metric types; only the variant ones apply to SageMaker variants here. */
const PREDEFINED_FOR_VARIANTS: Record<string, { metricName: string; statistic: string }> = {
  SageMakerVariantInvocationsPerInstance: {
    metricName: "InvocationsPerInstance",
    statistic: "Sum",
  },
  SageMakerVariantProvisionedConcurrencyUtilization: {
    metricName: "ProvisionedConcurrencyUtilization",
    statistic: "Average",
  },
};

const STATISTICS = ["Average", "Minimum", "Maximum", "SampleCount", "Sum"] as const;

function readStepConfig(input: Members): StepScalingConfig {
  const config = optionalStruct(input, "StepScalingPolicyConfiguration");
  if (!config) {
    throw autoScalingError(
      "ValidationException",
      "StepScalingPolicyConfiguration is required for PolicyType StepScaling",
    );
  }
  const parent = "StepScalingPolicyConfiguration";
  const adjustmentType = requiredEnum(
    config,
    "AdjustmentType",
    ["ChangeInCapacity", "PercentChangeInCapacity", "ExactCapacity"],
    parent,
  );
  const list = optionalList(config, "StepAdjustments", { min: 1 }, parent);
  if (!list) {
    throw autoScalingError("ValidationException", "StepAdjustments must contain at least one step");
  }
  const steps: StepAdjustment[] = list.map((item, i) => {
    const path = `${parent}.StepAdjustments.${i + 1}`;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw autoScalingError("ValidationException", `${path} must be a structure`);
    }
    const step = item as Members;
    const lower = optionalNumber(step, "MetricIntervalLowerBound", {}, path);
    const upper = optionalNumber(step, "MetricIntervalUpperBound", {}, path);
    const adjustment = requiredNumber(step, "ScalingAdjustment", { integer: true }, path);
    if (lower !== undefined && upper !== undefined && !(lower < upper)) {
      throw autoScalingError(
        "ValidationException",
        `${path}: MetricIntervalLowerBound (${lower}) must be less than MetricIntervalUpperBound ` +
          `(${upper})`,
      );
    }
    return {
      ...(lower === undefined ? {} : { MetricIntervalLowerBound: lower }),
      ...(upper === undefined ? {} : { MetricIntervalUpperBound: upper }),
      ScalingAdjustment: adjustment,
    };
  });
  const sorted = [...steps].sort((a, b) =>
    (a.MetricIntervalLowerBound ?? -Infinity) - (b.MetricIntervalLowerBound ?? -Infinity)
  );
  for (let i = 0; i < sorted.length; i++) {
    const s = sorted[i]!;
    if (i > 0 && s.MetricIntervalLowerBound === undefined) {
      throw autoScalingError(
        "ValidationException",
        "Only one step adjustment may have a null lower bound",
      );
    }
    const next = sorted[i + 1];
    if (next && s.MetricIntervalUpperBound !== next.MetricIntervalLowerBound) {
      throw autoScalingError(
        "ValidationException",
        "Step adjustments must not overlap or leave a gap: the upper bound of each step must " +
          "equal the lower bound of the next",
      );
    }
  }
  const minMagnitude = optionalNumber(config, "MinAdjustmentMagnitude", { integer: true }, parent);
  if (minMagnitude !== undefined && adjustmentType !== "PercentChangeInCapacity") {
    throw autoScalingError(
      "ValidationException",
      "MinAdjustmentMagnitude can only be used with AdjustmentType PercentChangeInCapacity",
    );
  }
  if (minMagnitude !== undefined && minMagnitude < 1) {
    throw autoScalingError("ValidationException", "MinAdjustmentMagnitude must be at least 1");
  }
  const cooldown = optionalNumber(config, "Cooldown", { integer: true, min: 0 }, parent);
  const aggregation = optionalEnum(
    config,
    "MetricAggregationType",
    ["Average", "Minimum", "Maximum"],
    parent,
  );
  return {
    AdjustmentType: adjustmentType,
    StepAdjustments: steps,
    ...(minMagnitude === undefined ? {} : { MinAdjustmentMagnitude: minMagnitude }),
    ...(cooldown === undefined ? {} : { Cooldown: cooldown }),
    ...(aggregation === undefined ? {} : { MetricAggregationType: aggregation }),
  };
}

function readDimensions(
  list: unknown[] | undefined,
  path: string,
): Array<{ Name: string; Value: string }> {
  return (list ?? []).map((item, i) => {
    const itemPath = `${path}.${i + 1}`;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw autoScalingError("ValidationException", `${itemPath} must be a structure`);
    }
    const d = item as Members;
    return {
      Name: requiredString(d, "Name", { min: 1 }, itemPath),
      Value: requiredString(d, "Value", { min: 1 }, itemPath),
    };
  });
}

function readTargetTracking(
  input: Members,
  id: ScalableTargetId,
): { config: TargetTrackingConfig; metric: TrackedMetric } {
  const parent = "TargetTrackingScalingPolicyConfiguration";
  const config = optionalStruct(input, parent);
  if (!config) {
    throw autoScalingError(
      "ValidationException",
      "TargetTrackingScalingPolicyConfiguration is required for PolicyType TargetTrackingScaling",
    );
  }
  const targetValue = requiredNumber(config, "TargetValue", {
    min: 8.515920e-109,
    max: 1.174271e+108,
  }, parent);
  const predefined = optionalStruct(config, "PredefinedMetricSpecification", parent);
  const customized = optionalStruct(config, "CustomizedMetricSpecification", parent);
  if ((predefined === undefined) === (customized === undefined)) {
    throw autoScalingError(
      "ValidationException",
      "Exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification must be " +
        "specified",
    );
  }
  let metric: TrackedMetric;
  if (predefined) {
    const path = `${parent}.PredefinedMetricSpecification`;
    const type = requiredString(predefined, "PredefinedMetricType", { min: 1 }, path);
    optionalString(predefined, "ResourceLabel", { min: 1, max: 1023 }, path);
    const known = PREDEFINED_FOR_VARIANTS[type];
    if (!known) {
      throw autoScalingError(
        "ValidationException",
        `Unsupported predefined metric type ${type} for scalable dimension ${id.dimension}`,
      );
    }
    metric = {
      MetricName: known.metricName,
      Namespace: "AWS/SageMaker",
      Statistic: known.statistic,
      Dimensions: [
        { Name: "EndpointName", Value: id.endpointName },
        { Name: "VariantName", Value: id.variantName },
      ],
    };
  } else {
    const path = `${parent}.CustomizedMetricSpecification`;
    const spec = customized!;
    const metrics = optionalList(spec, "Metrics", { min: 1, max: 10 }, path);
    if (metrics) {
      for (const member of ["MetricName", "Namespace", "Dimensions", "Statistic", "Unit"]) {
        if (spec[member] !== undefined && spec[member] !== null) {
          throw autoScalingError(
            "ValidationException",
            `${member} cannot be specified together with Metrics in ${path}`,
          );
        }
      }
      metric = {
        Metrics: metrics.map((q, i) => {
          if (typeof q !== "object" || q === null || Array.isArray(q)) {
            throw autoScalingError(
              "ValidationException",
              `${path}.Metrics.${i + 1} must be a structure`,
            );
          }
          return q as Members;
        }),
      };
    } else {
      const unit = optionalString(spec, "Unit", { min: 1 }, path);
      metric = {
        MetricName: requiredString(spec, "MetricName", { min: 1 }, path),
        Namespace: requiredString(spec, "Namespace", { min: 1 }, path),
        Statistic: requiredEnum(spec, "Statistic", STATISTICS, path),
        Dimensions: readDimensions(
          optionalList(spec, "Dimensions", {}, path),
          `${path}.Dimensions`,
        ),
        ...(unit === undefined ? {} : { Unit: unit }),
      };
    }
  }
  const scaleOut = optionalNumber(config, "ScaleOutCooldown", { integer: true, min: 0 }, parent);
  const scaleIn = optionalNumber(config, "ScaleInCooldown", { integer: true, min: 0 }, parent);
  const disableScaleIn = optionalBoolean(config, "DisableScaleIn", parent);
  return {
    config: {
      TargetValue: targetValue,
      ...(predefined ? { PredefinedMetricSpecification: predefined } : {}),
      ...(customized ? { CustomizedMetricSpecification: customized } : {}),
      ...(scaleOut === undefined ? {} : { ScaleOutCooldown: scaleOut }),
      ...(scaleIn === undefined ? {} : { ScaleInCooldown: scaleIn }),
      ...(disableScaleIn === undefined ? {} : { DisableScaleIn: disableScaleIn }),
    },
    metric,
  };
}

/** Handles `PutScalingPolicy`. */
export function putScalingPolicy(aas: ApplicationAutoScaling, input: Members): unknown {
  const name = requiredString(input, "PolicyName", { min: 1, max: 256, pattern: /^\P{C}+$/u });
  const id = readScalableTargetId(input);
  const policyType = requiredEnum(input, "PolicyType", [
    "StepScaling",
    "TargetTrackingScaling",
    "PredictiveScaling",
  ]);
  if (policyType === "PredictiveScaling") {
    throw autoScalingError(
      "ValidationException",
      "PredictiveScaling is not modelled by this emulator (and not offered for SageMaker variants)",
    );
  }
  const step = policyType === "StepScaling" ? readStepConfig(input) : undefined;
  const tracking = policyType === "TargetTrackingScaling"
    ? readTargetTracking(input, id)
    : undefined;
  if (!aas.target(id.resourceId, id.dimension)) throw targetNotFound(id);
  const existing = aas.policy(id.resourceId, id.dimension, name);
  if (
    !existing &&
    aas.policies().filter((p) => p.ResourceId === id.resourceId).length >= MAX_POLICIES_PER_TARGET
  ) {
    throw autoScalingError(
      "LimitExceededException",
      `A scalable target can have at most ${MAX_POLICIES_PER_TARGET} scaling policies`,
    );
  }
  const { region, accountId } = aas.config;
  const policyArn = existing?.PolicyARN ??
    `arn:aws:autoscaling:${region}:${accountId}:scalingPolicy:${crypto.randomUUID()}:` +
      `resource/sagemaker/${id.resourceId}:policyName/${name}`;
  let alarms: Array<{ AlarmName: string; AlarmARN: string }> = [];
  const oldAlarms = existing?.PolicyType === "TargetTrackingScaling" ? existing.Alarms : [];
  if (tracking) {
    const cloudwatch = aas.cloudWatch();
    const alarmName = (kind: "High" | "Low") => {
      const prefix = alarmNamePrefix(id.resourceId, kind);
      return oldAlarms.find((a) => a.AlarmName.startsWith(prefix))?.AlarmName ??
        `${prefix}${crypto.randomUUID()}`;
    };
    const highName = alarmName("High");
    const lowName = alarmName("Low");
    const inputs = targetTrackingAlarmInputs({
      policyArn,
      highAlarmName: highName,
      lowAlarmName: lowName,
      metric: tracking.metric,
      targetValue: tracking.config.TargetValue,
      disableScaleIn: tracking.config.DisableScaleIn ?? false,
    });
    const created: Array<{ AlarmName: string; AlarmARN: string }> = [];
    try {
      for (const alarm of [inputs.high, inputs.low]) {
        if (!alarm) continue;
        const { alarmArn } = cloudwatch.putMetricAlarm(alarm);
        created.push({ AlarmName: alarm.AlarmName as string, AlarmARN: alarmArn });
      }
    } catch (error) {
      const fresh = created.filter((c) => !oldAlarms.some((o) => o.AlarmName === c.AlarmName));
      cloudwatch.deleteAlarms(fresh.map((c) => c.AlarmName));
      throw autoScalingError(
        "ValidationException",
        `Cannot create the target tracking alarms: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
    alarms = created;
  }
  const stale = oldAlarms.filter((o) => !alarms.some((a) => a.AlarmName === o.AlarmName));
  if (stale.length > 0) aas.cloudWatch().deleteAlarms(stale.map((a) => a.AlarmName));
  const policy: ScalingPolicy = {
    PolicyARN: policyArn,
    PolicyName: name,
    ServiceNamespace: "sagemaker",
    ResourceId: id.resourceId,
    ScalableDimension: id.dimension,
    PolicyType: policyType,
    ...(step ? { StepScalingPolicyConfiguration: step } : {}),
    ...(tracking ? { TargetTrackingScalingPolicyConfiguration: tracking.config } : {}),
    Alarms: alarms,
    CreationTime: existing?.CreationTime ?? new Date(aas.now()),
  };
  aas.savePolicy(policy);
  return { PolicyARN: policyArn, ...(tracking ? { Alarms: alarms } : {}) };
}
