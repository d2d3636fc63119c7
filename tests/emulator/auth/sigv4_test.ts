import assert from "node:assert/strict";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { createSigV4Verifier } from "../../../emulator/auth/sigv4.ts";
import type { EmulatorConfig } from "../../../emulator/context.ts";
import { DEFAULT_TIMINGS } from "../../../emulator/core.ts";
import type { AwsRequest } from "../../../emulator/request.ts";
import { parseAuthorization } from "../../../emulator/routing.ts";
import { awsRequest } from "../_aws_request.ts";

const config: EmulatorConfig = {
  accountId: "123456789012",
  region: "us-east-1",
  credentials: {
    accessKeyId: "AKIDEXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  },
  auth: true,
  timings: { ...DEFAULT_TIMINGS },
};

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

interface Wire {
  method: string;
  /** Raw path and query exactly as on the wire. */
  target: string;
  headers: Record<string, string>;
  body?: string;
}

/** S3 `ListBuckets`: the simplest signed request. */
const LIST_BUCKETS: Wire = { method: "GET", target: "/", headers: {} };

/** SageMaker `ListEndpoints` (awsJson 1.1) with `body`. */
function listEndpoints(body: string): Wire {
  return {
    method: "POST",
    target: "/",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "SageMaker.ListEndpoints",
    },
    body,
  };
}

/** S3 `PutObject` to `/bucket/key`. */
function putObject(options: { body?: string; headers?: Record<string, string> }): Wire {
  return {
    method: "PUT",
    target: "/bucket/key",
    headers: options.headers ?? {},
    body: options.body,
  };
}

/** Signs with the SDK's signer, as a client would, and returns the wire request. */
async function sign(
  service: string,
  wire: Wire,
  options: { secret?: string; date?: number; region?: string } = {},
): Promise<Wire> {
  const [path, rawQuery = ""] = wire.target.split("?") as [string, string?];
  const query: Record<string, string | string[]> = {};
  for (const part of rawQuery.split("&").filter(Boolean)) {
    const [k, v = ""] = part.split("=") as [string, string?];
    const key = decodeURIComponent(k);
    const value = decodeURIComponent(v);
    const existing = query[key];
    query[key] = existing === undefined ? value : [existing, value].flat();
  }
  const signer = new SignatureV4({
    service,
    region: options.region ?? "us-east-1",
    credentials: {
      accessKeyId: config.credentials.accessKeyId,
      secretAccessKey: options.secret ?? config.credentials.secretAccessKey,
    },
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: service !== "s3",
  });
  // The SDK signs the path as it will send it (already percent-encoded).
  const signed = await signer.sign({
    method: wire.method,
    protocol: "http:",
    hostname: "127.0.0.1",
    port: 4566,
    path,
    query,
    headers: { host: "127.0.0.1:4566", ...wire.headers },
    body: wire.body,
  }, { signingDate: new Date(options.date ?? NOW) });
  return { ...wire, headers: signed.headers as Record<string, string> };
}

function toRequest(service: string, wire: Wire, bodyOverride?: string): AwsRequest {
  return awsRequest({
    service,
    method: wire.method,
    target: wire.target,
    headers: wire.headers,
    body: bodyOverride ?? wire.body,
    accessKeyId: config.credentials.accessKeyId,
  });
}

async function verify(service: string, wire: Wire, bodyOverride?: string) {
  const request = toRequest(service, wire, bodyOverride);
  const authorization = parseAuthorization(request.headers, request.query);
  assert.ok(authorization, "the request carries SigV4 credentials");
  return await createSigV4Verifier({ now: () => NOW })(request, authorization, config);
}

Deno.test("createSigV4Verifier() accepts a JSON request signed by the SDK's signer", async () => {
  const wire = await sign("sagemaker", listEndpoints("{}"));
  assert.equal(await verify("sagemaker", wire), undefined);
});

Deno.test("createSigV4Verifier() rejects a changed body with InvalidSignatureException", async () => {
  const wire = await sign("sagemaker", listEndpoints('{"MaxResults":1}'));
  const error = await verify("sagemaker", wire, '{"MaxResults":2}');
  assert.equal(error?.code, "InvalidSignatureException");
  assert.equal(error?.status, 403);
});

Deno.test("createSigV4Verifier() double-encodes and normalises non-S3 paths as the signer does", async () => {
  const wire = await sign("sagemaker", {
    method: "POST",
    target: "/endpoints/my%20endpoint%2Fx/./async-invocations",
    headers: { "x-amzn-sagemaker-inputlocation": "s3://b/in.json" },
    body: "",
  });
  assert.equal(await verify("sagemaker", wire), undefined);
});

Deno.test("createSigV4Verifier() uses S3's raw path: '//' and '..' are signed as sent", async () => {
  const wire = await sign("s3", {
    method: "GET",
    target: "/bucket/a//b/../c%20d?x-id=GetObject",
    headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
  });
  assert.equal(await verify("s3", wire), undefined);
  const moved = { ...wire, target: "/bucket/a/c%20d?x-id=GetObject" };
  assert.equal((await verify("s3", moved))?.code, "SignatureDoesNotMatch");
});

