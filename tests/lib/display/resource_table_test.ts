import assert from "node:assert/strict";
import { resourceTable } from "../../../lib/display/resource_table.ts";

Deno.test("resourceTable() lists each group's resources under its outcome, in order", () => {
  const table = resourceTable({
    created: [{ type: "scalable-target", name: "endpoint/falcon/variant/AllTraffic" }],
    updated: [
      { type: "scaling-policy", name: "ApproximateBacklogSizePerInstance-ScalingPolicy" },
      { type: "alarm", name: "falcon-AllTraffic-HasBacklogWithoutCapacity" },
    ],
  });
  assert.deepEqual(table.columns.map((c) => c.key), ["type", "name", "outcome"]);
  assert.deepEqual(table.cells, [
    ["scalable-target", "endpoint/falcon/variant/AllTraffic", "created"],
    ["scaling-policy", "ApproximateBacklogSizePerInstance-ScalingPolicy", "updated"],
    ["alarm", "falcon-AllTraffic-HasBacklogWithoutCapacity", "updated"],
  ]);
});

Deno.test("resourceTable() keeps its columns when every group is empty", () => {
  const table = resourceTable({ deleted: [], "already gone": [] });
  assert.deepEqual(table.columns.map((c) => c.key), ["type", "name", "outcome"]);
  assert.deepEqual(table.cells, []);
});
