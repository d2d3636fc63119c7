import assert from "node:assert/strict";
import {
  detectProgressTarget,
  isJupyterKernel,
  type ProgressTarget,
  stderrColumns,
} from "../../../lib/display/progress_target.ts";

Deno.test("detectProgressTarget() prefers Jupyter, then a sized terminal, then plain lines", () => {
  const cases: [boolean, boolean, number, ProgressTarget][] = [
    [true, true, 120, "jupyter"],
    [false, true, 120, "terminal"],
    [false, true, 0, "plain"],
    [false, false, 120, "plain"],
  ];
  for (const [jupyter, terminal, columns, expected] of cases) {
    assert.equal(
      detectProgressTarget({
        isJupyter: () => jupyter,
        isTerminal: () => terminal,
        columns: () => columns,
      }),
      expected,
      JSON.stringify({ jupyter, terminal, columns }),
    );
  }
});

Deno.test("isJupyterKernel() is false under deno test", () => {
  assert.equal(isJupyterKernel(), false);
});

Deno.test("stderrColumns() is a width, or 0 when stderr is not a terminal", () => {
  const columns = stderrColumns();
  assert.ok(Number.isInteger(columns) && columns >= 0);
  if (!Deno.stderr.isTerminal()) assert.equal(columns, 0);
});
