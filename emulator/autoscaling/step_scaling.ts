/**
 * Step scaling as Application Auto Scaling runs it
 * (`StepScalingPolicyConfiguration`): the alarm's data points are aggregated
 * per `MetricAggregationType`, the step whose interval holds
 * "aggregate − threshold" is chosen (lower bound inclusive and upper bound
 * exclusive above the threshold, the other way round below it) and its
 * `ScalingAdjustment` applied per `AdjustmentType`.
 *
 * @module
 */

/** A step as stored. */
export interface StepAdjustment {
  readonly MetricIntervalLowerBound?: number;
  readonly MetricIntervalUpperBound?: number;
  readonly ScalingAdjustment: number;
}

/** A step scaling configuration as given (`Cooldown` defaults to 300 s, aggregation to `Average`). */
export interface StepScalingConfig {
  readonly AdjustmentType: "ChangeInCapacity" | "ExactCapacity" | "PercentChangeInCapacity";
  readonly StepAdjustments: readonly StepAdjustment[];
  readonly MinAdjustmentMagnitude?: number;
  readonly Cooldown?: number;
  readonly MetricAggregationType?: "Average" | "Minimum" | "Maximum";
}

/** The step that applies to `difference` (aggregate − threshold), if any. */
export function selectStep(
  steps: readonly StepAdjustment[],
  difference: number,
): StepAdjustment | undefined {
  return steps.find((s) => {
    const lower = s.MetricIntervalLowerBound ?? -Infinity;
    const upper = s.MetricIntervalUpperBound ?? Infinity;
    return difference >= 0
      ? lower <= difference && difference < upper
      : lower < difference && difference <= upper;
  });
}

/** Aggregates an alarm's data points. */
export function aggregate(
  values: readonly number[],
  type: NonNullable<StepScalingConfig["MetricAggregationType"]>,
): number | undefined {
  if (values.length === 0) return undefined;
  if (type === "Minimum") return Math.min(...values);
  if (type === "Maximum") return Math.max(...values);
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Applies a step to `base` capacity. Percent changes round as AWS does
 * (above 1 down, below −1 up, in between to ±1) and grow to
 * `MinAdjustmentMagnitude`.
 */
export function applyAdjustment(
  config: Pick<StepScalingConfig, "AdjustmentType" | "MinAdjustmentMagnitude">,
  base: number,
  adjustment: number,
): number {
  switch (config.AdjustmentType) {
    case "ExactCapacity":
      return adjustment;
    case "ChangeInCapacity":
      return base + adjustment;
    case "PercentChangeInCapacity": {
      const raw = base * adjustment / 100;
      let change = raw > 1
        ? Math.floor(raw)
        : raw < -1
        ? Math.ceil(raw)
        : raw > 0
        ? 1
        : raw < 0
        ? -1
        : 0;
      const min = config.MinAdjustmentMagnitude;
      if (min !== undefined && change !== 0 && Math.abs(change) < min) {
        change = Math.sign(change) * min;
      }
      return base + change;
    }
  }
}
