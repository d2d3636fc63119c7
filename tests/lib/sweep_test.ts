import assert from "node:assert/strict";
import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  type ListEndpointsCommandInput,
  type ListEndpointsCommandOutput,
  ListModelsCommand,
  ListTagsCommand,
} from "@aws-sdk/client-sagemaker";
import { sweep } from "../../lib/sweep.ts";
import { ManualClock } from "../../lib/testing/manual_clock.ts";
import { acceptTeardown, awsError, couldNotFind, mockedClients } from "./fake_aws.ts";

const NOW = Date.UTC(2026, 0, 10);
const HOUR = 3_600_000;
const arn = (kind: string, name: string) =>
  `arn:aws:sagemaker:us-east-1:123456789012:${kind}/${name}`;
const managed = (id: string, createdAt?: number) => [
  { Key: "sagemaker-async:managed", Value: "true" },
  { Key: "sagemaker-async:deployment-id", Value: id },
  ...(createdAt !== undefined
    ? [{ Key: "sagemaker-async:created-at", Value: new Date(createdAt).toISOString() }]
    : []),
];

function fakes() {
  const mocks = mockedClients();
  acceptTeardown(mocks);
  const { sm } = mocks;
  sm.on(DescribeEndpointCommand).rejects(couldNotFind("endpoint"));

  // Two pages of endpoints: old (tagged 48 h ago), young (1 h ago), someone else's. The
  // tokens are read when each call is made (the SDK's paginator reuses one input object).
  const listedTokens: (string | undefined)[] = [];
  const firstPage: ListEndpointsCommandOutput = {
    $metadata: {},
    Endpoints: [{
      EndpointName: "old",
      EndpointArn: arn("endpoint", "old"),
      CreationTime: new Date(NOW - 48 * HOUR),
      LastModifiedTime: new Date(),
      EndpointStatus: "InService",
    }],
    NextToken: "page2",
  };
  const secondPage: ListEndpointsCommandOutput = {
    $metadata: {},
    Endpoints: [
      {
        EndpointName: "young",
        EndpointArn: arn("endpoint", "young"),
        CreationTime: new Date(NOW - HOUR),
        LastModifiedTime: new Date(),
        EndpointStatus: "InService",
      },
      {
        EndpointName: "theirs",
        EndpointArn: arn("endpoint", "theirs"),
        CreationTime: new Date(NOW - 100 * HOUR),
        LastModifiedTime: new Date(),
        EndpointStatus: "InService",
      },
    ],
  };
  sm.on(ListEndpointsCommand).callsFake((input: ListEndpointsCommandInput) => {
    listedTokens.push(input.NextToken);
    return input.NextToken === "page2" ? secondPage : firstPage;
  });
  sm.on(ListEndpointConfigsCommand).resolves({
    EndpointConfigs: [
      {
        EndpointConfigName: "old",
        EndpointConfigArn: arn("endpoint-config", "old"),
        CreationTime: new Date(),
      },
      {
        EndpointConfigName: "young",
        EndpointConfigArn: arn("endpoint-config", "young"),
        CreationTime: new Date(),
      },
      {
        EndpointConfigName: "orphan",
        EndpointConfigArn: arn("endpoint-config", "orphan"),
        CreationTime: new Date(NOW - 72 * HOUR),
      },
    ],
  });
  sm.on(ListModelsCommand).resolves({
    Models: [
      { ModelName: "old", ModelArn: arn("model", "old"), CreationTime: new Date() },
      { ModelName: "young", ModelArn: arn("model", "young"), CreationTime: new Date() },
      {
        ModelName: "orphan",
        ModelArn: arn("model", "orphan"),
        CreationTime: new Date(NOW - 72 * HOUR),
      },
    ],
  });
  sm.on(ListTagsCommand).resolves({ Tags: [] });
  // The old endpoint's tags come in two pages.
  sm.on(ListTagsCommand, { ResourceArn: arn("endpoint", "old") })
    .resolvesOnce({ Tags: managed("d-old").slice(0, 1), NextToken: "t2" })
    .resolves({ Tags: managed("d-old", NOW - 48 * HOUR).slice(1) });
  for (const kind of ["endpoint-config", "model"]) {
    sm.on(ListTagsCommand, { ResourceArn: arn(kind, "old") }).resolves({
      Tags: managed("d-old", NOW - 48 * HOUR),
    });
    sm.on(ListTagsCommand, { ResourceArn: arn(kind, "young") }).resolves({
      Tags: managed("d-young", NOW - HOUR),
    });
    // No created-at tag: the sweep falls back to CreationTime.
    sm.on(ListTagsCommand, { ResourceArn: arn(kind, "orphan") }).resolves({
      Tags: managed("d-orphan"),
    });
  }
  sm.on(ListTagsCommand, { ResourceArn: arn("endpoint", "young") }).resolves({
    Tags: managed("d-young", NOW - HOUR),
  });
  sm.on(ListTagsCommand, { ResourceArn: arn("endpoint", "theirs") }).resolves({
    Tags: [{ Key: "owner", Value: "someone" }],
  });
  return { ...mocks, listedTokens };
}

