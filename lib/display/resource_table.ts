/**
 * What an operation did to each resource, as a table.
 *
 * @module
 */
import type { ResourceRef } from "../deployment.ts";
import { type Table, toTable } from "./table.ts";

/**
 * One row per resource, with columns `type`, `name` and `outcome`: the key
 * of the group it came in, in the order given. Suits the `created`/`updated`
 * lists of `enableScaleToZero` and the `deleted`/`notFound` lists of
 * `teardown` and `disableScaleToZero`.
 *
 * @example What a teardown removed
 * ```ts
 * import { resourceTable } from "@sagemaker-async/toolkit/display";
 *
 * const table = resourceTable({
 *   deleted: [{ type: "endpoint", name: "falcon" }],
 *   "already gone": [{ type: "alarm", name: "falcon-AllTraffic-HasBacklogWithoutCapacity" }],
 * });
 * if (table.cells.length !== 2 || table.cells[1]?.[2] !== "already gone") {
 *   throw new Error(table.toString());
 * }
 * ```
 */
export function resourceTable(
  groups: Readonly<Record<string, readonly ResourceRef[]>>,
): Table {
  const rows = Object.entries(groups).flatMap(([outcome, refs]) =>
    refs.map((ref) => ({ type: ref.type, name: ref.name, outcome }))
  );
  return toTable(rows, ["type", "name", "outcome"]);
}
