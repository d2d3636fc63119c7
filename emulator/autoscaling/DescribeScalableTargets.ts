/**
 * `DescribeScalableTargets`: registered targets of a namespace, filtered by
 * resource ids and dimension, `MaxResults` (default 50) per page. Unknown
 * ids give an empty list.
 *
 * @module
 */
import type { ApplicationAutoScaling } from "./backend.ts";
import {
  type Members,
  optionalEnum,
  optionalNumber,
  optionalStringList,
  readOffsetToken,
  requiredEnum,
} from "./parameters.ts";
import { SCALABLE_DIMENSIONS, SERVICE_NAMESPACES } from "./scalable_target_id.ts";

/** Handles `DescribeScalableTargets`. */
export function describeScalableTargets(aas: ApplicationAutoScaling, input: Members): unknown {
  const namespace = requiredEnum(input, "ServiceNamespace", SERVICE_NAMESPACES);
  const ids = optionalStringList(input, "ResourceIds", { max: 50, item: { min: 1, max: 1600 } });
  const dimension = optionalEnum(input, "ScalableDimension", SCALABLE_DIMENSIONS);
  const maxResults = optionalNumber(input, "MaxResults", { integer: true, min: 1, max: 50 }) ?? 50;
  const offset = readOffsetToken(input);
  const matching = aas.targets().filter((t) =>
    t.ServiceNamespace === namespace &&
    (ids === undefined || ids.length === 0 || ids.includes(t.ResourceId)) &&
    (dimension === undefined || t.ScalableDimension === dimension)
  );
  const page = matching.slice(offset, offset + maxResults);
  const next = offset + maxResults;
  return {
    ScalableTargets: page,
    ...(next < matching.length ? { NextToken: String(next) } : {}),
  };
}
