import assert from "node:assert/strict";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { ListEndpointsCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { createSigV4Verifier } from "../../emulator/auth/sigv4.ts";
import type { EmulatorContext } from "../../emulator/context.ts";
import { awsJsonService } from "../../emulator/protocols/aws_json.ts";
import { createS3Service } from "../../emulator/s3/service.ts";
import type { ServiceModule } from "../../emulator/service.ts";
import type { RunningEmulator } from "../../emulator/start.ts";
import { createStsService } from "../../emulator/sts/service.ts";
import { startContractEnv } from "./_harness.ts";
import { rejection, statusOf } from "./_sdk_errors.ts";

/** A minimal JSON-protocol service under SageMaker's name, so auth is tested on its own. */
function jsonService(_context: EmulatorContext): ServiceModule {
  const handle = awsJsonService({
    targetPrefix: "SageMaker",
    version: "1.1",
    operations: { ListEndpoints: () => ({ Endpoints: [] }) },
  });
  return {
    key: "sagemaker",
    handle,
    renderError: (error, request) =>
      new Response(JSON.stringify({ __type: error.code, message: error.message }), {
        status: error.status,
        headers: { "x-amzn-requestid": request.requestId },
      }),
  };
}

const services = [createS3Service, createStsService, jsonService];

function clientsWith(
  emulator: RunningEmulator,
  credentials: { accessKeyId: string; secretAccessKey: string },
) {
  const config = { ...emulator.clientConfig(), credentials, maxAttempts: 1 };
  return {
    s3: new S3Client(config),
    sts: new STSClient(config),
    sagemaker: new SageMakerClient(config),
    destroy() {
      this.s3.destroy();
      this.sts.destroy();
      this.sagemaker.destroy();
    },
  };
}

Deno.test("a wrong secret is rejected with each protocol's signature error", async () => {
  await using env = await startContractEnv({ services });
  const clients = clientsWith(env.emulator, {
    accessKeyId: env.emulator.credentials.accessKeyId,
    secretAccessKey: "not-the-secret",
  });
  try {
    const s3 = await rejection(clients.s3.send(new ListBucketsCommand({})));
    assert.equal(s3.name, "SignatureDoesNotMatch");
    assert.equal(statusOf(s3), 403);
    assert.equal(s3.AWSAccessKeyId, env.emulator.credentials.accessKeyId);
    assert.match(String(s3.CanonicalRequest), /^GET\n\/\n/);
    const sts = await rejection(clients.sts.send(new GetCallerIdentityCommand({})));
    assert.equal(sts.name, "SignatureDoesNotMatch");
    assert.equal(statusOf(sts), 403);
    const json = await rejection(clients.sagemaker.send(new ListEndpointsCommand({})));
    assert.equal(json.name, "InvalidSignatureException");
    assert.equal(statusOf(json), 403);
  } finally {
    clients.destroy();
  }
});

Deno.test("an unknown access key is rejected with InvalidAccessKeyId, InvalidClientTokenId and UnrecognizedClientException", async () => {
  await using env = await startContractEnv({ services });
  const clients = clientsWith(env.emulator, {
    accessKeyId: "AKIAUNKNOWNKEY000000",
    secretAccessKey: env.emulator.credentials.secretAccessKey,
  });
  try {
    const s3 = await rejection(clients.s3.send(new ListBucketsCommand({})));
    assert.equal(s3.name, "InvalidAccessKeyId");
    assert.equal(s3.AWSAccessKeyId, "AKIAUNKNOWNKEY000000");
    const sts = await rejection(clients.sts.send(new GetCallerIdentityCommand({})));
    assert.equal(sts.name, "InvalidClientTokenId");
    const json = await rejection(clients.sagemaker.send(new ListEndpointsCommand({})));
    assert.equal(json.name, "UnrecognizedClientException");
  } finally {
    clients.destroy();
  }
});

Deno.test("the SDK recovers from a skewed clock: RequestTimeTooSkewed, then a retry corrected from ServerTime", async () => {
  // The server's clock runs 20 minutes ahead of this machine's, as a client's clock would lag.
  const ahead = 20 * 60_000;
  await using env = await startContractEnv({
    services,
    verifySignature: createSigV4Verifier({ now: () => Date.now() + ahead }),
  });
  const s3 = env.clients.s3;
  let firstError: unknown;
  s3.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        firstError ??= error;
        throw error;
      }
    },
    { step: "finalizeRequest", name: "recordFirstError", priority: "low" },
  );
  const listed = await s3.send(new ListBucketsCommand({}));
  assert.equal((firstError as Error).name, "RequestTimeTooSkewed");
  assert.equal(listed.$metadata.attempts, 2);
  // The successful reply's real Date header then sets the offset back to this machine's time.
  assert.ok(Math.abs(await s3.config.systemClockOffset) < 60_000);
});

