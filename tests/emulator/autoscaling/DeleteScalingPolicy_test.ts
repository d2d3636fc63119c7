import assert from "node:assert/strict";
import {
  ADD_ONE_INSTANCE,
  putStep,
  putTargetTracking,
  register,
  startAutoScaling,
  TARGET,
} from "./_autoscaling.ts";

Deno.test("DeleteScalingPolicy removes the policy and the alarms target tracking created", async () => {
  await using env = await startAutoScaling();
  await register(env, 0, 5);
  const { Alarms } = await putTargetTracking(env);
  await putStep(env, "wake", ADD_ONE_INSTANCE);
  assert.equal(env.cloudwatch.alarms().length, 2);
  await env.ok("DeleteScalingPolicy", { ...TARGET, PolicyName: "tt" });
  for (const alarm of Alarms) assert.equal(env.cloudwatch.alarm(alarm.AlarmName), undefined);
  assert.deepEqual(env.aas.policies().map((p) => p.PolicyName), ["wake"]);
  const again = await env.call("DeleteScalingPolicy", { ...TARGET, PolicyName: "tt" });
  assert.equal(again.status, 400);
  assert.deepEqual(again.body, {
    __type: "ObjectNotFoundException",
    Message: "No scaling policy found for service namespace: sagemaker, resource ID: " +
      "endpoint/e1/variant/AllTraffic, scalable dimension: sagemaker:variant:DesiredInstanceCount, " +
      "policy name: tt",
  });
});