const clock = () => new ManualClock({ start: NOW, autoAdvance: true });
const deletedNames = (sm: ReturnType<typeof fakes>["sm"]) => ({
  endpoints: sm.commandCalls(DeleteEndpointCommand).map((c) => c.args[0].input.EndpointName),
  configs: sm.commandCalls(DeleteEndpointConfigCommand).map((c) =>
    c.args[0].input.EndpointConfigName
  ),
  models: sm.commandCalls(DeleteModelCommand).map((c) => c.args[0].input.ModelName),
});

Deno.test("sweep() finds every managed deployment across pages, orphans included, and tears each down", async () => {
  const { clients, sm, listedTokens } = fakes();
  sm.on(DescribeEndpointCommand, { EndpointName: "old" })
    .resolvesOnce({ EndpointStatus: "InService", EndpointConfigName: "old" })
    .rejects(couldNotFind('endpoint "old"'));
  const result = await sweep({ clients, clock: clock() });
  assert.deepEqual(
    result.deployments.map((
      d,
    ) => [d.deploymentId, d.action, d.endpointNames, d.endpointConfigNames, d.modelNames]),
    [
      ["d-orphan", "deleted", [], ["orphan"], ["orphan"]],
      ["d-old", "deleted", ["old"], ["old"], ["old"]],
      ["d-young", "deleted", ["young"], ["young"], ["young"]],
    ],
  );
  const deleted = deletedNames(sm);
  assert.deepEqual(deleted.configs.sort(), ["old", "orphan", "young"]);
  assert.deepEqual(deleted.models.sort(), ["old", "orphan", "young"]);
  assert.deepEqual(deleted.endpoints, ["old"]); // "young" is already gone
  assert.deepEqual(listedTokens, [undefined, "page2"]);
  assert.equal(
    sm.commandCalls(ListTagsCommand).filter((c) =>
      c.args[0].input.ResourceArn === arn("endpoint", "theirs")
    ).length,
    1,
  );
  const old = result.deployments.find((d) => d.deploymentId === "d-old")!;
  assert.equal(old.createdAt, new Date(NOW - 48 * HOUR).toISOString());
  assert.equal(old.ageMs, 48 * HOUR);
  assert.ok(old.result!.deleted.some((r) => r.type === "endpoint" && r.name === "old"));
  const young = result.deployments.find((d) => d.deploymentId === "d-young")!;
  assert.ok(young.result!.notFound.some((r) => r.type === "endpoint" && r.name === "young"));
});

Deno.test("sweep() with olderThanMs keeps young deployments and uses CreationTime without a created-at tag", async () => {
  const { clients, sm } = fakes();
  const result = await sweep({ clients, clock: clock(), olderThanMs: 24 * HOUR });
  assert.deepEqual(result.deployments.map((d) => [d.deploymentId, d.action, d.ageMs]), [
    ["d-orphan", "deleted", 72 * HOUR],
    ["d-old", "deleted", 48 * HOUR],
    ["d-young", "too-recent", HOUR],
  ]);
  assert.equal(deletedNames(sm).models.includes("young"), false);
});

Deno.test("sweep() with dryRun deletes nothing and reports what it would delete", async () => {
  const { clients, sm } = fakes();
  const result = await sweep({ clients, clock: clock(), dryRun: true });
  assert.deepEqual(result.deployments.map((d) => d.action), [
    "would-delete",
    "would-delete",
    "would-delete",
  ]);
  assert.deepEqual(deletedNames(sm), { endpoints: [], configs: [], models: [] });
});

Deno.test("sweep() records a failed teardown and goes on with the others", async () => {
  const { clients, sm } = fakes();
  const denied = awsError("AccessDeniedException", "not allowed");
  sm.on(DeleteModelCommand, { ModelName: "orphan" }).rejects(denied);
  const result = await sweep({ clients, clock: clock() });
  const orphan = result.deployments.find((d) => d.deploymentId === "d-orphan")!;
  assert.equal(orphan.action, "failed");
  assert.equal(orphan.error, denied);
  assert.deepEqual(
    result.deployments.filter((d) => d.action === "deleted").map((d) => d.deploymentId),
    ["d-old", "d-young"],
  );
});

Deno.test("sweep() rejects with the signal's reason and validates olderThanMs first", async () => {
  const { clients, sm } = fakes();
  await assert.rejects(sweep({ clients, olderThanMs: -5 }), {
    name: "RangeError",
    message: /olderThanMs -5/,
  });
  assert.equal(sm.calls().length, 0);
  const controller = new AbortController();
  const reason = new Error("stop");
  controller.abort(reason);
  await assert.rejects(sweep({ clients, signal: controller.signal }), (e: unknown) => e === reason);
});
