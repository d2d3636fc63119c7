import assert from "node:assert/strict";
import { DescribeScalableTargetsCommand } from "@aws-sdk/client-application-auto-scaling";
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeEndpointCommand, ListEndpointsCommand } from "@aws-sdk/client-sagemaker";
import { main } from "../../cli/deploy.ts";
import { captureIo, NO_DEADLINE, printedJson, startTaskEnv } from "./_task_env.ts";

Deno.test("deno task deploy --help lists its flags and exits 0", async () => {
  const { io, output } = captureIo({});
  assert.equal(await main(["--help"], io), 0);
  for (
    const flag of [
      "--model-id",
      "--instance-type",
      "--endpoint-name",
      "--max-capacity",
      "--no-scale-to-zero",
      "--accept-eula",
      "--role-arn",
      "--target",
    ]
  ) {
    assert.ok(output.out.includes(flag), flag);
  }
});

Deno.test("deno task deploy exits 2 naming a bad flag or value", async () => {
  const unknown = captureIo({});
  assert.equal(await main(["--instance", "ml.g5.12xlarge"], unknown.io), 2);
  assert.match(unknown.output.err, /'--instance'/);
  const badNumber = captureIo({});
  assert.equal(await main(["--max-capacity", "many"], badNumber.io), 2);
  assert.match(badNumber.output.err, /Invalid --max-capacity "many"/);
  const conflicting = captureIo({});
  assert.equal(await main(["--no-scale-to-zero", "--max-capacity", "2"], conflicting.io), 2);
  assert.match(conflicting.output.err, /--max-capacity applies to scale-to-zero/);
});

Deno.test("deno task deploy on AWS exits 2 with the fix when the region or the role is missing", async () => {
  const noRegion = captureIo({});
  assert.equal(await main(["--target", "aws"], noRegion.io), 2);
  assert.match(noRegion.output.err, /set AWS_REGION \(or pass --region\)/);
  const noRole = captureIo({ AWS_REGION: "us-east-1" });
  assert.equal(await main(["--target", "aws"], noRole.io), 2);
  assert.match(noRole.output.err, /--role-arn arn:aws:iam::<account>:role\/<name>/);
  assert.match(noRole.output.err, /SAGEMAKER_ASYNC_ROLE_ARN/);
});

Deno.test("deno task deploy rejects an invalid endpoint name with exit 2 before creating anything", async () => {
  await using env = await startTaskEnv();
  const { io, output } = captureIo(env.env);
  assert.equal(await main(["--endpoint-name", "not valid"], io), 2);
  assert.match(output.err, /"not valid"/);
  const { Endpoints } = await env.clients.sagemaker.send(new ListEndpointsCommand({}));
  assert.deepEqual(Endpoints, []);
});

Deno.test("deno task deploy deploys Falcon to the running emulator and enables scale-to-zero", async () => {
  await using env = await startTaskEnv();
  const { io, output } = captureIo(env.env);
  const code = await main([
    "--endpoint-name",
    "falcon",
    "--instance-type",
    "ml.g5.12xlarge",
    "--max-capacity",
    "2",
    "--json",
    ...NO_DEADLINE,
  ], io);
  assert.equal(code, 0, output.err);
  const printed = printedJson(output);
  assert.equal(printed.endpointName, "falcon");
  assert.equal(printed.instanceType, "ml.g5.12xlarge");
  const jumpStart = printed.jumpStartModel as Record<string, string>;
  assert.equal(jumpStart.modelId, "huggingface-llm-falcon-40b-instruct-bf16");
  assert.equal(jumpStart.version, "2.3.22");
  // The emulator has no JumpStart bucket, so `auto` falls back to the offline snapshot and says why.
  assert.equal(jumpStart.source, "snapshot");
  assert.ok(jumpStart.fallbackReason, "the fallback reason is reported");
  assert.match(output.err, /Endpoint falcon: InService/);
  const endpoint = await env.clients.sagemaker.send(
    new DescribeEndpointCommand({ EndpointName: "falcon" }),
  );
  assert.equal(endpoint.EndpointStatus, "InService");
  const { ScalableTargets } = await env.clients.autoscaling.send(
    new DescribeScalableTargetsCommand({ ServiceNamespace: "sagemaker" }),
  );
  assert.deepEqual(
    ScalableTargets?.map((t) => [t.ResourceId, t.MinCapacity, t.MaxCapacity]),
    [["endpoint/falcon/variant/AllTraffic", 0, 2]],
  );
  const { MetricAlarms } = await env.clients.cloudwatch.send(
    new DescribeAlarmsCommand({ AlarmNames: ["falcon-AllTraffic-HasBacklogWithoutCapacity"] }),
  );
  assert.equal(MetricAlarms?.length, 1);
});

Deno.test("deno task deploy --no-scale-to-zero leaves the endpoint without a scalable target", async () => {
  await using env = await startTaskEnv();
  const { io, output } = captureIo(env.env);
  const code = await main(["--endpoint-name", "steady", "--no-scale-to-zero", ...NO_DEADLINE], io);
  assert.equal(code, 0, output.err);
  assert.match(output.out, /scale to zero\s+off/);
  assert.match(output.out, /ml\.g5\.48xlarge/);
  const { ScalableTargets } = await env.clients.autoscaling.send(
    new DescribeScalableTargetsCommand({ ServiceNamespace: "sagemaker" }),
  );
  assert.deepEqual(ScalableTargets, []);
});
