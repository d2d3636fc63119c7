/**
 * `DescribeScalingActivities`: what scaling did and why, newest first,
 * `MaxResults` (default 50) per page. With `IncludeNotScaledActivities`,
 * also the times a policy triggered but capacity was already at a limit
 * (`NotScaledReasons`), recorded once per policy, alarm and reason until
 * capacity changes.
 *
 * @module
 */
import type { ApplicationAutoScaling } from "./backend.ts";
import {
  autoScalingError,
  type Members,
  optionalBoolean,
  optionalNumber,
  readOffsetToken,
} from "./parameters.ts";
import { readDescribeFilter } from "./scalable_target_id.ts";

/** Handles `DescribeScalingActivities`. */
export function describeScalingActivities(aas: ApplicationAutoScaling, input: Members): unknown {
  const filter = readDescribeFilter(input);
  if (filter.dimension !== undefined && filter.resourceId === undefined) {
    throw autoScalingError(
      "ValidationException",
      "ResourceId is required when ScalableDimension is specified",
    );
  }
  const includeNotScaled = optionalBoolean(input, "IncludeNotScaledActivities") ?? false;
  const maxResults = optionalNumber(input, "MaxResults", { integer: true, min: 1, max: 50 }) ?? 50;
  const offset = readOffsetToken(input);
  const matching = aas.activities(includeNotScaled).filter((a) =>
    a.ServiceNamespace === filter.namespace &&
    (filter.resourceId === undefined || a.ResourceId === filter.resourceId) &&
    (filter.dimension === undefined || a.ScalableDimension === filter.dimension)
  );
  const page = matching.slice(offset, offset + maxResults);
  const next = offset + maxResults;
  return {
    ScalingActivities: page,
    ...(next < matching.length ? { NextToken: String(next) } : {}),
  };
}
