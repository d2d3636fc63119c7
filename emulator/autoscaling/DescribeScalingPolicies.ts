/**
 * `DescribeScalingPolicies`: policies of a namespace, filtered by names,
 * resource id and dimension, `MaxResults` (default and maximum 10) per page.
 *
 * @module
 */
import type { ApplicationAutoScaling } from "./backend.ts";
import { type Members, optionalNumber, optionalStringList, readOffsetToken } from "./parameters.ts";
import { readDescribeFilter } from "./scalable_target_id.ts";

/** Handles `DescribeScalingPolicies`. */
export function describeScalingPolicies(aas: ApplicationAutoScaling, input: Members): unknown {
  const filter = readDescribeFilter(input);
  const names = optionalStringList(input, "PolicyNames", { max: 50, item: { min: 1, max: 1600 } });
  const maxResults = optionalNumber(input, "MaxResults", { integer: true, min: 1, max: 10 }) ?? 10;
  const offset = readOffsetToken(input);
  const matching = aas.policies().filter((p) =>
    p.ServiceNamespace === filter.namespace &&
    (names === undefined || names.length === 0 || names.includes(p.PolicyName)) &&
    (filter.resourceId === undefined || p.ResourceId === filter.resourceId) &&
    (filter.dimension === undefined || p.ScalableDimension === filter.dimension)
  );
  const page = matching.slice(offset, offset + maxResults);
  const next = offset + maxResults;
  return {
    ScalingPolicies: page,
    ...(next < matching.length ? { NextToken: String(next) } : {}),
  };
}
