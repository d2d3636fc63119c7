/**
 * `ListMetrics`: the metrics that received data in the last two weeks
 * (`RecentlyActive: PT3H`: the last three hours), filtered by namespace,
 * name and dimensions, 500 per page.
 *
 * @module
 */
import type { CloudWatch } from "./backend.ts";
import { metricKey } from "./metric_store.ts";
import {
  invalidValue,
  itemPath,
  type Members,
  optionalBoolean,
  optionalEnum,
  optionalList,
  optionalString,
  requiredString,
} from "./parameters.ts";

/** Metrics per page. */
export const LIST_METRICS_PAGE_SIZE = 500;
const TWO_WEEKS_MS = 14 * 24 * 3_600_000;
const THREE_HOURS_MS = 3 * 3_600_000;

/** Handles `ListMetrics`. */
export function listMetrics(cloudwatch: CloudWatch, input: Members): unknown {
  const namespace = optionalString(input, "Namespace", { min: 1, max: 255 });
  const metricName = optionalString(input, "MetricName", { min: 1, max: 255 });
  const filters = (optionalList(input, "Dimensions", { max: 30 }) ?? []).map((item, index) => {
    const path = itemPath("Dimensions", index);
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw invalidValue(path, item, "must be a structure with Name and optional Value");
    }
    const f = item as Members;
    return {
      name: requiredString(f, "Name", { min: 1, max: 255 }, path),
      value: optionalString(f, "Value", { min: 1, max: 1024 }, path),
    };
  });
  const recently = optionalEnum(input, "RecentlyActive", ["PT3H"]);
  optionalBoolean(input, "IncludeLinkedAccounts");
  optionalString(input, "OwningAccount");
  const token = optionalString(input, "NextToken");
  const now = cloudwatch.now();
  const horizon = now - (recently ? THREE_HOURS_MS : TWO_WEEKS_MS);
  const matching = cloudwatch.metrics.metrics()
    .filter(({ metric, lastPutAt }) =>
      lastPutAt >= horizon &&
      (namespace === undefined || metric.namespace === namespace) &&
      (metricName === undefined || metric.metricName === metricName) &&
      filters.every((f) =>
        metric.dimensions.some((d) =>
          d.Name === f.name && (f.value === undefined || d.Value === f.value)
        )
      )
    )
    .map(({ metric }) => metric)
    .sort((a, b) => metricKey(a) < metricKey(b) ? -1 : metricKey(a) > metricKey(b) ? 1 : 0);
  let offset = 0;
  if (token !== undefined) {
    offset = Number.parseInt(token, 10);
    if (!(String(offset) === token && offset > 0)) {
      throw invalidValue("NextToken", token, "not a token this emulator issued");
    }
  }
  const page = matching.slice(offset, offset + LIST_METRICS_PAGE_SIZE);
  const next = offset + LIST_METRICS_PAGE_SIZE;
  return {
    Metrics: page.map((m) => ({
      Namespace: m.namespace,
      MetricName: m.metricName,
      Dimensions: m.dimensions.map((d) => ({ Name: d.Name, Value: d.Value })),
    })),
    ...(next < matching.length ? { NextToken: String(next) } : {}),
  };
}
