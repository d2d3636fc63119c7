import assert from "node:assert/strict";
import { alarmOnQ, errorOf, startCloudWatch } from "./_cloudwatch.ts";

Deno.test("DeleteAlarms deletes nothing and answers ResourceNotFound when a name is unknown", async () => {
  await using env = await startCloudWatch();
  await env.json("PutMetricAlarm", alarmOnQ("keep"));
  const reply = await env.json("DeleteAlarms", { AlarmNames: ["keep", "ghost"] });
  assert.equal(reply.status, 404);
  assert.deepEqual(errorOf(reply), {
    shape: "ResourceNotFound",
    queryCode: "ResourceNotFound",
    message: "1 of the alarms specified do not exist: ghost",
  });
  assert.ok(env.cloudwatch.alarm("keep"));
  assert.equal((await env.json("DeleteAlarms", { AlarmNames: ["keep"] })).status, 200);
  assert.equal(env.cloudwatch.alarm("keep"), undefined);
  assert.equal(errorOf(await env.json("DeleteAlarms", {})).queryCode, "MissingParameter");
});
