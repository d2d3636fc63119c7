import assert from "node:assert/strict";
import { startAutoScaling } from "./_autoscaling.ts";

Deno.test("the service answers awsJson 1.1 with __type and Message, and rejects unknown operations", async () => {
  await using env = await startAutoScaling();
  const reply = await env.call("DeleteScalingPolicy", {});
  assert.equal(reply.status, 400);
  assert.equal(reply.headers.get("content-type"), "application/x-amz-json-1.1");
  assert.deepEqual(Object.keys(reply.body), ["__type", "Message"]);
  assert.equal(
    reply.body.Message,
    "1 validation error detected: Value null at 'policyName' failed to satisfy constraint: " +
      "Member must not be null",
  );
  const unknown = await env.call("PutScheduledAction", {});
  assert.equal(unknown.body.__type, "UnknownOperationException");
});
