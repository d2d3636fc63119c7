import assert from "node:assert/strict";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
} from "@aws-sdk/client-sagemaker";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { deployAsyncEndpoint, type DeployAsyncEndpointOptions } from "../../lib/deploy.ts";
import { EndpointFailedError, UnsupportedInstanceTypeError } from "../../lib/errors.ts";
import { resolveJumpStartModel } from "../../lib/jumpstart/resolve_model.ts";
import type { ProgressEvent } from "../../lib/progress.ts";
import { ManualClock } from "../../lib/testing/manual_clock.ts";
import { SAGEMAKER_NAME_PATTERN } from "../../lib/validation.ts";
import { acceptTeardown, awsError, couldNotFind, mockedClients } from "./fake_aws.ts";

const ACCOUNT = "123456789012";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/SageMakerExecution`;
const FALCON = "huggingface-llm-falcon-40b-instruct-bf16";

function fakes(region = "us-east-1", endpoint?: string) {
  const mocks = mockedClients(region);
  const { sm, s3m } = mocks;
  const sts = new STSClient({ region });
  const stsm = mockClient(sts);
  stsm.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
  s3m.on(CreateBucketCommand).resolves({});
  sm.on(CreateModelCommand).callsFake(async (input: { ModelName: string }) => {
    await Promise.resolve();
    return { ModelArn: `arn:aws:sagemaker:${region}:${ACCOUNT}:model/${input.ModelName}` };
  });
  sm.on(CreateEndpointConfigCommand).callsFake(async (input: { EndpointConfigName: string }) => {
    await Promise.resolve();
    return {
      EndpointConfigArn:
        `arn:aws:sagemaker:${region}:${ACCOUNT}:endpoint-config/${input.EndpointConfigName}`,
    };
  });
  sm.on(CreateEndpointCommand).callsFake(async (input: { EndpointName: string }) => {
    await Promise.resolve();
    return { EndpointArn: `arn:aws:sagemaker:${region}:${ACCOUNT}:endpoint/${input.EndpointName}` };
  });
  sm.on(DescribeEndpointCommand)
    .resolvesOnce({ EndpointStatus: "Creating" })
    .resolves({ EndpointStatus: "InService" });
  acceptTeardown(mocks);
  const clients = { ...mocks.clients, sts, ...(endpoint !== undefined && { endpoint }) };
  return { ...mocks, clients, stsm };
}

const clock = () => new ManualClock({ start: Date.UTC(2026, 0, 2, 3, 4, 5), autoAdvance: true });

function baseOptions(clients: DeployAsyncEndpointOptions["clients"]): DeployAsyncEndpointOptions {
  return {
    clients,
    executionRoleArn: ROLE,
    jumpStartSource: "snapshot",
    endpointName: "falcon-async",
    deploymentId: "d-1",
    clock: clock(),
  };
}

Deno.test("deployAsyncEndpoint() creates model, config and endpoint as the JumpStart spec says and waits for InService", async () => {
  const { clients, sm, s3m } = fakes();
  const events: ProgressEvent[] = [];
  const d = await deployAsyncEndpoint({
    ...baseOptions(clients),
    instanceType: "ml.g5.12xlarge",
    environment: { MAX_TOTAL_TOKENS: "4096" },
    tags: { team: "research" },
    onProgress: (e) => events.push(e),
  });
  assert.deepEqual(s3m.commandCalls(CreateBucketCommand)[0]!.args[0].input, {
    Bucket: `sagemaker-us-east-1-${ACCOUNT}`,
  });
  const model = sm.commandCalls(CreateModelCommand)[0]!.args[0].input;
  assert.equal(model.ModelName, "falcon-async");
  assert.equal(model.ExecutionRoleArn, ROLE);
  assert.equal(model.EnableNetworkIsolation, true);
  assert.equal(
    model.PrimaryContainer!.Image,
    "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:" +
      "2.1.1-tgi1.4.0-gpu-py310-cu121-ubuntu20.04",
  );
  assert.deepEqual(model.PrimaryContainer!.ModelDataSource, {
    S3DataSource: {
      S3Uri: `s3://jumpstart-cache-prod-us-east-1/huggingface-llm/${FALCON}/artifacts/` +
        "inference-prepack/v1.0.1/",
      S3DataType: "S3Prefix",
      CompressionType: "None",
    },
  });
  assert.equal(model.PrimaryContainer!.ModelDataUrl, undefined);
  const env = model.PrimaryContainer!.Environment!;
  assert.equal(env.SM_NUM_GPUS, "4");
  assert.equal(env.MAX_TOTAL_TOKENS, "4096");
  assert.equal(env.SAGEMAKER_SUBMIT_DIRECTORY, undefined);
  const tags = Object.fromEntries(model.Tags!.map((t) => [t.Key, t.Value]));
  assert.deepEqual(tags, {
    "sagemaker-async:managed": "true",
    "sagemaker-async:deployment-id": "d-1",
    "sagemaker-async:created-at": "2026-01-02T03:04:05.000Z",
    "sagemaker-async:input-prefix":
      `s3://sagemaker-us-east-1-${ACCOUNT}/async-endpoint-inputs/falcon-async`,
    "sagemaker-sdk:jumpstart-model-id": FALCON,
    "sagemaker-sdk:jumpstart-model-version": "2.3.22",
    team: "research",
  });

  const config = sm.commandCalls(CreateEndpointConfigCommand)[0]!.args[0].input;
  assert.deepEqual(config.ProductionVariants, [{
    VariantName: "AllTraffic",
    ModelName: "falcon-async",
    InitialInstanceCount: 1,
    InstanceType: "ml.g5.12xlarge",
    InitialVariantWeight: 1,
  }]);
  assert.deepEqual(config.AsyncInferenceConfig, {
    OutputConfig: {
      S3OutputPath: `s3://sagemaker-us-east-1-${ACCOUNT}/async-endpoint-outputs/falcon-async`,
      S3FailurePath: `s3://sagemaker-us-east-1-${ACCOUNT}/async-endpoint-failures/falcon-async`,
    },
  });
  assert.deepEqual(config.Tags, model.Tags);
  const endpoint = sm.commandCalls(CreateEndpointCommand)[0]!.args[0].input;
  assert.deepEqual(endpoint, {
    EndpointName: "falcon-async",
    EndpointConfigName: "falcon-async",
    Tags: model.Tags,
  });
  assert.equal(sm.commandCalls(DescribeEndpointCommand).length, 2);

  assert.equal(d.deploymentId, "d-1");
  assert.equal(d.accountId, ACCOUNT);
  assert.equal(d.region, "us-east-1");
  assert.equal(d.instanceType, "ml.g5.12xlarge");
  assert.equal(d.variantName, "AllTraffic");
  assert.equal(d.modelArn, `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model/falcon-async`);
  assert.equal(d.endpointArn, `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/falcon-async`);
  assert.equal(
    d.inputPrefix,
    `s3://sagemaker-us-east-1-${ACCOUNT}/async-endpoint-inputs/falcon-async`,
  );
  assert.equal(d.createdAt, "2026-01-02T03:04:05.000Z");
  assert.equal(d.tags.team, "research");
  assert.deepEqual(d.jumpStartModel, { modelId: FALCON, version: "2.3.22", source: "snapshot" });
  assert.deepEqual(
    events.filter((e) => e.type === "resource-created").map((e) =>
      e.type === "resource-created" && [e.resource, e.arn !== undefined]
    ),
    [["model", true], ["endpoint-config", true], ["endpoint", true]],
  );
  assert.deepEqual(
    events.filter((e) => e.type === "endpoint-status").map((e) =>
      e.type === "endpoint-status" && e.status
    ),
    ["Creating", "InService"],
  );
});

