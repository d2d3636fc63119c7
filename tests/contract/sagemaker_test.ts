import assert from "node:assert/strict";
import {
  AddTagsCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DeleteTagsCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListTagsCommand,
  UpdateEndpointWeightsAndCapacitiesCommand,
  waitUntilEndpointDeleted,
  waitUntilEndpointInService,
} from "@aws-sdk/client-sagemaker";
import { DEFAULT_TIMINGS } from "../../emulator/core.ts";
import { startContractEnv } from "./_harness.ts";
import { rejectsWith } from "./_sdk_errors.ts";
import { deployEndpoint, ROLE_ARN, TGI_IMAGE, TIME_TO_IN_SERVICE_MS } from "./_sagemaker.ts";

const ACCOUNT = "123456789012";

Deno.test("CreateModel, DescribeModel, ListModels and DeleteModel round-trip", async () => {
  await using env = await startContractEnv();
  const sm = env.clients.sagemaker;
  const created = await sm.send(
    new CreateModelCommand({
      ModelName: "Falcon-Model",
      ExecutionRoleArn: ROLE_ARN,
      PrimaryContainer: { Image: TGI_IMAGE, Environment: { SM_NUM_GPUS: "4" } },
      Tags: [{ Key: "project", Value: "demo" }],
    }),
  );
  assert.equal(created.ModelArn, `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model/falcon-model`);
  const described = await sm.send(new DescribeModelCommand({ ModelName: "Falcon-Model" }));
  assert.equal(described.ModelName, "Falcon-Model");
  assert.equal(described.PrimaryContainer?.Image, TGI_IMAGE);
  assert.deepEqual(described.PrimaryContainer?.Environment, { SM_NUM_GPUS: "4" });
  assert.equal(described.ExecutionRoleArn, ROLE_ARN);
  assert.equal(described.EnableNetworkIsolation, false);
  assert.ok(described.CreationTime instanceof Date);
  assert.equal(described.CreationTime.getTime(), env.clock.now());
  const listed = await sm.send(new ListModelsCommand({}));
  assert.deepEqual(listed.Models?.map((m) => m.ModelName), ["Falcon-Model"]);
  await sm.send(new DeleteModelCommand({ ModelName: "Falcon-Model" }));
  await assert.rejects(
    sm.send(new DescribeModelCommand({ ModelName: "Falcon-Model" })),
    rejectsWith(
      "ValidationException",
      `Could not find model "arn:aws:sagemaker:us-east-1:${ACCOUNT}:model/falcon-model".`,
    ),
  );
});

Deno.test("CreateModel reports every constraint violation in AWS's wording", async () => {
  await using env = await startContractEnv();
  await assert.rejects(
    env.clients.sagemaker.send(
      new CreateModelCommand({
        ModelName: "bad name",
        ExecutionRoleArn: "not-a-role",
        PrimaryContainer: { Image: TGI_IMAGE },
      }),
    ),
    rejectsWith(
      "ValidationException",
      "3 validation errors detected: Value 'bad name' at 'modelName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?; " +
        "Value 'not-a-role' at 'executionRoleArn' failed to satisfy constraint: Member must have length greater than or equal to 20; " +
        "Value 'not-a-role' at 'executionRoleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$",
    ),
  );
});

Deno.test("creating a model twice is ValidationException 'Cannot create already existing model'", async () => {
  await using env = await startContractEnv();
  const input = { ModelName: "m1", PrimaryContainer: { Image: TGI_IMAGE } };
  await env.clients.sagemaker.send(new CreateModelCommand(input));
  await assert.rejects(
    env.clients.sagemaker.send(new CreateModelCommand(input)),
    rejectsWith(
      "ValidationException",
      `Cannot create already existing model "arn:aws:sagemaker:us-east-1:${ACCOUNT}:model/m1".`,
    ),
  );
});

