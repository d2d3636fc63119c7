import assert from "node:assert/strict";
import { putStep, register, startAutoScaling, T0, TARGET } from "./_autoscaling.ts";

Deno.test("DescribeScalingPolicies filters by names and pages ten at a time", async () => {
  await using env = await startAutoScaling();
  await register(env, 0, 5);
  for (let i = 0; i < 12; i++) {
    await putStep(env, `p${String(i).padStart(2, "0")}`, {
      AdjustmentType: "ExactCapacity",
      StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
    });
  }
  const first = await env.ok("DescribeScalingPolicies", { ServiceNamespace: "sagemaker" });
  assert.equal(first.ScalingPolicies.length, 10);
  const second = await env.ok("DescribeScalingPolicies", {
    ServiceNamespace: "sagemaker",
    NextToken: first.NextToken,
  });
  assert.equal(second.ScalingPolicies.length, 2);
  const named = await env.ok("DescribeScalingPolicies", {
    ServiceNamespace: "sagemaker",
    ResourceId: TARGET.ResourceId,
    PolicyNames: ["p03"],
  });
  assert.deepEqual(named.ScalingPolicies.map((p: { PolicyName: string }) => p.PolicyName), ["p03"]);
  const [policy] = named.ScalingPolicies;
  assert.equal(policy.PolicyType, "StepScaling");
  assert.equal(policy.CreationTime, T0 / 1000);
  assert.deepEqual(policy.Alarms, []);
  const tooMany = await env.call("DescribeScalingPolicies", {
    ServiceNamespace: "sagemaker",
    MaxResults: 11,
  });
  assert.equal(tooMany.body.__type, "ValidationException");
});