Deno.test("deployAsyncEndpoint() sends KMS key, SNS topics and concurrency in AsyncInferenceConfig", async () => {
  const { clients, sm, s3m } = fakes();
  await deployAsyncEndpoint({
    ...baseOptions(clients),
    outputPath: "s3://my-bucket/out",
    failurePath: "s3://my-bucket/fail",
    inputPrefix: "s3://my-bucket/in",
    kmsKeyId: "alias/my-key",
    successTopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:ok`,
    errorTopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:err`,
    includeInferenceResponseIn: ["SUCCESS_NOTIFICATION_TOPIC"],
    maxConcurrentInvocationsPerInstance: 2,
    initialInstanceCount: 2,
    variantName: "Blue",
    containerStartupHealthCheckTimeoutSeconds: 3600,
  });
  const config = sm.commandCalls(CreateEndpointConfigCommand)[0]!.args[0].input;
  assert.deepEqual(config.AsyncInferenceConfig, {
    OutputConfig: {
      S3OutputPath: "s3://my-bucket/out",
      S3FailurePath: "s3://my-bucket/fail",
      KmsKeyId: "alias/my-key",
      NotificationConfig: {
        SuccessTopic: `arn:aws:sns:us-east-1:${ACCOUNT}:ok`,
        ErrorTopic: `arn:aws:sns:us-east-1:${ACCOUNT}:err`,
        IncludeInferenceResponseIn: ["SUCCESS_NOTIFICATION_TOPIC"],
      },
    },
    ClientConfig: { MaxConcurrentInvocationsPerInstance: 2 },
  });
  const variant = config.ProductionVariants![0]!;
  assert.equal(variant.VariantName, "Blue");
  assert.equal(variant.InitialInstanceCount, 2);
  assert.equal(variant.InstanceType, "ml.g5.48xlarge");
  assert.equal(variant.ContainerStartupHealthCheckTimeoutInSeconds, 3600);
  // Explicit paths everywhere: the default bucket is not touched.
  assert.equal(s3m.commandCalls(CreateBucketCommand).length, 0);
  // The custom input prefix is tagged on every resource, so findDeployment can recover it.
  const tagged = [
    sm.commandCalls(CreateModelCommand)[0]!.args[0].input.Tags,
    config.Tags,
    sm.commandCalls(CreateEndpointCommand)[0]!.args[0].input.Tags,
  ];
  for (const tags of tagged) {
    assert.ok(
      tags?.some((t) =>
        t.Key === "sagemaker-async:input-prefix" && t.Value === "s3://my-bucket/in"
      ),
    );
  }
});

