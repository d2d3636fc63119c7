import assert from "node:assert/strict";
import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  type DescribeEndpointConfigCommandOutput,
  DescribeModelCommand,
  ListTagsCommand,
} from "@aws-sdk/client-sagemaker";
import { findDeployment } from "../../lib/find_deployment.ts";
import { buildDeploymentTags } from "../../lib/tags.ts";
import { ManualClock } from "../../lib/testing/manual_clock.ts";
import { acceptTeardown, awsError, couldNotFind, mockedClients } from "./fake_aws.ts";

const region = "us-east-1";
const ACCOUNT = "123456789012";
const arn = (kind: string, name: string) =>
  `arn:aws:sagemaker:${region}:${ACCOUNT}:${kind}/${name}`;

const CONFIG: DescribeEndpointConfigCommandOutput = {
  $metadata: {},
  EndpointConfigName: "falcon-config",
  EndpointConfigArn: arn("endpoint-config", "falcon-config"),
  ProductionVariants: [{
    VariantName: "AllTraffic",
    ModelName: "falcon-model",
    InstanceType: "ml.g5.12xlarge",
  }],
  AsyncInferenceConfig: {
    OutputConfig: {
      S3OutputPath: "s3://results/out/falcon",
      S3FailurePath: "s3://results/fail/falcon",
    },
  },
  CreationTime: new Date(0),
};

function fakes() {
  const mocks = mockedClients(region);
  const { sm } = mocks;
  sm.on(DescribeEndpointCommand).resolves({
    EndpointName: "falcon",
    EndpointArn: arn("endpoint", "falcon"),
    EndpointConfigName: "falcon-config",
    EndpointStatus: "InService",
    CreationTime: new Date(Date.UTC(2025, 5, 1)),
    LastModifiedTime: new Date(Date.UTC(2025, 5, 1)),
  });
  sm.on(DescribeEndpointConfigCommand).resolves(CONFIG);
  sm.on(DescribeModelCommand).resolves({ ModelArn: arn("model", "falcon-model") });
  sm.on(ListTagsCommand).resolves({
    Tags: buildDeploymentTags({
      deploymentId: "d-42",
      createdAt: Date.UTC(2026, 0, 2, 3, 4, 5),
      jumpStartModelId: "huggingface-llm-falcon-40b-instruct-bf16",
      jumpStartModelVersion: "2.3.22",
    }),
  });
  return mocks;
}

Deno.test("findDeployment() rebuilds the handle from DescribeEndpoint, DescribeEndpointConfig, DescribeModel and ListTags", async () => {
  const { clients } = fakes();
  const found = await findDeployment({ clients, endpointName: "falcon" });
  assert.ok(found);
  const { [Symbol.asyncDispose]: dispose, ...fields } = found;
  assert.equal(typeof dispose, "function");
  assert.deepEqual(fields, {
    deploymentId: "d-42",
    region,
    accountId: ACCOUNT,
    endpointName: "falcon",
    endpointConfigName: "falcon-config",
    modelName: "falcon-model",
    variantName: "AllTraffic",
    instanceType: "ml.g5.12xlarge",
    modelArn: arn("model", "falcon-model"),
    endpointConfigArn: arn("endpoint-config", "falcon-config"),
    endpointArn: arn("endpoint", "falcon"),
    outputPath: "s3://results/out/falcon",
    failurePath: "s3://results/fail/falcon",
    inputPrefix: `s3://sagemaker-${region}-${ACCOUNT}/async-endpoint-inputs/falcon`,
    createdAt: "2026-01-02T03:04:05.000Z",
    tags: {
      "sagemaker-async:managed": "true",
      "sagemaker-async:deployment-id": "d-42",
      "sagemaker-async:created-at": "2026-01-02T03:04:05.000Z",
      "sagemaker-sdk:jumpstart-model-id": "huggingface-llm-falcon-40b-instruct-bf16",
      "sagemaker-sdk:jumpstart-model-version": "2.3.22",
    },
    jumpStartModel: { modelId: "huggingface-llm-falcon-40b-instruct-bf16", version: "2.3.22" },
  });
});

