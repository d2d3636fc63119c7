import assert from "node:assert/strict";
import {
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { DeleteAlarmsCommand, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DeleteObjectsCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
} from "@aws-sdk/client-sagemaker";
import type { AsyncDeployment } from "../../lib/deployment.ts";
import type { ProgressEvent } from "../../lib/progress.ts";
import { teardown } from "../../lib/teardown.ts";
import { ManualClock } from "../../lib/testing/manual_clock.ts";
import { acceptTeardown, awsError, couldNotFind, mockedClients } from "./fake_aws.ts";

function fakes() {
  const mocks = mockedClients();
  acceptTeardown(mocks);
  return mocks;
}

const deployment: AsyncDeployment = {
  deploymentId: "d-1",
  region: "us-east-1",
  accountId: "123456789012",
  endpointName: "falcon",
  endpointConfigName: "falcon-config",
  modelName: "falcon-model",
  variantName: "AllTraffic",
  instanceType: "ml.g5.12xlarge",
  modelArn: "arn:model",
  endpointConfigArn: "arn:config",
  endpointArn: "arn:endpoint",
  outputPath: "s3://sagemaker-us-east-1-123456789012/async-endpoint-outputs/falcon",
  failurePath: "s3://sagemaker-us-east-1-123456789012/async-endpoint-failures/falcon",
  inputPrefix: "s3://sagemaker-us-east-1-123456789012/async-endpoint-inputs/falcon",
  createdAt: "2026-01-01T00:00:00.000Z",
  tags: {},
  [Symbol.asyncDispose]: () => Promise.resolve(),
};

Deno.test("teardown() deletes in reverse order and waits until the endpoint is gone", async () => {
  const { clients, sm, as, cw } = fakes();
  cw.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: [{ AlarmName: "falcon-AllTraffic-HasBacklogWithoutCapacity" }],
  });
  cw.on(DeleteAlarmsCommand).resolves({});
  as.on(DeleteScalingPolicyCommand).resolves({});
  as.on(DeregisterScalableTargetCommand).resolves({});
  sm.on(DescribeEndpointCommand)
    .resolvesOnce({
      EndpointStatus: "InService",
      EndpointConfigName: "falcon-config",
      ProductionVariants: [{ VariantName: "AllTraffic" }],
    } as never)
    .resolvesOnce({ EndpointStatus: "Deleting" })
    .rejects(couldNotFind('endpoint "falcon"'));
  const events: ProgressEvent[] = [];
  const result = await teardown(deployment, {
    clients,
    clock: new ManualClock({ autoAdvance: true }),
    onProgress: (e) => events.push(e),
  });
  assert.deepEqual(result.deleted, [
    { type: "alarm", name: "falcon-AllTraffic-HasBacklogWithoutCapacity" },
    { type: "scaling-policy", name: "HasBacklogWithoutCapacity-ScalingPolicy" },
    { type: "scaling-policy", name: "ApproximateBacklogSizePerInstance-ScalingPolicy" },
    { type: "scalable-target", name: "endpoint/falcon/variant/AllTraffic" },
    { type: "endpoint", name: "falcon" },
    { type: "endpoint-config", name: "falcon-config" },
    { type: "model", name: "falcon-model" },
  ]);
  assert.deepEqual(result.notFound, []);
  // One lookup, then polls until DescribeEndpoint says it is gone.
  assert.equal(sm.commandCalls(DescribeEndpointCommand).length, 3);
  assert.deepEqual(
    events.filter((e) => e.type === "endpoint-status").map((e) =>
      e.type === "endpoint-status" && e.status
    ),
    ["Deleting", "Missing"],
  );
  assert.equal(events.filter((e) => e.type === "resource-deleted").length, 7);
  assert.equal(sm.commandCalls(DescribeEndpointConfigCommand).length, 0);
});

Deno.test("teardown() of resources already gone reports them as not found", async () => {
  const { clients, sm } = fakes();
  sm.on(DescribeEndpointCommand).rejects(couldNotFind('endpoint "falcon"'));
  sm.on(DeleteEndpointConfigCommand).rejects(
    couldNotFind('endpoint configuration "falcon-config"'),
  );
  sm.on(DeleteModelCommand).rejects(couldNotFind('model "falcon-model"'));
  const result = await teardown(deployment, {
    clients,
    clock: new ManualClock({ autoAdvance: true }),
  });
  assert.deepEqual(result.deleted, []);
  assert.deepEqual(result.notFound.map((r) => r.type), [
    "alarm",
    "scaling-policy",
    "scaling-policy",
    "scalable-target",
    "endpoint",
    "endpoint-config",
    "model",
  ]);
  assert.equal(sm.commandCalls(DeleteEndpointCommand).length, 0);
});

