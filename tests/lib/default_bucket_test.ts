import assert from "node:assert/strict";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import {
  defaultAsyncEndpointPaths,
  resolveAccountId,
  resolveDefaultBucket,
} from "../../lib/default_bucket.ts";

const ACCOUNT = "123456789012";

function stsWith(account: string | undefined) {
  const sts = new STSClient({ region: "us-east-1" });
  const mock = mockClient(sts);
  mock.on(GetCallerIdentityCommand).resolves({ Account: account, Arn: "arn", UserId: "u" });
  return { sts, mock };
}

Deno.test("resolveDefaultBucket() names the bucket sagemaker-{region}-{account}", async () => {
  const { sts } = stsWith(ACCOUNT);
  assert.equal(
    await resolveDefaultBucket({ clients: { sts }, region: "eu-west-1" }),
    `sagemaker-eu-west-1-${ACCOUNT}`,
  );
});

Deno.test("resolveAccountId() asks STS once per client, also for concurrent callers", async () => {
  const { sts, mock } = stsWith(ACCOUNT);
  const [a, b] = await Promise.all([
    resolveAccountId({ clients: { sts } }),
    resolveAccountId({ clients: { sts } }),
  ]);
  assert.equal(await resolveAccountId({ clients: { sts } }), ACCOUNT);
  assert.equal(
    await resolveDefaultBucket({ clients: { sts }, region: "us-west-2" }),
    [
      "sagemaker-us-west-2",
      ACCOUNT,
    ].join("-"),
  );
  assert.deepEqual([a, b], [ACCOUNT, ACCOUNT]);
  assert.equal(mock.commandCalls(GetCallerIdentityCommand).length, 1);
});

Deno.test("resolveAccountId() keeps a separate account per STS client", async () => {
  const first = stsWith("111111111111");
  const second = stsWith("222222222222");
  assert.equal(await resolveAccountId({ clients: { sts: first.sts } }), "111111111111");
  assert.equal(await resolveAccountId({ clients: { sts: second.sts } }), "222222222222");
  assert.equal(first.mock.commandCalls(GetCallerIdentityCommand).length, 1);
  assert.equal(second.mock.commandCalls(GetCallerIdentityCommand).length, 1);
});

Deno.test("resolveAccountId() passes the SDK error through and asks again on the next call", async () => {
  const sts = new STSClient({ region: "us-east-1" });
  const mock = mockClient(sts);
  const denied = Object.assign(new Error("expired"), { name: "ExpiredTokenException" });
  mock.on(GetCallerIdentityCommand).rejectsOnce(denied).resolves({ Account: ACCOUNT });
  await assert.rejects(resolveAccountId({ clients: { sts } }), (e: unknown) => e === denied);
  assert.equal(await resolveAccountId({ clients: { sts } }), ACCOUNT);
  assert.equal(await resolveAccountId({ clients: { sts } }), ACCOUNT);
  assert.equal(mock.commandCalls(GetCallerIdentityCommand).length, 2);
});

Deno.test("resolveAccountId() rejects when STS returns no Account, and does not cache that", async () => {
  const sts = new STSClient({ region: "us-east-1" });
  const mock = mockClient(sts);
  mock.on(GetCallerIdentityCommand).resolvesOnce({}).resolves({ Account: ACCOUNT });
  await assert.rejects(resolveAccountId({ clients: { sts } }), /returned no Account/);
  assert.equal(await resolveAccountId({ clients: { sts } }), ACCOUNT);
  assert.equal(mock.commandCalls(GetCallerIdentityCommand).length, 2);
});

Deno.test("resolveAccountId() rejects an already-aborted caller without calling STS", async () => {
  const { sts, mock } = stsWith(ACCOUNT);
  const reason = new Error("gave up before starting");
  await assert.rejects(
    resolveDefaultBucket({
      clients: { sts },
      region: "us-east-1",
      signal: AbortSignal.abort(reason),
    }),
    (e: unknown) => e === reason,
  );
  assert.equal(mock.send.callCount, 0);
});

Deno.test("resolveAccountId() rejects a caller with its own signal's reason while sharing a pending call", async () => {
  const sts = new STSClient({ region: "us-east-1" });
  const mock = mockClient(sts);
  let answer!: () => void;
  mock.on(GetCallerIdentityCommand).callsFake(() =>
    new Promise((resolve) => answer = () => resolve({ Account: ACCOUNT }))
  );
  const first = resolveAccountId({ clients: { sts } });
  const controller = new AbortController();
  const reason = new Error("second caller gave up");
  const second = assert.rejects(
    resolveAccountId({ clients: { sts }, signal: controller.signal }),
    (e: unknown) => e === reason,
  );
  controller.abort(reason);
  await new Promise((resolve) => setTimeout(resolve, 0));
  answer();
  assert.equal(await first, ACCOUNT);
  await second;
});

Deno.test("defaultAsyncEndpointPaths() puts outputs, failures and inputs under the endpoint in the default bucket", () => {
  assert.deepEqual(
    defaultAsyncEndpointPaths({ region: "eu-west-1", accountId: ACCOUNT, endpointName: "falcon" }),
    {
      bucket: `sagemaker-eu-west-1-${ACCOUNT}`,
      outputPath: `s3://sagemaker-eu-west-1-${ACCOUNT}/async-endpoint-outputs/falcon`,
      failurePath: `s3://sagemaker-eu-west-1-${ACCOUNT}/async-endpoint-failures/falcon`,
      inputPrefix: `s3://sagemaker-eu-west-1-${ACCOUNT}/async-endpoint-inputs/falcon`,
    },
  );
});