Deno.test("findDeployment() leaves jumpStartModel out without both JumpStart tags", async () => {
  const { clients, sm } = fakes();
  sm.on(ListTagsCommand).resolves({
    Tags: buildDeploymentTags({
      deploymentId: "d-42",
      createdAt: 0,
      jumpStartModelId: "huggingface-llm-falcon-40b-instruct-bf16",
    }),
  });
  const found = await findDeployment({ clients, endpointName: "falcon" });
  assert.ok(found);
  assert.equal(found.jumpStartModel, undefined);
});

Deno.test("findDeployment() recovers a custom input prefix from its tag, escapes undone", async () => {
  const { clients, sm } = fakes();
  const inputPrefix = "s3://my-inputs/runs/date=2026-01-02/(falcon)";
  sm.on(ListTagsCommand).resolves({
    Tags: buildDeploymentTags({ deploymentId: "d-42", createdAt: 0, inputPrefix }),
  });
  const found = await findDeployment({ clients, endpointName: "falcon" });
  assert.equal(found?.inputPrefix, inputPrefix);
  // An explicit option still wins over the tag.
  const given = await findDeployment({
    clients,
    endpointName: "falcon",
    inputPrefix: "s3://elsewhere/in",
  });
  assert.equal(given?.inputPrefix, "s3://elsewhere/in");
});

Deno.test("findDeployment() falls back to the default prefix when the tag is not an s3:// URI", async () => {
  const { clients, sm } = fakes();
  for (const value of ["bucket/key", "s3://bucket/bad=ZZescape"]) {
    sm.on(ListTagsCommand).resolves({
      Tags: [{ Key: "sagemaker-async:input-prefix", Value: value }],
    });
    const found = await findDeployment({ clients, endpointName: "falcon" });
    assert.equal(
      found?.inputPrefix,
      `s3://sagemaker-${region}-${ACCOUNT}/async-endpoint-inputs/falcon`,
      value,
    );
  }
});

Deno.test("findDeployment() resolves undefined when the endpoint does not exist", async () => {
  const { clients, sm } = fakes();
  sm.on(DescribeEndpointCommand).rejects(couldNotFind('endpoint "arn:aws:sagemaker:x"'));
  assert.equal(await findDeployment({ clients, endpointName: "falcon" }), undefined);
  assert.equal(sm.commandCalls(DescribeEndpointConfigCommand).length, 0);
});

Deno.test("findDeployment() passes other SDK errors through unchanged", async () => {
  const { clients, sm } = fakes();
  const denied = awsError("AccessDeniedException", "not authorized");
  sm.on(DescribeEndpointCommand).rejects(denied);
  await assert.rejects(findDeployment({ clients, endpointName: "falcon" }), (e) => e === denied);
});

Deno.test("findDeployment() names an untagged endpoint untagged:<name> and dates it by CreationTime", async () => {
  const { clients, sm } = fakes();
  sm.on(ListTagsCommand).resolves({ Tags: [] });
  const found = await findDeployment({ clients, endpointName: "falcon" });
  assert.equal(found?.deploymentId, "untagged:falcon");
  assert.equal(found?.createdAt, "2025-06-01T00:00:00.000Z");
});

Deno.test("findDeployment() reads every page of ListTags", async () => {
  const { clients, sm } = fakes();
  sm.on(ListTagsCommand)
    .resolvesOnce({ Tags: [{ Key: "team", Value: "research" }], NextToken: "p2" })
    .resolves({ Tags: [{ Key: "sagemaker-async:deployment-id", Value: "d-7" }] });
  const found = await findDeployment({ clients, endpointName: "falcon" });
  assert.equal(found?.deploymentId, "d-7");
  assert.equal(found?.tags.team, "research");
  assert.equal(sm.commandCalls(ListTagsCommand)[1]?.args[0].input.NextToken, "p2");
});

Deno.test("findDeployment() keeps an empty model ARN when the model is already gone", async () => {
  const { clients, sm } = fakes();
  sm.on(DescribeModelCommand).rejects(couldNotFind("model"));
  const found = await findDeployment({ clients, endpointName: "falcon" });
  assert.equal(found?.modelArn, "");
  assert.equal(found?.modelName, "falcon-model");
});

