import assert from "node:assert/strict";
import { ListEndpointsCommand } from "@aws-sdk/client-sagemaker";
import { openTarget } from "../../cli/target.ts";
import { ManualEmulatorClock } from "../../emulator/clock.ts";
import { startEmulator } from "../../emulator/start.ts";

Deno.test("openTarget() on AWS needs a region and ignores AWS_ENDPOINT_URL", async () => {
  await assert.rejects(
    openTarget({ target: "aws", env: {} }),
    (e: unknown) => e instanceof TypeError && /set AWS_REGION/.test(e.message),
  );
  await using target = await openTarget({
    target: "aws",
    env: { AWS_REGION: "eu-west-1", AWS_ENDPOINT_URL: "http://127.0.0.1:4566" },
  });
  assert.equal(target.kind, "aws");
  assert.equal(target.region, "eu-west-1");
  assert.equal(target.clients.endpoint, undefined);
  assert.equal(target.describe(), "AWS eu-west-1");
});

Deno.test("openTarget() refuses a target that is neither local nor aws", async () => {
  await assert.rejects(
    openTarget({ env: { SAGEMAKER_ASYNC_TARGET: "gcp" } }),
    /Invalid target "gcp": must be "local" or "aws"/,
  );
});

Deno.test("openTarget() reads the execution role from SAGEMAKER_ASYNC_ROLE_ARN", async () => {
  const role = "arn:aws:iam::123456789012:role/SageMakerExecution";
  await using target = await openTarget({
    target: "aws",
    env: { AWS_REGION: "us-east-1", SAGEMAKER_ASYNC_ROLE_ARN: role },
  });
  assert.equal(target.executionRoleArn, role);
});

Deno.test("openTarget() connects to a running emulator and follows its clock and region", async () => {
  const clock = new ManualEmulatorClock({ start: Date.UTC(2026, 3, 1) });
  await using running = await startEmulator({ clock, region: "eu-central-1" });
  await using target = await openTarget({ env: { AWS_ENDPOINT_URL: running.endpoint } });
  assert.equal(target.kind, "emulator");
  assert.equal(target.region, "eu-central-1");
  assert.equal(target.emulator, undefined);
  assert.ok(Math.abs(target.clock.now() - Date.UTC(2026, 3, 1)) < 60_000);
  const { Endpoints } = await target.clients.sagemaker.send(new ListEndpointsCommand({}));
  assert.deepEqual(Endpoints, []);
});

Deno.test("openTarget() without a running emulator says how to start one when not starting in-process", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`;
  listener.close();
  await assert.rejects(
    openTarget({ startInProcess: false, endpointUrl: url, env: {} }),
    (e: unknown) =>
      e instanceof TypeError && e.message.includes(`No emulator answers at ${url}`) &&
      e.message.includes("deno task emulator"),
  );
});

Deno.test("openTarget() starts an in-process emulator with the time scale and stops it on close", async () => {
  const target = await openTarget({ timeScale: 500, env: {} });
  assert.equal(target.kind, "emulator-in-process");
  assert.match(target.describe(), /in-process, 500x/);
  assert.equal(target.emulator?.clock.timeScale, 500);
  const { Endpoints } = await target.clients.sagemaker.send(new ListEndpointsCommand({}));
  assert.deepEqual(Endpoints, []);
  await target.close();
  await target.close();
  await assert.rejects(fetch(`${target.endpointUrl}/_emulator/health`));
});

Deno.test("openTarget() refuses an invalid SAGEMAKER_ASYNC_TIME_SCALE", async () => {
  await assert.rejects(
    openTarget({ env: { SAGEMAKER_ASYNC_TIME_SCALE: "fast" } }),
    (e: unknown) => e instanceof RangeError && /SAGEMAKER_ASYNC_TIME_SCALE "fast"/.test(e.message),
  );
});
