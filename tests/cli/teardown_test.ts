import assert from "node:assert/strict";
import { DescribeScalableTargetsCommand } from "@aws-sdk/client-application-auto-scaling";
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import {
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
} from "@aws-sdk/client-sagemaker";
import { main } from "../../cli/teardown.ts";
import { main as invoke } from "../../cli/invoke.ts";
import { captureIo, deployWithTask, NO_DEADLINE, startTaskEnv, type TaskEnv } from "./_task_env.ts";

async function remaining(env: TaskEnv) {
  const c = env.clients;
  const [endpoints, configs, models, targets, alarms] = await Promise.all([
    c.sagemaker.send(new ListEndpointsCommand({})),
    c.sagemaker.send(new ListEndpointConfigsCommand({})),
    c.sagemaker.send(new ListModelsCommand({})),
    c.autoscaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "sagemaker" })),
    c.cloudwatch.send(new DescribeAlarmsCommand({})),
  ]);
  return [
    ...(endpoints.Endpoints ?? []).map((e) => `endpoint ${e.EndpointName}`),
    ...(configs.EndpointConfigs ?? []).map((e) => `config ${e.EndpointConfigName}`),
    ...(models.Models ?? []).map((m) => `model ${m.ModelName}`),
    ...(targets.ScalableTargets ?? []).map((t) => `target ${t.ResourceId}`),
    ...(alarms.MetricAlarms ?? []).map((a) => `alarm ${a.AlarmName}`),
  ];
}

Deno.test("deno task teardown --help exits 0 and mentions --delete-s3", async () => {
  const { io, output } = captureIo({});
  assert.equal(await main(["--help"], io), 0);
  assert.match(output.out, /--delete-s3/);
});

Deno.test("deno task teardown exits 2 without --endpoint or with a bad --max-wait", async () => {
  const missing = captureIo({});
  assert.equal(await main([], missing.io), 2);
  assert.match(missing.output.err, /Missing --endpoint/);
  const badWait = captureIo({});
  assert.equal(await main(["--endpoint", "falcon", "--max-wait", "forever"], badWait.io), 2);
  assert.match(badWait.output.err, /Invalid --max-wait "forever"/);
});

Deno.test("deno task teardown removes the endpoint and everything made for it, and is safe to repeat", async () => {
  await using env = await startTaskEnv();
  await deployWithTask(env, "falcon");
  assert.ok((await remaining(env)).length >= 5);
  const first = captureIo(env.env);
  assert.equal(await main(["--endpoint", "falcon", ...NO_DEADLINE], first.io), 0, first.output.err);
  for (
    const type of [
      "alarm",
      "scaling-policy",
      "scalable-target",
      "endpoint",
      "endpoint-config",
      "model",
    ]
  ) {
    assert.match(first.output.out, new RegExp(`${type}\\s+\\S+\\s+deleted`), type);
  }
  assert.deepEqual(await remaining(env), []);
  const again = captureIo(env.env);
  assert.equal(await main(["--endpoint", "falcon", ...NO_DEADLINE], again.io), 0, again.output.err);
  assert.doesNotMatch(again.output.out, /\sdeleted/);
  assert.match(again.output.out, /already gone/);
  assert.match(again.output.out, /No endpoint falcon was found/);
});

Deno.test("deno task teardown --delete-s3 also deletes the requests and results", async () => {
  await using env = await startTaskEnv();
  await deployWithTask(env, "falcon");
  const invoked = captureIo(env.env);
  assert.equal(
    await invoke(["--endpoint", "falcon", "--prompt", "hi", "--timeout", "1000h"], invoked.io),
    0,
    invoked.output.err,
  );
  const bucket = `sagemaker-${env.emulator.region}-${env.emulator.accountId}`;
  const count = async () =>
    (await env.clients.s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount ?? 0;
  assert.ok(await count() >= 2, "a request and its result");
  const { io, output } = captureIo(env.env);
  assert.equal(
    await main(["--endpoint", "falcon", "--delete-s3", ...NO_DEADLINE], io),
    0,
    output.err,
  );
  assert.match(output.out, /s3-prefix\s+s3:\/\/\S+\/async-endpoint-inputs\/falcon\/\s+deleted/);
  assert.equal(await count(), 0);
});