Deno.test("teardown() by endpoint name looks up the config, models and variants first", async () => {
  const { clients, sm, as } = fakes();
  sm.on(DescribeEndpointCommand)
    .resolvesOnce({
      EndpointStatus: "InService",
      EndpointConfigName: "cfg",
      ProductionVariants: [{ VariantName: "Blue" }, { VariantName: "Green" }],
    } as never)
    .rejects(couldNotFind('endpoint "ep"'));
  sm.on(DescribeEndpointConfigCommand).resolves({
    ProductionVariants: [{ VariantName: "Blue", ModelName: "m1" }, {
      VariantName: "Green",
      ModelName: "m2",
    }],
  } as never);
  const result = await teardown({ endpointName: "ep" }, {
    clients,
    clock: new ManualClock({ autoAdvance: true }),
  });
  assert.deepEqual(
    result.deleted,
    [
      { type: "endpoint", name: "ep" },
      { type: "endpoint-config", name: "cfg" },
      { type: "model", name: "m1" },
      { type: "model", name: "m2" },
    ],
  );
  assert.deepEqual(
    as.commandCalls(DeregisterScalableTargetCommand).map((c) => c.args[0].input.ResourceId),
    ["endpoint/ep/variant/Blue", "endpoint/ep/variant/Green"],
  );
});

Deno.test("teardown() waits for an endpoint someone else is already deleting", async () => {
  const { clients, sm } = fakes();
  sm.on(DescribeEndpointCommand)
    .resolvesOnce({ EndpointStatus: "Deleting", EndpointConfigName: "cfg" })
    .rejects(couldNotFind('endpoint "ep"'));
  const result = await teardown(
    { endpointName: "ep", endpointConfigNames: ["cfg"], modelNames: ["m"] },
    { clients, clock: new ManualClock({ autoAdvance: true }) },
  );
  assert.equal(sm.commandCalls(DeleteEndpointCommand).length, 0);
  assert.deepEqual(result.deleted.map((r) => r.type), ["endpoint", "endpoint-config", "model"]);
});

Deno.test("teardown() with deleteS3Objects lists every page and deletes in batches of 1000", async () => {
  const { clients, sm, s3m } = fakes();
  sm.on(DescribeEndpointCommand).rejects(couldNotFind('endpoint "falcon"'));
  const keys = (prefix: string, n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => ({ Key: `${prefix}/${from + i}.out` }));
  s3m.on(ListObjectsV2Command, { Prefix: "async-endpoint-outputs/falcon/" })
    .resolvesOnce({
      Contents: keys("async-endpoint-outputs/falcon", 1000),
      NextContinuationToken: "t",
    })
    .resolvesOnce({ Contents: keys("async-endpoint-outputs/falcon", 1500, 1000) });
  s3m.on(ListObjectsV2Command, { Prefix: "async-endpoint-inputs/falcon/" }).resolves({
    Contents: keys("async-endpoint-inputs/falcon", 3),
  });
  s3m.on(ListObjectsV2Command, { Prefix: "async-endpoint-failures/falcon/" }).resolves({});
  s3m.on(DeleteObjectsCommand).resolves({});
  const result = await teardown(deployment, {
    clients,
    deleteS3Objects: true,
    clock: new ManualClock({ autoAdvance: true }),
  });
  const lists = s3m.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input);
  assert.deepEqual(
    lists.map((l) => [l.Bucket, l.Prefix, l.ContinuationToken]),
    [
      ["sagemaker-us-east-1-123456789012", "async-endpoint-inputs/falcon/", undefined],
      ["sagemaker-us-east-1-123456789012", "async-endpoint-outputs/falcon/", undefined],
      ["sagemaker-us-east-1-123456789012", "async-endpoint-outputs/falcon/", "t"],
      ["sagemaker-us-east-1-123456789012", "async-endpoint-failures/falcon/", undefined],
    ],
  );
  const batches = s3m.commandCalls(DeleteObjectsCommand).map((c) =>
    c.args[0].input.Delete!.Objects!.length
  );
  assert.deepEqual(batches, [3, 1000, 1000, 500]);
  assert.equal(s3m.commandCalls(DeleteObjectsCommand)[0]!.args[0].input.Delete!.Quiet, true);
  const s3Refs = (refs: readonly { type: string; name: string }[]) =>
    refs.filter((r) => r.type === "s3-prefix").map((r) => r.name);
  assert.deepEqual(s3Refs(result.deleted), [
    "s3://sagemaker-us-east-1-123456789012/async-endpoint-inputs/falcon/",
    "s3://sagemaker-us-east-1-123456789012/async-endpoint-outputs/falcon/",
  ]);
  assert.deepEqual(s3Refs(result.notFound), [
    "s3://sagemaker-us-east-1-123456789012/async-endpoint-failures/falcon/",
  ]);
});

