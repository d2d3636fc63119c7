import assert from "node:assert/strict";
import {
  aggregate,
  applyAdjustment,
  selectStep,
} from "../../../emulator/autoscaling/step_scaling.ts";

const steps = [
  { MetricIntervalUpperBound: -10, ScalingAdjustment: -2 },
  { MetricIntervalLowerBound: -10, MetricIntervalUpperBound: 0, ScalingAdjustment: -1 },
  { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 },
  { MetricIntervalLowerBound: 10, ScalingAdjustment: 3 },
];

Deno.test("selectStep() includes the lower bound above the threshold and the upper bound below it", () => {
  assert.equal(selectStep(steps, 0)?.ScalingAdjustment, 1);
  assert.equal(selectStep(steps, 9.9)?.ScalingAdjustment, 1);
  assert.equal(selectStep(steps, 10)?.ScalingAdjustment, 3);
  assert.equal(selectStep(steps, -10)?.ScalingAdjustment, -2);
  assert.equal(selectStep(steps, -0.5)?.ScalingAdjustment, -1);
  assert.equal(selectStep([{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }], -1), undefined);
});

Deno.test("aggregate() follows MetricAggregationType", () => {
  assert.equal(aggregate([1, 2, 6], "Average"), 3);
  assert.equal(aggregate([1, 2, 6], "Minimum"), 1);
  assert.equal(aggregate([1, 2, 6], "Maximum"), 6);
  assert.equal(aggregate([], "Average"), undefined);
});

Deno.test("applyAdjustment() applies change, exact and percent adjustments with AWS rounding", () => {
  assert.equal(applyAdjustment({ AdjustmentType: "ChangeInCapacity" }, 2, 1), 3);
  assert.equal(applyAdjustment({ AdjustmentType: "ExactCapacity" }, 2, 7), 7);
  const percent = { AdjustmentType: "PercentChangeInCapacity" as const };
  assert.equal(applyAdjustment(percent, 10, 25), 12);
  assert.equal(applyAdjustment(percent, 10, -25), 8);
  assert.equal(applyAdjustment(percent, 2, 10), 3);
  assert.equal(applyAdjustment(percent, 2, -10), 1);
  assert.equal(applyAdjustment({ ...percent, MinAdjustmentMagnitude: 3 }, 10, 20), 13);
  assert.equal(applyAdjustment(percent, 0, 50), 0);
});
