import assert from "node:assert/strict";
import { evaluateMetricMath, MetricMathError } from "../../../emulator/cloudwatch/metric_math.ts";

const series = new Map([
  ["m1", [{ timestamp: 0, value: 10 }, { timestamp: 60, value: 20 }, { timestamp: 120, value: 5 }]],
  ["m2", [{ timestamp: 0, value: 2 }, { timestamp: 60, value: 0 }]],
]);

Deno.test("evaluateMetricMath() combines series on shared timestamps with operator precedence", () => {
  assert.deepEqual(evaluateMetricMath("m1 + m2 * 2", series), [
    { timestamp: 0, value: 14 },
    { timestamp: 60, value: 20 },
  ]);
  assert.deepEqual(evaluateMetricMath("(m1 - 4) / 2", series).map((p) => p.value), [3, 8, 0.5]);
  assert.deepEqual(evaluateMetricMath("-m1 * 1e1", series).map((p) => p.value), [-100, -200, -50]);
});

Deno.test("evaluateMetricMath() drops points that are not finite (division by zero)", () => {
  assert.deepEqual(evaluateMetricMath("m1 / m2", series), [{ timestamp: 0, value: 5 }]);
});

Deno.test("evaluateMetricMath() rejects what it does not model", () => {
  for (
    const [expression, message] of [
      ["m3 + 1", "Unrecognized metric id m3"],
      ["SUM(METRICS())", "Function SUM is not supported by this emulator"],
      ["1 + 2", "The expression must refer to at least one metric"],
      ["(m1 + 1", "Missing closing parenthesis"],
      ["m1 $ 2", "Unexpected character at position 4"],
    ]
  ) {
    assert.throws(
      () => evaluateMetricMath(expression!, series),
      (e: Error) => e instanceof MetricMathError && e.message === message,
      expression,
    );
  }
});