Deno.test("teardown() names the objects S3 refused to delete", async () => {
  const { clients, sm, s3m } = fakes();
  sm.on(DescribeEndpointCommand).rejects(couldNotFind('endpoint "e"'));
  s3m.on(ListObjectsV2Command).resolves({ Contents: [{ Key: "in/e/a" }, { Key: "in/e/b" }] });
  s3m.on(DeleteObjectsCommand).resolves({
    Errors: [{ Key: "in/e/b", Code: "AccessDenied", Message: "Access Denied" }],
  });
  await assert.rejects(
    teardown({ endpointName: "e", inputPrefix: "s3://b-1/in/e" }, {
      clients,
      deleteS3Objects: true,
      clock: new ManualClock({ autoAdvance: true }),
    }),
    {
      message: /Could not delete 1 object\(s\) under s3:\/\/b-1\/in\/e\/: in\/e\/b \(AccessDenied/,
    },
  );
});

Deno.test("teardown() refuses to empty a whole bucket and validates names before any call", async () => {
  const { clients, sm, s3m, as, cw } = fakes();
  await assert.rejects(
    teardown({ endpointName: "e", outputPath: "s3://my-bucket/" }, {
      clients,
      deleteS3Objects: true,
    }),
    { name: "TypeError", message: /Refusing.*"s3:\/\/my-bucket\/"/ },
  );
  await assert.rejects(teardown({ endpointName: "bad name" }, { clients }), {
    name: "TypeError",
    message: /"bad name"/,
  });
  await assert.rejects(teardown({ modelNames: ["x_y"] }, { clients }), TypeError);
  for (const mock of [sm, s3m, as, cw]) assert.equal(mock.calls().length, 0);
});

Deno.test("teardown() rejects a bad maxWaitMs before deleting anything", async () => {
  const { clients, sm, s3m, as, cw } = fakes();
  sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: "InService" });
  await assert.rejects(teardown(deployment, { clients, maxWaitMs: -1 }), {
    name: "RangeError",
    message: /maxWaitMs -1/,
  });
  await assert.rejects(teardown(deployment, { clients, maxWaitMs: Number.NaN }), {
    name: "TypeError",
    message: /maxWaitMs NaN/,
  });
  for (const mock of [sm, s3m, as, cw]) assert.equal(mock.calls().length, 0);
});

Deno.test("teardown() rejects with the signal's reason when aborted while waiting for deletion", async () => {
  const { clients, sm } = fakes();
  sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: "Deleting" });
  const clock = new ManualClock({ start: 0 });
  const controller = new AbortController();
  const reason = new Error("enough");
  const pending = teardown({ endpointName: "e" }, { clients, clock, signal: controller.signal });
  await clock.advanceUntil(() => clock.pendingSleeps > 0, { stepMs: 1 });
  controller.abort(reason);
  await assert.rejects(pending, (error: unknown) => error === reason);
});

Deno.test("teardown() passes an unexpected SDK error through unchanged", async () => {
  const { clients, sm } = fakes();
  const throttled = awsError("ThrottlingException", "Rate exceeded");
  sm.on(DescribeEndpointCommand).rejects(throttled);
  await assert.rejects(
    teardown({ endpointName: "e" }, { clients }),
    (error: unknown) => error === throttled,
  );
});
