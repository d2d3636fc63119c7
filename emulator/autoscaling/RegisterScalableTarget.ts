/**
 * `RegisterScalableTarget`: registers a SageMaker variant (or updates its
 * limits and suspended state). The endpoint and variant must exist
 * (`ValidationException` otherwise); `MinCapacity` 0 is allowed only for
 * asynchronous endpoints. When the new limits exclude the current desired
 * count, capacity is moved inside them at once, with an activity.
 *
 * @module
 */
import type { ApplicationAutoScaling, ScalableTarget } from "./backend.ts";
import {
  autoScalingError,
  type Members,
  optionalBoolean,
  optionalList,
  optionalNumber,
  optionalString,
  optionalStruct,
} from "./parameters.ts";
import { readScalableTargetId } from "./scalable_target_id.ts";

/** Handles `RegisterScalableTarget`. */
export function registerScalableTarget(
  aas: ApplicationAutoScaling,
  input: Members,
): { ScalableTargetARN: string } {
  const id = readScalableTargetId(input);
  const min = optionalNumber(input, "MinCapacity", { integer: true, min: 0 });
  const max = optionalNumber(input, "MaxCapacity", { integer: true, min: 0 });
  const roleArn = optionalString(input, "RoleARN", { min: 1, max: 1600 });
  const suspended = optionalStruct(input, "SuspendedState");
  const suspendedIn = suspended &&
    optionalBoolean(suspended, "DynamicScalingInSuspended", "SuspendedState");
  const suspendedOut = suspended &&
    optionalBoolean(suspended, "DynamicScalingOutSuspended", "SuspendedState");
  const suspendedScheduled = suspended &&
    optionalBoolean(suspended, "ScheduledScalingSuspended", "SuspendedState");
  optionalList(input, "Tags", { max: 200 });
  const existing = aas.target(id.resourceId, id.dimension);
  if (!existing && (min === undefined || max === undefined)) {
    throw autoScalingError(
      "ValidationException",
      "MinCapacity and MaxCapacity are required to register a new scalable target",
    );
  }
  const minCapacity = min ?? existing!.MinCapacity;
  const maxCapacity = max ?? existing!.MaxCapacity;
  if (minCapacity > maxCapacity) {
    throw autoScalingError(
      "ValidationException",
      `Minimum capacity (${minCapacity}) cannot be greater than maximum capacity (${maxCapacity})`,
    );
  }
  const current = aas.currentCapacity(id.resourceId);
  if (current === undefined) {
    throw autoScalingError(
      "ValidationException",
      `Could not find endpoint "${id.endpointName}" with variant "${id.variantName}".`,
    );
  }
  if (minCapacity === 0 && !aas.isAsyncEndpoint(id.endpointName)) {
    throw autoScalingError(
      "ValidationException",
      `MinCapacity 0 is only supported for asynchronous endpoints; endpoint ${id.endpointName} ` +
        "has no AsyncInferenceConfig",
    );
  }
  const { region, accountId } = aas.config;
  const target: ScalableTarget = {
    ServiceNamespace: "sagemaker",
    ResourceId: id.resourceId,
    ScalableDimension: id.dimension,
    MinCapacity: minCapacity,
    MaxCapacity: maxCapacity,
    RoleARN: roleArn ?? existing?.RoleARN ??
      `arn:aws:iam::${accountId}:role/aws-service-role/sagemaker.application-autoscaling.` +
        "amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint",
    CreationTime: existing?.CreationTime ?? new Date(aas.now()),
    SuspendedState: {
      DynamicScalingInSuspended: suspendedIn ??
        existing?.SuspendedState.DynamicScalingInSuspended ?? false,
      DynamicScalingOutSuspended: suspendedOut ??
        existing?.SuspendedState.DynamicScalingOutSuspended ?? false,
      ScheduledScalingSuspended: suspendedScheduled ??
        existing?.SuspendedState.ScheduledScalingSuspended ?? false,
    },
    ScalableTargetARN: existing?.ScalableTargetARN ??
      `arn:aws:application-autoscaling:${region}:${accountId}:scalable-target/` +
        crypto.randomUUID().replaceAll("-", ""),
  };
  aas.saveTarget(target);
  if (current < minCapacity) {
    aas.setCapacity(target, minCapacity, `minimum capacity was set to ${minCapacity}`);
  } else if (current > maxCapacity) {
    aas.setCapacity(target, maxCapacity, `maximum capacity was set to ${maxCapacity}`);
  }
  return { ScalableTargetARN: target.ScalableTargetARN };
}
