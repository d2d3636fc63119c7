/**
 * The AWS CLI (v1, botocore) against the emulator: `s3` high-level commands
 * and `s3api`/`sts` calls, signed with SigV4 and sent over HTTP exactly as
 * it would to AWS. Skipped, with the reason printed, where `aws` is absent.
 */
import assert from "node:assert/strict";
import { externalClientAvailable, startAwsCli } from "./_external_clients.ts";
import { startContractEnv } from "./_harness.ts";

const hasCli = await externalClientAvailable("aws", "aws_cli_test");

Deno.test({
  name: "the AWS CLI makes a bucket, copies a file in and out, lists and removes it",
  ignore: !hasCli,
  async fn() {
    await using env = await startContractEnv();
    await using cli = await startAwsCli(env);
    const { home, json } = cli;
    await Deno.writeTextFile(`${home}/in.json`, '{"inputs":"Hello"}');
    await cli.run(["s3", "mb", "s3://cli-bucket"]);
    await cli.run(["s3", "cp", `${home}/in.json`, "s3://cli-bucket/inputs/in.json"]);
    const listed = await cli.run(["s3", "ls", "s3://cli-bucket/inputs/"]);
    assert.match(listed, /\s18 in\.json/);
    await cli.run(["s3", "cp", "s3://cli-bucket/inputs/in.json", `${home}/out.json`]);
    assert.equal(await Deno.readTextFile(`${home}/out.json`), '{"inputs":"Hello"}');
    const stored = await env.emulator.emulator.context.s3!.getObject(
      "cli-bucket",
      "inputs/in.json",
    );
    assert.equal(new TextDecoder().decode(stored?.body), '{"inputs":"Hello"}');
    await cli.run(["s3", "rm", "s3://cli-bucket/inputs/in.json"]);
    const left = await json(["s3api", "list-objects-v2", "--bucket", "cli-bucket"]);
    assert.equal(left.Contents, undefined, JSON.stringify(left));
    await cli.run(["s3", "rb", "s3://cli-bucket"]);
    const buckets = await json(["s3api", "list-buckets"]);
    assert.deepEqual(buckets.Buckets, []);
  },
});

Deno.test({
  name: "the AWS CLI's s3api and sts calls parse the emulator's replies and errors",
  ignore: !hasCli,
  async fn() {
    await using env = await startContractEnv();
    await using cli = await startAwsCli(env);
    const { home, json } = cli;
    await cli.run(["s3api", "create-bucket", "--bucket", "api-bucket"]);
    await Deno.writeTextFile(`${home}/body.txt`, "0123456789");
    const put = await json([
      "s3api",
      "put-object",
      "--bucket",
      "api-bucket",
      "--key",
      "dir/a b.txt",
      "--body",
      `${home}/body.txt`,
      "--content-type",
      "text/plain",
      "--metadata",
      "stage=raw",
    ]);
    assert.equal(put.ETag, '"781e5e245d69b566979b86e28d23f2c7"');
    const head = await json([
      "s3api",
      "head-object",
      "--bucket",
      "api-bucket",
      "--key",
      "dir/a b.txt",
    ]);
    assert.equal(head.ContentLength, 10);
    assert.equal(head.ContentType, "text/plain");
    assert.deepEqual(head.Metadata, { stage: "raw" });
    const ranged = await json([
      "s3api",
      "get-object",
      "--bucket",
      "api-bucket",
      "--key",
      "dir/a b.txt",
      "--range",
      "bytes=2-4",
      `${home}/part.txt`,
    ]);
    assert.equal(ranged.ContentRange, "bytes 2-4/10");
    assert.equal(await Deno.readTextFile(`${home}/part.txt`), "234");
    const listed = await json([
      "s3api",
      "list-objects-v2",
      "--bucket",
      "api-bucket",
      "--delimiter",
      "/",
    ]);
    assert.deepEqual(listed.CommonPrefixes, [{ Prefix: "dir/" }]);
    const deleted = await json([
      "s3api",
      "delete-objects",
      "--bucket",
      "api-bucket",
      "--delete",
      '{"Objects":[{"Key":"dir/a b.txt"}]}',
    ]);
    assert.deepEqual(deleted.Deleted, [{ Key: "dir/a b.txt" }]);
    const missing = await cli.fail(
      ["s3api", "get-object", "--bucket", "api-bucket", "--key", "nope", `${home}/x`],
    );
    assert.match(missing, /NoSuchKey/);
    const identity = await json(["sts", "get-caller-identity"]);
    assert.equal(identity.Account, env.emulator.accountId);
    const wrong = await cli.fail(["sts", "get-caller-identity"], {
      env: { AWS_SECRET_ACCESS_KEY: "wrong" },
    });
    assert.match(wrong, /SignatureDoesNotMatch/);
  },
});

Deno.test({
  name: "the AWS CLI deploys an async endpoint, invokes it and finds the output where it was told",
  ignore: !hasCli,
  async fn() {
    await using env = await startContractEnv();
    await using cli = await startAwsCli(env);
    const { home, json } = cli;
    await Deno.writeTextFile(
      `${home}/prompt.json`,
      '{"inputs":"Hello, world","parameters":{"max_new_tokens":8}}',
    );
    await cli.run(["s3", "mb", "s3://demo"]);
    await cli.run(["s3", "cp", `${home}/prompt.json`, "s3://demo/in/prompt.json"]);
    await json([
      "sagemaker",
      "create-model",
      "--model-name",
      "m1",
      "--execution-role-arn",
      "arn:aws:iam::123456789012:role/r",
      "--primary-container",
      "Image=763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:" +
      "2.1.1-tgi1.4.0-gpu-py310-cu121-ubuntu20.04",
    ]);
    await json([
      "sagemaker",
      "create-endpoint-config",
      "--endpoint-config-name",
      "c1",
      "--production-variants",
      "VariantName=AllTraffic,ModelName=m1,InstanceType=ml.g5.12xlarge,InitialInstanceCount=1",
      "--async-inference-config",
      '{"OutputConfig":{"S3OutputPath":"s3://demo/out/","S3FailurePath":"s3://demo/fail/"}}',
    ]);
    await json([
      "sagemaker",
      "create-endpoint",
      "--endpoint-name",
      "e1",
      "--endpoint-config-name",
      "c1",
    ]);
    await env.clock.advance(60 * 60_000);
    const described = await json(["sagemaker", "describe-endpoint", "--endpoint-name", "e1"]);
    assert.equal(described.EndpointStatus, "InService");
    const invoked = await json([
      "sagemaker-runtime",
      "invoke-endpoint-async",
      "--endpoint-name",
      "e1",
      "--input-location",
      "s3://demo/in/prompt.json",
      "--content-type",
      "application/json",
    ]);
    assert.match(invoked.OutputLocation, /^s3:\/\/demo\/out\/.+\.out$/);
    await env.clock.advance(10 * 60_000);
    await cli.run(["s3", "cp", invoked.OutputLocation, `${home}/out.json`]);
    const output = JSON.parse(await Deno.readTextFile(`${home}/out.json`));
    assert.equal(typeof output[0]?.generated_text, "string");
  },
});
