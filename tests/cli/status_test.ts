import assert from "node:assert/strict";
import { main } from "../../cli/status.ts";
import { captureIo, deployWithTask, printedJson, startTaskEnv } from "./_task_env.ts";

Deno.test("deno task status --help exits 0 and names --endpoint", async () => {
  const { io, output } = captureIo({});
  assert.equal(await main(["--help"], io), 0);
  assert.match(output.out, /--endpoint NAME/);
});

Deno.test("deno task status exits 2 without --endpoint, and for an unknown flag", async () => {
  const missing = captureIo({});
  assert.equal(await main([], missing.io), 2);
  assert.match(missing.output.err, /Missing --endpoint/);
  const unknown = captureIo({});
  assert.equal(await main(["--endpoint", "falcon", "--verbose"], unknown.io), 2);
  assert.match(unknown.output.err, /'--verbose'/);
});

Deno.test("deno task status exits 1 for an endpoint that does not exist", async () => {
  await using env = await startTaskEnv();
  const { io, output } = captureIo(env.env);
  assert.equal(await main(["--endpoint", "nowhere"], io), 1);
  assert.match(output.err, /No endpoint nowhere/);
});

Deno.test("deno task status shows instances, backlog, policies and alarm states of a deployed endpoint", async () => {
  await using env = await startTaskEnv();
  await deployWithTask(env, "falcon");
  const { io, output } = captureIo(env.env);
  assert.equal(await main(["--endpoint", "falcon"], io), 0, output.err);
  assert.match(output.out, /Endpoint falcon: InService on ml\.g5\.12xlarge/);
  assert.match(output.out, /AllTraffic\s+1\s+1/);
  assert.match(output.out, /ApproximateBacklogSizePerInstance/);
  assert.match(output.out, /min 0, max 1; scales to zero: yes; wakes on request: yes/);
  assert.match(output.out, /HasBacklogWithoutCapacity-ScalingPolicy\s+StepScaling/);
  assert.match(output.out, /falcon-AllTraffic-HasBacklogWithoutCapacity/);
  assert.match(output.out, /TargetTracking-endpoint\/falcon\/variant\/AllTraffic-AlarmHigh/);
});

Deno.test("deno task status --json reports the scale-to-zero state and the latest backlog", async () => {
  await using env = await startTaskEnv();
  await deployWithTask(env, "falcon", ["--no-scale-to-zero"]);
  const { io, output } = captureIo(env.env);
  assert.equal(await main(["--endpoint", "falcon", "--json"], io), 0, output.err);
  const status = printedJson<{
    scaling: { scalesToZero: boolean; endpointStatus: string };
    deployment: { instanceType: string };
    backlog: { backlogSize?: { value: number } };
  }>(output);
  assert.equal(status.scaling.scalesToZero, false);
  assert.equal(status.scaling.endpointStatus, "InService");
  assert.equal(status.deployment.instanceType, "ml.g5.12xlarge");
  assert.equal(status.backlog.backlogSize?.value, 0);
});
