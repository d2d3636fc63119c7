import assert from "node:assert/strict";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { ManualEmulatorClock } from "../../emulator/clock.ts";
import { startEmulator } from "../../emulator/start.ts";

Deno.test("startEmulator() returns endpoint, identity, clock, client config and env for clients", async () => {
  const clock = new ManualEmulatorClock();
  await using running = await startEmulator({
    clock,
    accountId: "111122223333",
    region: "eu-west-1",
  });
  assert.match(running.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(running.clock, clock);
  assert.equal(running.accountId, "111122223333");
  assert.deepEqual(running.clientConfig(), {
    endpoint: running.endpoint,
    region: "eu-west-1",
    credentials: running.credentials,
    forcePathStyle: true,
  });
  assert.deepEqual(running.env(), {
    AWS_ENDPOINT_URL: running.endpoint,
    AWS_REGION: "eu-west-1",
    AWS_DEFAULT_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: running.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: running.credentials.secretAccessKey,
  });
  const sts = new STSClient(running.clientConfig());
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, "111122223333");
  } finally {
    sts.destroy();
  }
});

Deno.test("RunningEmulator.close() stops the server and the core, and can be called twice", async () => {
  const running = await startEmulator({ clock: new ManualEmulatorClock() });
  await running.close();
  await running[Symbol.asyncDispose]();
  await assert.rejects(fetch(`${running.endpoint}/_emulator/health`), TypeError);
});

Deno.test("startEmulator() rejects an invalid account id with a RangeError", async () => {
  await assert.rejects(
    startEmulator({ clock: new ManualEmulatorClock(), accountId: "12" }),
    /Invalid account id "12": must be 12 digits/,
  );
});

Deno.test("startEmulator({ dataDir }) keeps state in that directory across restarts", async () => {
  const dir = await Deno.makeTempDir();
  try {
    {
      await using first = await startEmulator({
        clock: new ManualEmulatorClock(),
        dataDir: dir,
        auth: false,
      });
      const created = await fetch(`${first.endpoint}/kept-bucket/`, { method: "PUT" });
      await created.body?.cancel();
      assert.equal(created.status, 200);
    }
    await using second = await startEmulator({ clock: new ManualEmulatorClock(), dataDir: dir });
    assert.equal(second.emulator.context.s3!.bucketExists("kept-bucket"), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