Deno.test("deployAsyncEndpoint() outside us-east-1 creates the default bucket with a LocationConstraint and accepts BucketAlreadyOwnedByYou", async () => {
  const { clients, sm, s3m } = fakes("eu-west-1");
  s3m.on(CreateBucketCommand).rejects(awsError("BucketAlreadyOwnedByYou", "already yours"));
  const d = await deployAsyncEndpoint({
    clients,
    executionRoleArn: ROLE,
    model: {
      imageUri: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/my-model:1",
      modelData: { kind: "tarball", s3Uri: "s3://my-models/model.tar.gz" },
      environment: { A: "1" },
    },
    instanceType: "ml.g5.2xlarge",
    endpointName: "mine",
    clock: clock(),
  });
  assert.deepEqual(s3m.commandCalls(CreateBucketCommand)[0]!.args[0].input, {
    Bucket: `sagemaker-eu-west-1-${ACCOUNT}`,
    CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
  });
  const model = sm.commandCalls(CreateModelCommand)[0]!.args[0].input;
  assert.deepEqual(model.PrimaryContainer, {
    Image: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/my-model:1",
    Environment: { A: "1" },
    ModelDataUrl: "s3://my-models/model.tar.gz",
  });
  assert.equal(model.EnableNetworkIsolation, false);
  assert.equal(
    model.Tags!.some((t) => t.Key === "sagemaker-sdk:jumpstart-model-id"),
    false,
  );
  assert.equal(d.jumpStartModel, undefined);
  assert.equal(d.outputPath, `s3://sagemaker-eu-west-1-${ACCOUNT}/async-endpoint-outputs/mine`);
});

Deno.test("deployAsyncEndpoint() derives valid, unique names from the model id", async () => {
  const first = fakes();
  const a = await deployAsyncEndpoint({ ...baseOptions(first.clients), endpointName: undefined });
  const second = fakes();
  const b = await deployAsyncEndpoint({ ...baseOptions(second.clients), endpointName: undefined });
  for (const d of [a, b]) {
    assert.match(
      d.endpointName,
      /^huggingface-llm-falcon-40b-instruct-bf16-20260102-030405-[0-9a-f]{4}$/,
    );
    assert.ok(d.endpointName.length <= 63);
    assert.match(d.endpointName, SAGEMAKER_NAME_PATTERN);
    assert.equal(d.endpointConfigName, d.endpointName);
    assert.equal(d.modelName, d.endpointName);
  }
  assert.notEqual(a.endpointName, b.endpointName);
});

