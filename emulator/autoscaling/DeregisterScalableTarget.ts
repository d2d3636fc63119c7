/**
 * `DeregisterScalableTarget`: removes a target, its scaling policies and the
 * alarms target tracking created for them. Alarms the user created (for step
 * scaling) stay, as on AWS; their actions then name a policy that no longer
 * exists and CloudWatch records the failure in the alarm's history.
 *
 * @module
 */
import type { ApplicationAutoScaling } from "./backend.ts";
import type { Members } from "./parameters.ts";
import { readScalableTargetId, targetNotFound } from "./scalable_target_id.ts";

/** Handles `DeregisterScalableTarget`. */
export function deregisterScalableTarget(aas: ApplicationAutoScaling, input: Members): unknown {
  const id = readScalableTargetId(input);
  if (!aas.target(id.resourceId, id.dimension)) throw targetNotFound(id);
  aas.removeTarget(id.resourceId, id.dimension);
  return {};
}
