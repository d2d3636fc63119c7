import assert from "node:assert/strict";
import { capacity, startAutoScaling, TARGET } from "./_autoscaling.ts";

Deno.test("DescribeScalingActivities lists changes newest first, per target", async () => {
  await using env = await startAutoScaling((fake) => {
    fake.createEndpoint("e1", { instances: 3 });
    fake.createEndpoint("e2", { instances: 3 });
  });
  await env.ok("RegisterScalableTarget", { ...TARGET, MinCapacity: 0, MaxCapacity: 2 });
  await env.ok("RegisterScalableTarget", {
    ...TARGET,
    ResourceId: "endpoint/e2/variant/AllTraffic",
    MinCapacity: 0,
    MaxCapacity: 1,
  });
  await env.ok("RegisterScalableTarget", { ...TARGET, MaxCapacity: 1 });
  assert.equal(capacity(env)[0], 1);
  const mine = await env.ok("DescribeScalingActivities", {
    ServiceNamespace: "sagemaker",
    ResourceId: TARGET.ResourceId,
    ScalableDimension: TARGET.ScalableDimension,
  });
  assert.deepEqual(
    mine.ScalingActivities.map((a: { Description: string }) => a.Description),
    ["Setting desired instance count to 1.", "Setting desired instance count to 2."],
  );
  const all = await env.ok("DescribeScalingActivities", {
    ServiceNamespace: "sagemaker",
    MaxResults: 2,
  });
  assert.equal(all.ScalingActivities.length, 2);
  assert.ok(all.NextToken);
  const rest = await env.ok("DescribeScalingActivities", {
    ServiceNamespace: "sagemaker",
    NextToken: all.NextToken,
  });
  assert.equal(rest.ScalingActivities.length, 1);
  const activity = mine.ScalingActivities[0];
  assert.equal(activity.ServiceNamespace, "sagemaker");
  assert.equal(typeof activity.ActivityId, "string");
  assert.equal(typeof activity.StartTime, "number");
  const dimensionOnly = await env.call("DescribeScalingActivities", {
    ServiceNamespace: "sagemaker",
    ScalableDimension: TARGET.ScalableDimension,
  });
  assert.equal(
    dimensionOnly.body.Message,
    "ResourceId is required when ScalableDimension is specified",
  );
});