Deno.test("deployAsyncEndpoint() validates every argument before any AWS call", async () => {
  const { clients, sm, s3m, stsm } = fakes();
  const base = baseOptions(clients);
  const cases: [Partial<DeployAsyncEndpointOptions>, RegExp][] = [
    [{ endpointName: "has space" }, /"has space"/],
    [{ endpointName: "x".repeat(64) }, /names must match/],
    [{ variantName: "-x" }, /variant name "-x"/],
    [{ instanceType: "g5.12xlarge" }, /instance type "g5.12xlarge"/],
    [{ outputPath: "https://bucket/out" }, /outputPath "https:\/\/bucket\/out"/],
    [{ failurePath: "s3://Bad_Bucket/f" }, /Bad_Bucket/],
    [{ initialInstanceCount: 0 }, /initialInstanceCount 0/],
    [{ maxConcurrentInvocationsPerInstance: 1001 }, /maxConcurrentInvocationsPerInstance 1001/],
    [{ kmsKeyId: "bad key!" }, /kmsKeyId "bad key!"/],
    [{ successTopicArn: "topic" }, /successTopicArn "topic"/],
    [{ includeInferenceResponseIn: ["BOTH" as never] }, /"BOTH"/],
    [{ executionRoleArn: "role" }, /executionRoleArn "role"/],
    [{ executionRoleArn: undefined }, /executionRoleArn is required on AWS/],
    [{ environment: { "1BAD": "x" } }, /"1BAD"/],
    [{ tags: { "aws:owner": "me" } }, /"aws:owner"/],
    [{ deploymentId: "no spaces allowed!" }, /"no spaces allowed!"/],
    [{ modelDataDownloadTimeoutSeconds: 10 }, /modelDataDownloadTimeoutSeconds 10/],
    [{ model: { imageUri: "img" } }, /custom model needs an instanceType/],
    [{ inputPrefix: `s3://bucket/${"k".repeat(250)}` }, /inputPrefix .*at most 256 characters/],
  ];
  for (const [override, message] of cases) {
    await assert.rejects(
      deployAsyncEndpoint({ ...base, ...override }),
      (error: unknown) => {
        assert.ok(error instanceof TypeError || error instanceof RangeError, String(error));
        assert.match(error.message, message);
        return true;
      },
      JSON.stringify(override),
    );
  }
  assert.equal(sm.calls().length, 0);
  assert.equal(s3m.calls().length, 0);
  assert.equal(stsm.calls().length, 0);
});

Deno.test("deployAsyncEndpoint() rejects an unsupported instance type before creating anything", async () => {
  const { clients, sm } = fakes();
  await assert.rejects(
    deployAsyncEndpoint({ ...baseOptions(clients), instanceType: "ml.g5.2xlarge" }),
    UnsupportedInstanceTypeError,
  );
  assert.equal(sm.calls().length, 0);
});

Deno.test("deployAsyncEndpoint() explains the EULA and stops before any call unless acceptEula is true", async () => {
  const { clients, sm, stsm } = fakes();
  const resolved = await resolveJumpStartModel({
    clients,
    modelId: FALCON,
    source: "snapshot",
    env: {},
  });
  const gated = { ...resolved, requiresEula: true, eulaUri: "s3://content/eula.txt" };
  await assert.rejects(
    deployAsyncEndpoint({ ...baseOptions(clients), jumpStartSource: undefined, model: gated }),
    {
      name: "TypeError",
      message: /license agreement \(s3:\/\/content\/eula.txt\).*acceptEula: true/,
    },
  );
  assert.equal(sm.calls().length + stsm.calls().length, 0);
  await assert.rejects(
    deployAsyncEndpoint({
      ...baseOptions(clients),
      jumpStartSource: undefined,
      model: { ...gated, region: "eu-west-1" },
      acceptEula: true,
    }),
    { name: "TypeError", message: /resolved for region eu-west-1, but the clients use us-east-1/ },
  );
  assert.equal(sm.calls().length + stsm.calls().length, 0);
  await deployAsyncEndpoint({
    ...baseOptions(clients),
    jumpStartSource: undefined,
    model: gated,
    acceptEula: true,
  });
  const source = sm.commandCalls(CreateModelCommand)[0]!.args[0].input.PrimaryContainer!
    .ModelDataSource!.S3DataSource!;
  assert.deepEqual(source.ModelAccessConfig, { AcceptEula: true });
});

Deno.test("deployAsyncEndpoint() against a custom endpoint needs no execution role", async () => {
  const { clients, sm } = fakes("us-east-1", "http://127.0.0.1:4566");
  await deployAsyncEndpoint({ ...baseOptions(clients), executionRoleArn: undefined });
  assert.equal(sm.commandCalls(CreateModelCommand)[0]!.args[0].input.ExecutionRoleArn, undefined);
});

