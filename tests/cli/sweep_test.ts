import assert from "node:assert/strict";
import { ListEndpointsCommand } from "@aws-sdk/client-sagemaker";
import { main } from "../../cli/sweep.ts";
import { captureIo, deployWithTask, NO_DEADLINE, startTaskEnv } from "./_task_env.ts";

Deno.test("deno task sweep --help exits 0 and lists --older-than and --dry-run", async () => {
  const { io, output } = captureIo({});
  assert.equal(await main(["--help"], io), 0);
  assert.match(output.out, /--older-than/);
  assert.match(output.out, /--dry-run/);
});

Deno.test("deno task sweep exits 2 naming a bad --older-than", async () => {
  const { io, output } = captureIo({});
  assert.equal(await main(["--older-than", "two hours"], io), 2);
  assert.match(output.err, /Invalid --older-than "two hours"/);
});

Deno.test("deno task sweep lists with --dry-run, keeps recent ones with --older-than, then removes every deployment", async () => {
  await using env = await startTaskEnv();
  await deployWithTask(env, "first");
  await deployWithTask(env, "second");
  const endpoints = async () =>
    ((await env.clients.sagemaker.send(new ListEndpointsCommand({}))).Endpoints ?? [])
      .map((e) => e.EndpointName).sort();

  const dry = captureIo(env.env);
  assert.equal(await main(["--dry-run"], dry.io), 0, dry.output.err);
  assert.equal(dry.output.out.match(/would-delete/g)?.length, 2);
  assert.deepEqual(await endpoints(), ["first", "second"]);

  const recent = captureIo(env.env);
  assert.equal(await main(["--older-than", "1d"], recent.io), 0, recent.output.err);
  assert.equal(recent.output.out.match(/too-recent/g)?.length, 2);
  assert.deepEqual(await endpoints(), ["first", "second"]);

  const all = captureIo(env.env);
  assert.equal(await main([...NO_DEADLINE], all.io), 0, all.output.err);
  assert.equal(all.output.out.match(/\bdeleted\b/g)?.length, 2);
  assert.deepEqual(await endpoints(), []);

  const empty = captureIo(env.env);
  assert.equal(await main([], empty.io), 0);
  assert.match(empty.output.out, /No deployments made by this toolkit/);
});
