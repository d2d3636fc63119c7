import assert from "node:assert/strict";
import {
  targetTrackingAlarmInputs,
  targetTrackingCapacity,
} from "../../../emulator/autoscaling/target_tracking.ts";

const metric = {
  MetricName: "ApproximateBacklogSizePerInstance",
  Namespace: "AWS/SageMaker",
  Statistic: "Average",
  Dimensions: [{ Name: "EndpointName", Value: "e1" }],
};

Deno.test("targetTrackingAlarmInputs() builds a 3-of-3 high alarm and a 15-of-15 low alarm at 0.9 x target", () => {
  const { high, low } = targetTrackingAlarmInputs({
    policyArn: "arn:p",
    highAlarmName: "H",
    lowAlarmName: "L",
    metric,
    targetValue: 5,
    disableScaleIn: false,
  });
  assert.deepEqual(high, {
    AlarmName: "H",
    AlarmDescription: "DO NOT EDIT OR DELETE. For TargetTrackingScaling policy arn:p.",
    ActionsEnabled: true,
    AlarmActions: ["arn:p"],
    ...metric,
    Period: 60,
    EvaluationPeriods: 3,
    DatapointsToAlarm: 3,
    Threshold: 5,
    ComparisonOperator: "GreaterThanThreshold",
  });
  assert.equal(low?.Threshold, 4.5);
  assert.equal(low?.EvaluationPeriods, 15);
  assert.equal(low?.DatapointsToAlarm, 15);
  assert.equal(low?.ComparisonOperator, "LessThanThreshold");
  assert.equal(low?.TreatMissingData, undefined);
});

Deno.test("targetTrackingAlarmInputs() creates no low alarm when scale-in is disabled and sets metric math periods", () => {
  const { high, low } = targetTrackingAlarmInputs({
    policyArn: "arn:p",
    highAlarmName: "H",
    lowAlarmName: "L",
    metric: { Metrics: [{ Id: "m1", MetricStat: { Metric: {}, Stat: "Sum" }, ReturnData: true }] },
    targetValue: 10,
    disableScaleIn: true,
  });
  assert.equal(low, undefined);
  assert.deepEqual(high.Metrics, [{
    Id: "m1",
    MetricStat: { Metric: {}, Stat: "Sum", Period: 60 },
    ReturnData: true,
  }]);
});

Deno.test("targetTrackingCapacity() scales in proportion, from one instance at zero, and only in its direction", () => {
  const out = (current: number, metricValue: number) =>
    targetTrackingCapacity({ current, metricValue, targetValue: 5, direction: "out" });
  const scaleIn = (current: number, metricValue: number) =>
    targetTrackingCapacity({ current, metricValue, targetValue: 5, direction: "in" });
  assert.equal(out(2, 12), 5);
  assert.equal(out(0, 6), 2);
  assert.equal(out(0, 40), 8);
  assert.equal(out(3, 5), undefined);
  assert.equal(out(0, 4), 1);
  assert.equal(scaleIn(4, 2), 2);
  assert.equal(scaleIn(5, 0), 0);
  assert.equal(scaleIn(1, 4), undefined);
  assert.equal(scaleIn(0, 1), undefined);
});
