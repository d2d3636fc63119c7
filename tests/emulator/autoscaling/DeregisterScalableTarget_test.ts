import assert from "node:assert/strict";
import {
  ADD_ONE_INSTANCE,
  putStep,
  putTargetTracking,
  putUserAlarm,
  register,
  startAutoScaling,
  TARGET,
} from "./_autoscaling.ts";

Deno.test("DeregisterScalableTarget removes the target, its policies and target tracking's alarms", async () => {
  await using env = await startAutoScaling();
  await register(env, 0, 5);
  await putTargetTracking(env);
  const step = await putStep(env, "wake", ADD_ONE_INSTANCE);
  putUserAlarm(env, { name: "users-alarm", policyArn: step });
  assert.deepEqual(await env.ok("DeregisterScalableTarget", TARGET), {});
  assert.deepEqual(env.aas.targets(), []);
  assert.deepEqual(env.aas.policies(), []);
  assert.deepEqual(env.cloudwatch.alarms().map((a) => a.AlarmName), ["users-alarm"]);
  const again = await env.call("DeregisterScalableTarget", TARGET);
  assert.deepEqual(again.body, {
    __type: "ObjectNotFoundException",
    Message: "No scalable target registered for service namespace: sagemaker, resource ID: " +
      "endpoint/e1/variant/AllTraffic, scalable dimension: sagemaker:variant:DesiredInstanceCount",
  });
});