Deno.test("a request signed 20 minutes ago gets RequestTimeTooSkewed (S3) and 'Signature expired' (JSON)", async () => {
  await using env = await startContractEnv({ services });
  const url = new URL(env.emulator.endpoint);
  const signed = async (
    service: string,
    request: { path: string; method: string; headers: Record<string, string>; body?: string },
  ) => {
    const signer = new SignatureV4({
      service,
      region: "us-east-1",
      credentials: env.emulator.credentials,
      sha256: Hash.bind(null, "sha256"),
      uriEscapePath: service !== "s3",
    });
    const result = await signer.sign({
      ...request,
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      query: {},
      headers: { host: url.host, ...request.headers },
    }, { signingDate: new Date(Date.now() - 20 * 60_000) });
    return await fetch(`${env.emulator.endpoint}${request.path}`, {
      method: request.method,
      headers: result.headers,
      body: request.body,
    });
  };
  const s3 = await signed("s3", { method: "GET", path: "/", headers: {} });
  assert.equal(s3.status, 403);
  assert.match(
    await s3.text(),
    /<Code>RequestTimeTooSkewed<\/Code>.*<MaxAllowedSkewMilliseconds>900000</s,
  );
  const json = await signed("sagemaker", {
    method: "POST",
    path: "/",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "SageMaker.ListEndpoints",
    },
    body: "{}",
  });
  assert.equal(json.status, 403);
  const body = await json.json();
  assert.equal(body.__type, "InvalidSignatureException");
  assert.match(body.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than/);
});

Deno.test("unsigned requests get AccessDenied (S3) and MissingAuthenticationTokenException (JSON)", async () => {
  await using env = await startContractEnv({ services });
  const s3 = await fetch(`${env.emulator.endpoint}/`);
  assert.equal(s3.status, 403);
  assert.match(await s3.text(), /<Code>AccessDenied<\/Code>/);
  const json = await fetch(`${env.emulator.endpoint}/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "SageMaker.ListEndpoints",
    },
    body: "{}",
  });
  assert.equal(json.status, 403);
  assert.equal((await json.json()).__type, "MissingAuthenticationTokenException");
});

Deno.test("a body that does not match its signed x-amz-content-sha256 is rejected with XAmzContentSHA256Mismatch", async () => {
  await using env = await startContractEnv({ services });
  const { s3 } = env.clients;
  await s3.send(new CreateBucketCommand({ Bucket: "bodies" }));
  s3.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { body: unknown };
      if (request.body === "original") request.body = "tampered";
      return next(args);
    },
    { step: "finalizeRequest", name: "tamper", priority: "low" },
  );
  const error = await rejection(
    s3.send(
      new PutObjectCommand({
        Bucket: "bodies",
        Key: "k",
        Body: "original",
        ChecksumAlgorithm: undefined,
      }),
    ),
  );
  assert.equal(error.name, "XAmzContentSHA256Mismatch");
  assert.equal(statusOf(error), 400);
});

Deno.test("a presigned GET URL works until it expires, and a tampered one is refused", async () => {
  await using env = await startContractEnv({ services });
  const { s3 } = env.clients;
  await s3.send(new CreateBucketCommand({ Bucket: "shared" }));
  await s3.send(new PutObjectCommand({ Bucket: "shared", Key: "report.txt", Body: "numbers" }));
  const url = new URL(env.emulator.endpoint);
  const presign = async (signingDate: Date, expiresIn: number) => {
    const signer = new SignatureV4({
      service: "s3",
      region: "us-east-1",
      credentials: env.emulator.credentials,
      sha256: Hash.bind(null, "sha256"),
      uriEscapePath: false,
    });
    const request = await signer.presign({
      method: "GET",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: "/shared/report.txt",
      query: {},
      headers: { host: url.host, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
    }, { signingDate, expiresIn, unhoistableHeaders: new Set(["x-amz-content-sha256"]) });
    const query = new URLSearchParams(request.query as Record<string, string>);
    return `${env.emulator.endpoint}/shared/report.txt?${query.toString().replace(/\+/g, "%20")}`;
  };
  const good = await fetch(await presign(new Date(), 300), {
    headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
  });
  assert.equal(good.status, 200);
  assert.equal(await good.text(), "numbers");
  const tampered = (await presign(new Date(), 300)).replace("report.txt?", "report.txt?x=1&");
  const refused = await fetch(tampered, {
    headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
  });
  assert.equal(refused.status, 403);
  assert.match(await refused.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
  const old = await fetch(await presign(new Date(Date.now() - 10 * 60_000), 60), {
    headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
  });
  assert.equal(old.status, 403);
  assert.match(await old.text(), /<Code>AccessDenied<\/Code><Message>Request has expired/);
});

Deno.test("with auth off any credentials are accepted", async () => {
  await using env = await startContractEnv({ services, auth: false });
  const s3 = new S3Client({
    ...env.emulator.clientConfig(),
    credentials: { accessKeyId: "anything", secretAccessKey: "goes" },
  });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: "open" }));
    await s3.send(new PutObjectCommand({ Bucket: "open", Key: "k", Body: "v" }));
    const got = await s3.send(new GetObjectCommand({ Bucket: "open", Key: "k" }));
    assert.equal(await got.Body?.transformToString(), "v");
  } finally {
    s3.destroy();
  }
});
