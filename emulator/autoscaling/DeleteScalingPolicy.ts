/**
 * `DeleteScalingPolicy`: removes a policy; for target tracking also the
 * alarms it created. Alarms the user created stay.
 *
 * @module
 */
import type { ApplicationAutoScaling } from "./backend.ts";
import { autoScalingError, type Members, requiredString } from "./parameters.ts";
import { readScalableTargetId } from "./scalable_target_id.ts";

/** Handles `DeleteScalingPolicy`. */
export function deleteScalingPolicy(aas: ApplicationAutoScaling, input: Members): unknown {
  const name = requiredString(input, "PolicyName", { min: 1, max: 256 });
  const id = readScalableTargetId(input);
  const policy = aas.policy(id.resourceId, id.dimension, name);
  if (!policy) {
    throw autoScalingError(
      "ObjectNotFoundException",
      `No scaling policy found for service namespace: sagemaker, resource ID: ${id.resourceId}, ` +
        `scalable dimension: ${id.dimension}, policy name: ${name}`,
    );
  }
  aas.removePolicy(policy.PolicyARN);
  return {};
}
