import assert from "node:assert/strict";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
} from "@aws-sdk/client-sagemaker";
import { main } from "../../cli/teardown.ts";
import { main as invoke } from "../../cli/invoke.ts";
import { describeLeftovers, findLeftovers } from "../../cli/leftovers.ts";
import { waitForEndpointInService } from "../../lib/wait_for_endpoint.ts";
import { ROLE_ARN, TGI_IMAGE } from "../contract/_sagemaker.ts";
import { captureIo, deployWithTask, NO_DEADLINE, startTaskEnv, type TaskEnv } from "./_task_env.ts";

async function remaining(env: TaskEnv): Promise<string[]> {
  return describeLeftovers(await findLeftovers(env.clients));
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

Deno.test("deno task teardown removes by name an endpoint the toolkit did not deploy, without calling it missing", async () => {
  await using env = await startTaskEnv();
  const sagemaker = env.clients.sagemaker;
  await sagemaker.send(
    new CreateModelCommand({
      ModelName: "plain-model",
      ExecutionRoleArn: ROLE_ARN,
      PrimaryContainer: { Image: TGI_IMAGE },
    }),
  );
  // No S3FailurePath: findDeployment() cannot rebuild a handle for it.
  await sagemaker.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: "plain-config",
      ProductionVariants: [{
        VariantName: "AllTraffic",
        ModelName: "plain-model",
        InstanceType: "ml.g5.12xlarge",
        InitialInstanceCount: 1,
      }],
      AsyncInferenceConfig: { OutputConfig: { S3OutputPath: "s3://results/out" } },
    }),
  );
  await sagemaker.send(
    new CreateEndpointCommand({ EndpointName: "plain", EndpointConfigName: "plain-config" }),
  );
  await waitForEndpointInService({
    clients: env.clients,
    endpointName: "plain",
    clock: env.emulator.clock,
    maxWaitMs: Infinity,
  });
  const { io, output } = captureIo(env.env);
  assert.equal(await main(["--endpoint", "plain", ...NO_DEADLINE], io), 0, output.err);
  for (const type of ["endpoint", "endpoint-config", "model"]) {
    assert.match(output.out, new RegExp(`${type}\\s+plain\\S*\\s+deleted`), type);
  }
  assert.doesNotMatch(output.out, /No endpoint plain was found/);
  assert.deepEqual(await remaining(env), []);
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
