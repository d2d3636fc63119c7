import assert from "node:assert/strict";
import { capacity, startAutoScaling, T0, TARGET } from "./_autoscaling.ts";

Deno.test("RegisterScalableTarget registers a variant and updates only the limits given", async () => {
  await using env = await startAutoScaling();
  const { ScalableTargetARN } = await env.ok("RegisterScalableTarget", {
    ...TARGET,
    MinCapacity: 0,
    MaxCapacity: 5,
  });
  assert.match(
    ScalableTargetARN,
    /^arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target\/[0-9a-f]{32}$/,
  );
  await env.ok("RegisterScalableTarget", { ...TARGET, MaxCapacity: 3 });
  const { ScalableTargets } = await env.ok("DescribeScalableTargets", {
    ServiceNamespace: "sagemaker",
  });
  assert.deepEqual(ScalableTargets, [{
    ...TARGET,
    MinCapacity: 0,
    MaxCapacity: 3,
    RoleARN: "arn:aws:iam::123456789012:role/aws-service-role/sagemaker.application-autoscaling." +
      "amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint",
    CreationTime: T0 / 1000,
    SuspendedState: {
      DynamicScalingInSuspended: false,
      DynamicScalingOutSuspended: false,
      ScheduledScalingSuspended: false,
    },
    ScalableTargetARN,
  }]);
});

Deno.test("RegisterScalableTarget moves capacity inside new limits at once", async () => {
  await using env = await startAutoScaling((fake) => fake.createEndpoint("e1", { instances: 3 }));
  await env.ok("RegisterScalableTarget", { ...TARGET, MinCapacity: 0, MaxCapacity: 2 });
  assert.equal(capacity(env)[0], 2);
  const [activity] = env.aas.activities(false);
  assert.equal(activity?.Description, "Setting desired instance count to 2.");
  assert.equal(activity?.Cause, "maximum capacity was set to 2");
});

Deno.test("RegisterScalableTarget rejects missing endpoints, bad limits and real-time endpoints at zero", async () => {
  await using env = await startAutoScaling((fake) => {
    fake.createEndpoint("e1");
    fake.createEndpoint("rt", { async: false });
  });
  const register = (body: Record<string, unknown>) =>
    env.call("RegisterScalableTarget", { ...TARGET, MinCapacity: 0, MaxCapacity: 2, ...body });
  const missing = await register({ ResourceId: "endpoint/nope/variant/AllTraffic" });
  assert.equal(missing.status, 400);
  assert.deepEqual(missing.body, {
    __type: "ValidationException",
    Message: 'Could not find endpoint "nope" with variant "AllTraffic".',
  });
  assert.equal(
    (await register({ ResourceId: "endpoint/e1/variant/Other" })).body.__type,
    "ValidationException",
  );
  assert.equal(
    (await register({ MinCapacity: 3 })).body.Message,
    "Minimum capacity (3) cannot be greater than maximum capacity (2)",
  );
  assert.equal(
    (await register({ ResourceId: "endpoint/rt/variant/AllTraffic" })).body.Message,
    "MinCapacity 0 is only supported for asynchronous endpoints; endpoint rt has no " +
      "AsyncInferenceConfig",
  );
  assert.equal(
    (await register({ ServiceNamespace: "ecs", ScalableDimension: "ecs:service:DesiredCount" }))
      .body
      .Message,
    "This emulator models only ServiceNamespace sagemaker with ScalableDimension " +
      "sagemaker:variant:DesiredInstanceCount; got ecs / ecs:service:DesiredCount",
  );
  assert.equal(
    (await register({ ServiceNamespace: "s3" })).body.Message,
    "1 validation error detected: Value 's3' at 'serviceNamespace' failed to satisfy constraint: " +
      "Member must satisfy enum value set: [ecs, elasticmapreduce, ec2, appstream, dynamodb, rds, " +
      "sagemaker, custom-resource, comprehend, lambda, cassandra, kafka, elasticache, neptune, " +
      "workspaces]",
  );
  assert.equal(
    (await register({ ResourceId: "endpoint/e1" })).body.Message,
    "Unsupported resource ID endpoint/e1 for scalable dimension " +
      "sagemaker:variant:DesiredInstanceCount: expected endpoint/<EndpointName>/variant/<VariantName>",
  );
  const noLimits = await env.call("RegisterScalableTarget", TARGET);
  assert.equal(
    noLimits.body.Message,
    "MinCapacity and MaxCapacity are required to register a new scalable target",
  );
  assert.deepEqual(env.aas.targets(), []);
});