Deno.test("deployAsyncEndpoint() deletes what it created and rethrows when the endpoint fails", async () => {
  const { clients, sm } = fakes();
  sm.on(DescribeEndpointCommand).resolves({
    EndpointStatus: "Failed",
    FailureReason: "Image pull failed",
  });
  await assert.rejects(deployAsyncEndpoint(baseOptions(clients)), (error: unknown) => {
    assert.ok(error instanceof EndpointFailedError);
    assert.equal(error.failureReason, "Image pull failed");
    return true;
  });
  assert.equal(
    sm.commandCalls(DeleteEndpointCommand)[0]!.args[0].input.EndpointName,
    "falcon-async",
  );
  assert.equal(
    sm.commandCalls(DeleteEndpointConfigCommand)[0]!.args[0].input.EndpointConfigName,
    "falcon-async",
  );
  assert.equal(sm.commandCalls(DeleteModelCommand)[0]!.args[0].input.ModelName, "falcon-async");
  const order = sm.calls().map((c) =>
    (c.args[0] as { constructor: { name: string } }).constructor.name
  )
    .filter((n) => n.startsWith("Delete"));
  assert.deepEqual(order, [
    "DeleteEndpointCommand",
    "DeleteEndpointConfigCommand",
    "DeleteModelCommand",
  ]);
});

Deno.test("deployAsyncEndpoint() rethrows a failed CreateEndpointConfig unchanged after deleting the model", async () => {
  const { clients, sm } = fakes();
  const limit = awsError("ResourceLimitExceeded", "Too many endpoint configs");
  sm.on(CreateEndpointConfigCommand).rejects(limit);
  await assert.rejects(
    deployAsyncEndpoint(baseOptions(clients)),
    (error: unknown) => error === limit,
  );
  assert.equal(sm.commandCalls(DeleteModelCommand).length, 1);
  assert.equal(sm.commandCalls(DeleteEndpointConfigCommand).length, 0);
  assert.equal(sm.commandCalls(DeleteEndpointCommand).length, 0);
});

Deno.test("deployAsyncEndpoint() throws an AggregateError naming what it could not delete", async () => {
  const { clients, sm } = fakes();
  const failure = awsError("ValidationException", "Cannot create already existing endpoint");
  const stuck = awsError("ThrottlingException", "Rate exceeded");
  sm.on(CreateEndpointCommand).rejects(failure);
  sm.on(DeleteModelCommand).rejects(stuck);
  await assert.rejects(deployAsyncEndpoint(baseOptions(clients)), (error: unknown) => {
    assert.ok(error instanceof AggregateError);
    assert.deepEqual(error.errors, [failure, stuck]);
    assert.equal(error.cause, failure);
    assert.match(error.message, /model falcon-async could not be deleted/);
    return true;
  });
  assert.equal(sm.commandCalls(DeleteEndpointConfigCommand).length, 1);
});

Deno.test("deployAsyncEndpoint() aborted while waiting removes what it created and rejects with the reason", async () => {
  const { clients, sm } = fakes();
  sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: "Creating" });
  const manual = new ManualClock({ start: 0 });
  const controller = new AbortController();
  const reason = new Error("changed my mind");
  const pending = deployAsyncEndpoint({
    ...baseOptions(clients),
    clock: manual,
    signal: controller.signal,
  });
  await manual.advanceUntil(() => manual.pendingSleeps > 0, { stepMs: 1 });
  controller.abort(reason);
  await assert.rejects(pending, (error: unknown) => error === reason);
  assert.equal(sm.commandCalls(DeleteEndpointCommand).length, 1);
  assert.equal(sm.commandCalls(DeleteModelCommand).length, 1);
});

Deno.test("deployAsyncEndpoint() with waitForInService: false returns without polling", async () => {
  const { clients, sm } = fakes();
  await deployAsyncEndpoint({ ...baseOptions(clients), waitForInService: false });
  assert.equal(sm.commandCalls(DescribeEndpointCommand).length, 0);
});

Deno.test("deployAsyncEndpoint() result tears the deployment down on await using", async () => {
  const { clients, sm } = fakes();
  sm.on(DescribeEndpointCommand)
    .resolvesOnce({ EndpointStatus: "Creating" })
    .resolvesOnce({ EndpointStatus: "InService" })
    .resolvesOnce({ EndpointStatus: "InService", EndpointConfigName: "falcon-async" })
    .rejects(couldNotFind("endpoint"));
  {
    await using d = await deployAsyncEndpoint(baseOptions(clients));
    assert.equal(d.endpointName, "falcon-async");
    assert.equal(sm.commandCalls(DeleteEndpointCommand).length, 0);
  }
  assert.equal(sm.commandCalls(DeleteEndpointCommand).length, 1);
  assert.equal(sm.commandCalls(DeleteEndpointConfigCommand).length, 1);
  assert.equal(sm.commandCalls(DeleteModelCommand).length, 1);
});