Deno.test("CreateEndpointConfig validates the instance type and requires existing models", async () => {
  await using env = await startContractEnv();
  const sm = env.clients.sagemaker;
  await assert.rejects(
    sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: "c1",
        ProductionVariants: [{
          VariantName: "AllTraffic",
          ModelName: "m1",
          // deno-lint-ignore no-explicit-any
          InstanceType: "ml.huge.gpu" as any,
          InitialInstanceCount: 1,
        }],
      }),
    ),
    rejectsWith(
      "ValidationException",
      /^1 validation error detected: Value 'ml\.huge\.gpu' at 'productionVariants\.1\.member\.instanceType' failed to satisfy constraint: Member must satisfy enum value set: \[ml\.c4\.2xlarge, /,
    ),
  );
  await assert.rejects(
    sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: "c1",
        ProductionVariants: [{
          VariantName: "AllTraffic",
          ModelName: "missing",
          InstanceType: "ml.g5.12xlarge",
          InitialInstanceCount: 1,
        }],
      }),
    ),
    rejectsWith(
      "ValidationException",
      `Could not find model "arn:aws:sagemaker:us-east-1:${ACCOUNT}:model/missing".`,
    ),
  );
});

Deno.test("DescribeEndpointConfig echoes the variants (default weight 1) and AsyncInferenceConfig", async () => {
  await using env = await startContractEnv();
  const sm = env.clients.sagemaker;
  await sm.send(
    new CreateModelCommand({ ModelName: "m1", PrimaryContainer: { Image: TGI_IMAGE } }),
  );
  const asyncConfig = {
    ClientConfig: { MaxConcurrentInvocationsPerInstance: 2 },
    OutputConfig: {
      S3OutputPath: "s3://b/out",
      S3FailurePath: "s3://b/fail",
      NotificationConfig: {
        SuccessTopic: `arn:aws:sns:us-east-1:${ACCOUNT}:ok`,
        ErrorTopic: `arn:aws:sns:us-east-1:${ACCOUNT}:err`,
        IncludeInferenceResponseIn: ["SUCCESS_NOTIFICATION_TOPIC" as const],
      },
    },
  };
  const created = await sm.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: "c1",
      ProductionVariants: [{
        VariantName: "AllTraffic",
        ModelName: "m1",
        InstanceType: "ml.g5.12xlarge",
        InitialInstanceCount: 1,
      }],
      AsyncInferenceConfig: asyncConfig,
    }),
  );
  assert.equal(
    created.EndpointConfigArn,
    `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint-config/c1`,
  );
  const described = await sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: "c1" }));
  assert.deepEqual(described.ProductionVariants, [{
    VariantName: "AllTraffic",
    ModelName: "m1",
    InstanceType: "ml.g5.12xlarge",
    InitialInstanceCount: 1,
    InitialVariantWeight: 1,
  }]);
  assert.deepEqual(described.AsyncInferenceConfig, asyncConfig);
  const listed = await sm.send(new ListEndpointConfigsCommand({}));
  assert.deepEqual(listed.EndpointConfigs?.map((c) => c.EndpointConfigName), ["c1"]);
});

Deno.test("an endpoint is Creating, launches its instance, then is InService with one instance", async () => {
  await using env = await startContractEnv();
  const sm = env.clients.sagemaker;
  await deployEndpoint(env, { name: "falcon", wait: false });
  const creating = await sm.send(new DescribeEndpointCommand({ EndpointName: "falcon" }));
  assert.equal(creating.EndpointStatus, "Creating");
  assert.equal(creating.EndpointArn, `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/falcon`);
  await env.clock.advance(DEFAULT_TIMINGS.endpointCreationMs);
  const launching = await sm.send(new DescribeEndpointCommand({ EndpointName: "falcon" }));
  assert.equal(launching.EndpointStatus, "Creating");
  assert.equal(launching.ProductionVariants?.[0]?.CurrentInstanceCount, 0);
  assert.equal(launching.ProductionVariants?.[0]?.DesiredInstanceCount, 1);
  await env.clock.advance(DEFAULT_TIMINGS.instanceLaunchMs - 1);
  assert.equal(
    (await sm.send(new DescribeEndpointCommand({ EndpointName: "falcon" }))).EndpointStatus,
    "Creating",
  );
  await env.clock.advance(1);
  const ready = await sm.send(new DescribeEndpointCommand({ EndpointName: "falcon" }));
  assert.equal(ready.EndpointStatus, "InService");
  assert.deepEqual(ready.ProductionVariants, [{
    VariantName: "AllTraffic",
    CurrentWeight: 1,
    DesiredWeight: 1,
    CurrentInstanceCount: 1,
    DesiredInstanceCount: 1,
  }]);
  assert.equal(ready.EndpointConfigName, "falcon-config");
  assert.equal(ready.AsyncInferenceConfig?.OutputConfig?.S3OutputPath, "s3://results/out");
  assert.equal(ready.LastModifiedTime?.getTime(), env.clock.now());
});