Deno.test("createSigV4Verifier() canonicalises the query: sorted, valueless, %20, repeated keys", async () => {
  const wire = await sign("s3", {
    method: "GET",
    target: "/bucket?prefix=a%20b&list-type=2&delete=&tag=b&tag=a",
    headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
  });
  assert.equal(await verify("s3", wire), undefined);
});

Deno.test("createSigV4Verifier() ignores headers that were not signed and checks those that were", async () => {
  const wire = await sign(
    "s3",
    putObject({ headers: { "content-type": "text/plain" }, body: "hello" }),
  );
  const extra = { ...wire, headers: { ...wire.headers, "user-agent": "changed", "x-extra": "1" } };
  assert.equal(await verify("s3", extra), undefined);
  const changed = { ...wire, headers: { ...wire.headers, "content-type": "text/html" } };
  const error = await verify("s3", changed);
  assert.equal(error?.code, "SignatureDoesNotMatch");
  assert.match(error?.fields.CanonicalRequest ?? "", /content-type:text\/html/);
});

Deno.test("createSigV4Verifier() rejects a wrong secret per protocol: S3, query and JSON codes", async () => {
  const s3 = await sign("s3", LIST_BUCKETS, { secret: "wrong" });
  assert.equal((await verify("s3", s3))?.code, "SignatureDoesNotMatch");
  const sts = await sign("sts", {
    method: "POST",
    target: "/",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "Action=GetCallerIdentity&Version=2011-06-15",
  }, { secret: "wrong" });
  assert.equal((await verify("sts", sts))?.code, "SignatureDoesNotMatch");
  const json = await sign("monitoring", {
    method: "POST",
    target: "/",
    headers: { "content-type": "application/x-amz-json-1.0" },
    body: "{}",
  }, { secret: "wrong" });
  assert.equal((await verify("monitoring", json))?.code, "InvalidSignatureException");
});

Deno.test("createSigV4Verifier() rejects requests more than 15 minutes off with the protocol's skew error", async () => {
  const late = NOW - 16 * 60_000;
  const s3 = await sign("s3", LIST_BUCKETS, { date: late });
  const s3Error = await verify("s3", s3);
  assert.equal(s3Error?.code, "RequestTimeTooSkewed");
  assert.equal(s3Error?.fields.MaxAllowedSkewMilliseconds, "900000");
  const json = await sign("sagemaker", { method: "POST", target: "/", headers: {}, body: "{}" }, {
    date: NOW + 16 * 60_000,
  });
  const jsonError = await verify("sagemaker", json);
  assert.equal(jsonError?.code, "InvalidSignatureException");
  assert.match(jsonError?.message ?? "", /^Signature not yet current: 20260601T121600Z/);
  const within = await sign("s3", LIST_BUCKETS, {
    date: NOW - 14 * 60_000,
  });
  assert.equal(await verify("s3", within), undefined);
});

Deno.test("createSigV4Verifier() derives signing keys for any date, region and service", async () => {
  for (const region of ["us-east-1", "eu-west-1"]) {
    for (const date of [NOW, NOW - 10 * 60_000]) {
      const wire = await sign("s3", LIST_BUCKETS, { region, date });
      assert.equal(await verify("s3", wire), undefined, `${region} ${date}`);
    }
  }
});

Deno.test("createSigV4Verifier() checks a hex x-amz-content-sha256 against the body (XAmzContentSHA256Mismatch)", async () => {
  const wire = await sign("s3", putObject({ body: "original" }));
  assert.match(wire.headers["x-amz-content-sha256"] ?? "", /^[0-9a-f]{64}$/);
  const error = await verify("s3", wire, "tampered");
  assert.equal(error?.code, "XAmzContentSHA256Mismatch");
  assert.equal(error?.status, 400);
});

Deno.test("createSigV4Verifier() refuses per-chunk signed streaming with 501 NotImplemented", async () => {
  const wire = await sign(
    "s3",
    putObject({ headers: { "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" } }),
  );
  const error = await verify("s3", wire);
  assert.equal(error?.code, "NotImplemented");
  assert.equal(error?.status, 501);
});

Deno.test("createSigV4Verifier() rejects a credential scope date that differs from x-amz-date", async () => {
  const wire = await sign("s3", LIST_BUCKETS);
  const authorization = wire.headers.authorization!.replace(/\/\d{8}\//, "/20260602/");
  const error = await verify("s3", { ...wire, headers: { ...wire.headers, authorization } });
  assert.equal(error?.code, "SignatureDoesNotMatch");
  assert.match(error?.message ?? "", /Date in Credential scope does not match/);
});

Deno.test("createSigV4Verifier() rejects an unparseable Date header standing in for x-amz-date, quoting it", async () => {
  const wire = await sign("s3", LIST_BUCKETS);
  const { "x-amz-date": _, ...headers } = wire.headers;
  const error = await verify("s3", { ...wire, headers: { ...headers, date: "not a date" } });
  assert.equal(error?.code, "SignatureDoesNotMatch");
  assert.equal(error?.status, 403);
  assert.match(error?.message ?? "", /"not a date": expected YYYYMMDDTHHMMSSZ/);
});