Deno.test("findDeployment() uses the given inputPrefix and variant", async () => {
  const { clients, sm } = fakes();
  sm.on(DescribeEndpointConfigCommand).resolves({
    ...CONFIG,
    ProductionVariants: [
      { VariantName: "AllTraffic", ModelName: "a", InstanceType: "ml.g5.12xlarge" },
      { VariantName: "Canary", ModelName: "b", InstanceType: "ml.g5.48xlarge" },
    ],
  });
  const found = await findDeployment({
    clients,
    endpointName: "falcon",
    variantName: "Canary",
    inputPrefix: "s3://my-inputs/falcon",
  });
  assert.equal(found?.variantName, "Canary");
  assert.equal(found?.modelName, "b");
  assert.equal(found?.instanceType, "ml.g5.48xlarge");
  assert.equal(found?.inputPrefix, "s3://my-inputs/falcon");
});

Deno.test("findDeployment() rejects a variant the endpoint does not have, naming the ones it has", async () => {
  const { clients } = fakes();
  await assert.rejects(
    findDeployment({ clients, endpointName: "falcon", variantName: "Blue" }),
    (e: unknown) =>
      e instanceof TypeError && /"Blue"/.test(e.message) && /AllTraffic/.test(e.message),
  );
});

Deno.test("findDeployment() refuses a real-time endpoint and one without S3FailurePath", async () => {
  const { clients, sm } = fakes();
  sm.on(DescribeEndpointConfigCommand).resolves({ ...CONFIG, AsyncInferenceConfig: undefined });
  await assert.rejects(
    findDeployment({ clients, endpointName: "falcon" }),
    (e: unknown) => e instanceof TypeError && /is not asynchronous/.test(e.message),
  );
  sm.on(DescribeEndpointConfigCommand).resolves({
    ...CONFIG,
    AsyncInferenceConfig: { OutputConfig: { S3OutputPath: "s3://results/out" } },
  });
  await assert.rejects(
    findDeployment({ clients, endpointName: "falcon" }),
    (e: unknown) => e instanceof TypeError && /no S3FailurePath/.test(e.message),
  );
});

Deno.test("findDeployment() checks its arguments before any call", async () => {
  const { clients, sm } = fakes();
  await assert.rejects(
    findDeployment({ clients, endpointName: "not valid" }),
    (e: unknown) => e instanceof TypeError && /"not valid"/.test(e.message),
  );
  await assert.rejects(
    findDeployment({ clients, endpointName: "falcon", inputPrefix: "bucket/key" }),
    TypeError,
  );
  assert.equal(sm.calls().length, 0);
});

Deno.test("findDeployment() rejects with signal.reason when aborted", async () => {
  const { clients } = fakes();
  const controller = new AbortController();
  const reason = new Error("stop");
  controller.abort(reason);
  await assert.rejects(
    findDeployment({ clients, endpointName: "falcon", signal: controller.signal }),
    (e) => e === reason,
  );
});

Deno.test("a found deployment tears itself down on await using", async () => {
  const mocks = fakes();
  const { clients, sm } = mocks;
  acceptTeardown(mocks);
  let deleted = false;
  sm.on(DescribeEndpointCommand).callsFake(() => {
    if (deleted) throw couldNotFind("endpoint");
    return {
      EndpointName: "falcon",
      EndpointArn: arn("endpoint", "falcon"),
      EndpointConfigName: "falcon-config",
      EndpointStatus: "InService",
      ProductionVariants: [{ VariantName: "AllTraffic" }],
    };
  });
  sm.on(DeleteEndpointCommand).callsFake(() => {
    deleted = true;
    return {};
  });
  {
    await using found = await findDeployment({
      clients,
      endpointName: "falcon",
      clock: new ManualClock({ autoAdvance: true }),
    });
    assert.ok(found);
  }
  assert.equal(sm.commandCalls(DeleteEndpointCommand)[0]?.args[0].input.EndpointName, "falcon");
  assert.equal(
    sm.commandCalls(DeleteEndpointConfigCommand)[0]?.args[0].input.EndpointConfigName,
    "falcon-config",
  );
  assert.equal(sm.commandCalls(DeleteModelCommand)[0]?.args[0].input.ModelName, "falcon-model");
});