Deno.test("the SDK's waitUntilEndpointInService succeeds against the emulator on a manual clock", async () => {
  await using env = await startContractEnv();
  await deployEndpoint(env, { name: "waited", wait: false });
  const result = await env.clock.run(
    waitUntilEndpointInService(
      { client: env.clients.sagemaker, maxWaitTime: 60, minDelay: 0.01, maxDelay: 0.02 },
      { EndpointName: "waited" },
    ),
    { stepMs: 30_000 },
  );
  assert.equal(result.state, "SUCCESS");
  assert.ok(env.clock.now() - Date.UTC(2026, 0, 1) >= TIME_TO_IN_SERVICE_MS);
});

Deno.test("an endpoint whose image the emulator cannot run fails with a FailureReason", async () => {
  await using env = await startContractEnv();
  await deployEndpoint(env, {
    name: "custom",
    image: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/my-own-server:latest`,
    wait: false,
  });
  await assert.rejects(
    env.clock.run(
      waitUntilEndpointInService(
        { client: env.clients.sagemaker, maxWaitTime: 60, minDelay: 0.01, maxDelay: 0.02 },
        { EndpointName: "custom" },
      ),
      { stepMs: 30_000 },
    ),
    /"state":"FAILURE"/,
  );
  const described = await env.clients.sagemaker.send(
    new DescribeEndpointCommand({ EndpointName: "custom" }),
  );
  assert.equal(described.EndpointStatus, "Failed");
  assert.match(described.FailureReason ?? "", /my-own-server:latest/);
  assert.match(described.FailureReason ?? "", /huggingface-pytorch-tgi-inference/);
});

Deno.test("an endpoint whose TGI settings cannot start fails its ping health check", async () => {
  await using env = await startContractEnv();
  await deployEndpoint(env, {
    name: "badenv",
    environment: { MAX_INPUT_LENGTH: "4096", MAX_TOTAL_TOKENS: "2048" },
  });
  const described = await env.clients.sagemaker.send(
    new DescribeEndpointCommand({ EndpointName: "badenv" }),
  );
  assert.equal(described.EndpointStatus, "Failed");
  assert.equal(
    described.FailureReason,
    "The primary container for production variant AllTraffic did not pass the ping health check. " +
      "Please check CloudWatch logs for this endpoint. " +
      "(`max_input_length` must be < `max_total_tokens`. Given: 4096 and 2048)",
  );
});

Deno.test("DeleteEndpoint: Deleting, then gone; waitUntilEndpointDeleted succeeds", async () => {
  await using env = await startContractEnv();
  const sm = env.clients.sagemaker;
  await deployEndpoint(env, { name: "gone" });
  await sm.send(new DeleteEndpointCommand({ EndpointName: "gone" }));
  const deleting = await sm.send(new DescribeEndpointCommand({ EndpointName: "gone" }));
  assert.equal(deleting.EndpointStatus, "Deleting");
  const result = await env.clock.run(
    waitUntilEndpointDeleted(
      { client: sm, maxWaitTime: 60, minDelay: 0.01, maxDelay: 0.02 },
      { EndpointName: "gone" },
    ),
    { stepMs: 10_000 },
  );
  assert.equal(result.state, "SUCCESS");
  await assert.rejects(
    sm.send(new DescribeEndpointCommand({ EndpointName: "gone" })),
    rejectsWith("ValidationException", 'Could not find endpoint "gone".'),
  );
  await assert.rejects(
    sm.send(new DeleteEndpointCommand({ EndpointName: "gone" })),
    rejectsWith("ValidationException", 'Could not find endpoint "gone".'),
  );
});

Deno.test("CreateEndpoint twice, or with a missing config, is a ValidationException", async () => {
  await using env = await startContractEnv();
  const sm = env.clients.sagemaker;
  await deployEndpoint(env, { name: "twice", wait: false });
  await assert.rejects(
    sm.send(
      new CreateEndpointCommand({ EndpointName: "twice", EndpointConfigName: "twice-config" }),
    ),
    rejectsWith(
      "ValidationException",
      `Cannot create already existing endpoint "arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/twice".`,
    ),
  );
  await assert.rejects(
    sm.send(new CreateEndpointCommand({ EndpointName: "other", EndpointConfigName: "nope" })),
    rejectsWith(
      "ValidationException",
      `Could not find endpoint configuration "arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint-config/nope".`,
    ),
  );
});

Deno.test("a config and model can be deleted while an endpoint uses them; the endpoint keeps running", async () => {
  await using env = await startContractEnv();
  const sm = env.clients.sagemaker;
  await deployEndpoint(env, { name: "inuse" });
  await sm.send(new DeleteEndpointConfigCommand({ EndpointConfigName: "inuse-config" }));
  await sm.send(new DeleteModelCommand({ ModelName: "inuse-model" }));
  const described = await sm.send(new DescribeEndpointCommand({ EndpointName: "inuse" }));
  assert.equal(described.EndpointStatus, "InService");
  assert.equal(described.EndpointConfigName, "inuse-config");
});

Deno.test("ListEndpoints sorts, filters by name and status, and pages with NextToken", async () => {
  await using env = await startContractEnv();
  const sm = env.clients.sagemaker;
  for (const name of ["alpha", "beta", "gamma"]) {
    await deployEndpoint(env, { name, wait: false });
    await env.clock.advance(1000);
  }
  await env.clock.advance(TIME_TO_IN_SERVICE_MS);
  await deployEndpoint(env, { name: "delta", wait: false });
  const all = await sm.send(new ListEndpointsCommand({}));
  assert.deepEqual(all.Endpoints?.map((e) => e.EndpointName), ["delta", "gamma", "beta", "alpha"]);
  const byName = await sm.send(
    new ListEndpointsCommand({ SortBy: "Name", SortOrder: "Ascending" }),
  );
  assert.deepEqual(byName.Endpoints?.map((e) => e.EndpointName), [
    "alpha",
    "beta",
    "delta",
    "gamma",
  ]);
  const creating = await sm.send(new ListEndpointsCommand({ StatusEquals: "Creating" }));
  assert.deepEqual(creating.Endpoints?.map((e) => e.EndpointName), ["delta"]);
  const contains = await sm.send(new ListEndpointsCommand({ NameContains: "ET" }));
  assert.deepEqual(contains.Endpoints?.map((e) => e.EndpointName), ["beta"]);
  const first = await sm.send(new ListEndpointsCommand({ MaxResults: 3, SortBy: "Name" }));
  assert.deepEqual(first.Endpoints?.map((e) => e.EndpointName), ["gamma", "delta", "beta"]);
  assert.ok(first.NextToken);
  const second = await sm.send(
    new ListEndpointsCommand({ MaxResults: 3, SortBy: "Name", NextToken: first.NextToken }),
  );
  assert.deepEqual(second.Endpoints?.map((e) => e.EndpointName), ["alpha"]);
  assert.equal(second.NextToken, undefined);
  await assert.rejects(
    sm.send(new ListEndpointsCommand({ MaxResults: 101 })),
    rejectsWith(
      "ValidationException",
      "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
    ),
  );
});

Deno.test("UpdateEndpointWeightsAndCapacities scales out through Updating and back in", async () => {
  await using env = await startContractEnv();
  const sm = env.clients.sagemaker;
  await deployEndpoint(env, { name: "scaler" });
  await sm.send(
    new UpdateEndpointWeightsAndCapacitiesCommand({
      EndpointName: "scaler",
      DesiredWeightsAndCapacities: [{ VariantName: "AllTraffic", DesiredInstanceCount: 3 }],
    }),
  );
  let described = await sm.send(new DescribeEndpointCommand({ EndpointName: "scaler" }));
  assert.equal(described.EndpointStatus, "Updating");
  assert.equal(described.ProductionVariants?.[0]?.CurrentInstanceCount, 1);
  assert.equal(described.ProductionVariants?.[0]?.DesiredInstanceCount, 3);
  await assert.rejects(
    sm.send(
      new UpdateEndpointWeightsAndCapacitiesCommand({
        EndpointName: "scaler",
        DesiredWeightsAndCapacities: [{ VariantName: "AllTraffic", DesiredInstanceCount: 1 }],
      }),
    ),
    rejectsWith(
      "ValidationException",
      `Cannot update in-progress endpoint "arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/scaler".`,
    ),
  );
  await env.clock.advance(DEFAULT_TIMINGS.instanceLaunchMs);
  described = await sm.send(new DescribeEndpointCommand({ EndpointName: "scaler" }));
  assert.equal(described.EndpointStatus, "InService");
  assert.equal(described.ProductionVariants?.[0]?.CurrentInstanceCount, 3);
  await sm.send(
    new UpdateEndpointWeightsAndCapacitiesCommand({
      EndpointName: "scaler",
      DesiredWeightsAndCapacities: [{ VariantName: "AllTraffic", DesiredInstanceCount: 0 }],
    }),
  );
  described = await sm.send(new DescribeEndpointCommand({ EndpointName: "scaler" }));
  assert.equal(described.EndpointStatus, "InService");
  assert.equal(described.ProductionVariants?.[0]?.CurrentInstanceCount, 0);
  assert.equal(described.ProductionVariants?.[0]?.DesiredInstanceCount, 0);
  await assert.rejects(
    sm.send(
      new UpdateEndpointWeightsAndCapacitiesCommand({
        EndpointName: "scaler",
        DesiredWeightsAndCapacities: [{ VariantName: "Canary", DesiredInstanceCount: 1 }],
      }),
    ),
    rejectsWith("ValidationException", /"\[Canary\]" are not present in the endpoint/),
  );
});

Deno.test("asking for more instances than the per-type limit is ResourceLimitExceeded", async () => {
  await using env = await startContractEnv();
  const sm = env.clients.sagemaker;
  await deployEndpoint(env, { name: "big", instanceCount: 15 });
  await assert.rejects(
    sm.send(
      new UpdateEndpointWeightsAndCapacitiesCommand({
        EndpointName: "big",
        DesiredWeightsAndCapacities: [{ VariantName: "AllTraffic", DesiredInstanceCount: 21 }],
      }),
    ),
    rejectsWith(
      "ResourceLimitExceeded",
      /^The account-level service limit 'ml\.g5\.12xlarge for endpoint usage' is 20 Instances, with current utilization of 15 Instances and a request delta of 6 Instances\./,
    ),
  );
  await assert.rejects(
    deployEndpoint(env, { name: "second", instanceCount: 6, wait: false }),
    rejectsWith("ResourceLimitExceeded", /current utilization of 15 Instances/),
  );
});

Deno.test("AddTags, ListTags and DeleteTags manage a resource's tags", async () => {
  await using env = await startContractEnv();
  const sm = env.clients.sagemaker;
  const { ModelArn } = await sm.send(
    new CreateModelCommand({
      ModelName: "tagged",
      PrimaryContainer: { Image: TGI_IMAGE },
      Tags: [{ Key: "a", Value: "1" }],
    }),
  );
  await sm.send(
    new AddTagsCommand({
      ResourceArn: ModelArn,
      Tags: [{ Key: "b", Value: "2" }, { Key: "a", Value: "3" }],
    }),
  );
  const listed = await sm.send(new ListTagsCommand({ ResourceArn: ModelArn }));
  assert.deepEqual(listed.Tags, [{ Key: "a", Value: "3" }, { Key: "b", Value: "2" }]);
  await sm.send(new DeleteTagsCommand({ ResourceArn: ModelArn, TagKeys: ["a"] }));
  const after = await sm.send(new ListTagsCommand({ ResourceArn: ModelArn }));
  assert.deepEqual(after.Tags, [{ Key: "b", Value: "2" }]);
  const none = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model/none`;
  await assert.rejects(
    sm.send(new ListTagsCommand({ ResourceArn: none })),
    rejectsWith("ValidationException", `Resource "${none}" does not exist.`),
  );
});
