import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Readable, Transform } from "node:stream";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { SignatureV4 } from "@smithy/signature-v4";
import { Hash } from "@smithy/hash-node";
import type { RunningEmulator } from "../../emulator/start.ts";
import { FilePersistence } from "../../emulator/persistence/file.ts";
import { startContractEnv } from "./_harness.ts";
import { rejection, statusOf } from "./_sdk_errors.ts";

const text = (s: string) => new TextEncoder().encode(s);

/** A request signed like the SDK signs S3 requests, for shapes the SDK will not send. */
async function signedFetch(
  emulator: RunningEmulator,
  options: { method: string; path: string; region: string; body?: Uint8Array },
): Promise<Response> {
  const signer = new SignatureV4({
    service: "s3",
    region: options.region,
    credentials: emulator.credentials,
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: false,
  });
  const url = new URL(emulator.endpoint);
  const signed = await signer.sign({
    method: options.method,
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: options.path,
    query: {},
    headers: { host: url.host },
    body: options.body,
  });
  return await fetch(`${emulator.endpoint}${options.path}`, {
    method: options.method,
    headers: signed.headers,
    body: options.body as Uint8Array<ArrayBuffer> | undefined,
  });
}

Deno.test("CreateBucket, HeadBucket, ListBuckets and DeleteBucket round-trip", async () => {
  await using env = await startContractEnv();
  const { s3 } = env.clients;
  await s3.send(new CreateBucketCommand({ Bucket: "alpha" }));
  await s3.send(new CreateBucketCommand({ Bucket: "beta" }));
  const head = await s3.send(new HeadBucketCommand({ Bucket: "alpha" }));
  assert.equal(head.BucketRegion, "us-east-1");
  const listed = await s3.send(new ListBucketsCommand({}));
  assert.deepEqual(listed.Buckets?.map((b) => b.Name), ["alpha", "beta"]);
  assert.equal(listed.Buckets?.[0]?.CreationDate?.getTime(), env.clock.now());
  assert.match(listed.Owner?.ID ?? "", /^[0-9a-f]{64}$/);
  await s3.send(new DeleteBucketCommand({ Bucket: "alpha" }));
  const after = await s3.send(new ListBucketsCommand({}));
  assert.deepEqual(after.Buckets?.map((b) => b.Name), ["beta"]);
  const missing = await rejection(s3.send(new HeadBucketCommand({ Bucket: "alpha" })));
  assert.equal(missing.name, "NotFound");
  assert.equal(statusOf(missing), 404);
});

Deno.test("CreateBucket rejects invalid names with InvalidBucketName", async () => {
  await using env = await startContractEnv();
  for (const name of ["ab", "Upper", "a..b", "192.168.1.1", "xn--abc", "bucket-s3alias"]) {
    const error = await rejection(env.clients.s3.send(new CreateBucketCommand({ Bucket: name })));
    assert.equal(error.name, "InvalidBucketName", name);
    assert.equal(error.BucketName, name);
  }
});

Deno.test("CreateBucket answers 200 for an owned bucket in us-east-1 and BucketAlreadyOwnedByYou elsewhere", async () => {
  await using env = await startContractEnv();
  await env.clients.s3.send(new CreateBucketCommand({ Bucket: "legacy" }));
  await env.clients.s3.send(new CreateBucketCommand({ Bucket: "legacy" }));
  const eu = new S3Client({ ...env.emulator.clientConfig(), region: "eu-west-1" });
  try {
    await eu.send(
      new CreateBucketCommand({
        Bucket: "regional",
        CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
      }),
    );
    const head = await eu.send(new HeadBucketCommand({ Bucket: "regional" }));
    assert.equal(head.BucketRegion, "eu-west-1");
    const again = await rejection(
      eu.send(
        new CreateBucketCommand({
          Bucket: "regional",
          CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
        }),
      ),
    );
    assert.equal(again.name, "BucketAlreadyOwnedByYou");
    assert.equal(statusOf(again), 409);
  } finally {
    eu.destroy();
  }
});

Deno.test("CreateBucket outside us-east-1 needs a LocationConstraint naming the request's region", async () => {
  await using env = await startContractEnv();
  const eu = new S3Client({ ...env.emulator.clientConfig(), region: "eu-west-1" });
  try {
    // The SDK adds the client's region as LocationConstraint; send the bare request signed.
    const none = await signedFetch(env.emulator, {
      method: "PUT",
      path: "/no-constraint/",
      region: "eu-west-1",
    });
    assert.equal(none.status, 400);
    assert.match(
      await none.text(),
      /<Code>IllegalLocationConstraintException<\/Code><Message>The unspecified location constraint/,
    );
    const other = await rejection(
      eu.send(
        new CreateBucketCommand({
          Bucket: "wrong-constraint",
          CreateBucketConfiguration: { LocationConstraint: "ap-south-1" },
        }),
      ),
    );
    assert.equal(other.name, "IllegalLocationConstraintException");
    assert.match(String(other.message), /ap-south-1 location constraint/);
  } finally {
    eu.destroy();
  }
});

Deno.test("DeleteBucket rejects a non-empty bucket with BucketNotEmpty and a missing one with NoSuchBucket", async () => {
  await using env = await startContractEnv();
  const { s3 } = env.clients;
  await s3.send(new CreateBucketCommand({ Bucket: "full" }));
  await s3.send(new PutObjectCommand({ Bucket: "full", Key: "k", Body: "x" }));
  const notEmpty = await rejection(s3.send(new DeleteBucketCommand({ Bucket: "full" })));
  assert.equal(notEmpty.name, "BucketNotEmpty");
  assert.equal(statusOf(notEmpty), 409);
  assert.equal(notEmpty.BucketName, "full");
  const missing = await rejection(s3.send(new DeleteBucketCommand({ Bucket: "ghost" })));
  assert.equal(missing.name, "NoSuchBucket");
  assert.equal(missing.BucketName, "ghost");
});

Deno.test("PutObject and GetObject round-trip bytes, content type, metadata, ETag, Last-Modified and CRC32", async () => {
  await using env = await startContractEnv();
  const { s3 } = env.clients;
  await s3.send(new CreateBucketCommand({ Bucket: "data" }));
  await env.clock.advance(1_500);
  const put = await s3.send(
    new PutObjectCommand({
      Bucket: "data",
      Key: "greeting.txt",
      Body: "hello",
      ContentType: "text/plain; charset=utf-8",
      Metadata: { owner: "team-a", "run-id": "42" },
      CacheControl: "max-age=60",
    }),
  );
  assert.equal(put.ETag, '"5d41402abc4b2a76b9719d911017c592"');
  assert.equal(put.ChecksumCRC32, "NhCmhg==");
  const got = await s3.send(new GetObjectCommand({ Bucket: "data", Key: "greeting.txt" }));
  assert.equal(await got.Body?.transformToString(), "hello");
  assert.equal(got.ContentType, "text/plain; charset=utf-8");
  assert.equal(got.ContentLength, 5);
  assert.equal(got.ETag, put.ETag);
  assert.equal(got.CacheControl, "max-age=60");
  assert.deepEqual(got.Metadata, { owner: "team-a", "run-id": "42" });
  assert.equal(got.ChecksumCRC32, "NhCmhg==");
  // Emulated time, whole seconds as S3 stores it.
  assert.equal(got.LastModified?.getTime(), Date.UTC(2026, 0, 1, 0, 0, 1));
});

Deno.test("GetObject's checksum is validated by the SDK and a stored SHA-256 comes back", async () => {
  await using env = await startContractEnv();
  const { s3 } = env.clients;
  await s3.send(new CreateBucketCommand({ Bucket: "sums" }));
  const put = await s3.send(
    new PutObjectCommand({
      Bucket: "sums",
      Key: "k",
      Body: "payload",
      ChecksumAlgorithm: "SHA256",
    }),
  );
  const expected = btoa(
    String.fromCharCode(...new Uint8Array(await crypto.subtle.digest("SHA-256", text("payload")))),
  );
  assert.equal(put.ChecksumSHA256, expected);
  const got = await s3.send(new GetObjectCommand({ Bucket: "sums", Key: "k" }));
  assert.equal(got.ChecksumSHA256, expected);
  assert.equal(await got.Body?.transformToString(), "payload");
});

Deno.test("an object stored without a checksum gets S3's default CRC64NVME", async () => {
  await using env = await startContractEnv({ auth: false });
  await env.clients.s3.send(new CreateBucketCommand({ Bucket: "plain" }));
  const response = await fetch(`${env.emulator.endpoint}/plain/k`, {
    method: "PUT",
    body: text("hi"),
  });
  await response.body?.cancel();
  assert.equal(response.status, 200);
  const got = await env.clients.s3.send(new GetObjectCommand({ Bucket: "plain", Key: "k" }));
  assert.equal(got.ChecksumCRC64NVME?.length, 12);
  assert.equal(await got.Body?.transformToString(), "hi");
  assert.equal(got.ContentType, "binary/octet-stream");
});

Deno.test("GetObject and HeadObject report NoSuchKey with <Key>, NoSuchBucket with <BucketName>, HEAD without a body", async () => {
  await using env = await startContractEnv();
  const { s3 } = env.clients;
  await s3.send(new CreateBucketCommand({ Bucket: "bucket-1" }));
  const noKey = await rejection(s3.send(new GetObjectCommand({ Bucket: "bucket-1", Key: "nope" })));
  assert.equal(noKey.name, "NoSuchKey");
  assert.equal(noKey.Key, "nope");
  assert.equal(statusOf(noKey), 404);
  const noBucket = await rejection(s3.send(new GetObjectCommand({ Bucket: "bucket-2", Key: "k" })));
  assert.equal(noBucket.name, "NoSuchBucket");
  assert.equal(noBucket.BucketName, "bucket-2");
  const head = await rejection(s3.send(new HeadObjectCommand({ Bucket: "bucket-1", Key: "nope" })));
  assert.equal(head.name, "NotFound");
  const raw = await fetch(`${env.emulator.endpoint}/bucket-1/nope`, { method: "HEAD" });
  assert.equal(raw.status, 403); // unsigned: AccessDenied, status only
  assert.equal(await raw.text(), "");
});

Deno.test("GetObject honours Range with 206 and Content-Range, and 416 InvalidRange past the end", async () => {
  await using env = await startContractEnv();
  const { s3 } = env.clients;
  await s3.send(new CreateBucketCommand({ Bucket: "ranges" }));
  await s3.send(new PutObjectCommand({ Bucket: "ranges", Key: "k", Body: "0123456789abcdefg" }));
  const cases: Array<[string, string, string]> = [
    ["bytes=0-4", "01234", "bytes 0-4/17"],
    ["bytes=10-", "abcdefg", "bytes 10-16/17"],
    ["bytes=-3", "efg", "bytes 14-16/17"],
    ["bytes=15-100", "fg", "bytes 15-16/17"],
  ];
  for (const [range, body, contentRange] of cases) {
    const got = await s3.send(new GetObjectCommand({ Bucket: "ranges", Key: "k", Range: range }));
    assert.equal(got.$metadata.httpStatusCode, 206, range);
    assert.equal(await got.Body?.transformToString(), body, range);
    assert.equal(got.ContentRange, contentRange, range);
    assert.equal(got.ContentLength, body.length, range);
    assert.equal(got.ChecksumCRC32, undefined, "no whole-object checksum on a range");
  }
  const error = await rejection(
    s3.send(new GetObjectCommand({ Bucket: "ranges", Key: "k", Range: "bytes=17-20" })),
  );
  assert.equal(error.name, "InvalidRange");
  assert.equal(statusOf(error), 416);
  assert.equal(error.ActualObjectSize, "17");
});

Deno.test("GetObject answers preconditions: If-None-Match 304, If-Match 412 PreconditionFailed", async () => {
  await using env = await startContractEnv();
  const { s3 } = env.clients;
  await s3.send(new CreateBucketCommand({ Bucket: "cond" }));
  const put = await s3.send(new PutObjectCommand({ Bucket: "cond", Key: "k", Body: "v1" }));
  const notModified = await rejection(
    s3.send(new GetObjectCommand({ Bucket: "cond", Key: "k", IfNoneMatch: put.ETag })),
  );
  assert.equal(statusOf(notModified), 304);
  const failed = await rejection(
    s3.send(new GetObjectCommand({ Bucket: "cond", Key: "k", IfMatch: '"0000"' })),
  );
  assert.equal(failed.name, "PreconditionFailed");
  assert.equal(statusOf(failed), 412);
  const ok = await s3.send(new GetObjectCommand({ Bucket: "cond", Key: "k", IfMatch: put.ETag }));
  assert.equal(await ok.Body?.transformToString(), "v1");
  const exists = await rejection(
    s3.send(new PutObjectCommand({ Bucket: "cond", Key: "k", Body: "v2", IfNoneMatch: "*" })),
  );
  assert.equal(exists.name, "PreconditionFailed");
});

Deno.test("keys come from the raw path: '//', '..', '.', spaces, '+', unicode and XML characters survive", async () => {
  await using env = await startContractEnv();
  const { s3 } = env.clients;
  await s3.send(new CreateBucketCommand({ Bucket: "keys" }));
  const keys = ["a//b", "../up", "x/./y", "with space+plus", "ünï/😀", "a&b<c>\"'", "trailing/"];
  for (const key of keys) {
    await s3.send(new PutObjectCommand({ Bucket: "keys", Key: key, Body: key }));
  }
  for (const key of keys) {
    const got = await s3.send(new GetObjectCommand({ Bucket: "keys", Key: key }));
    assert.equal(await got.Body?.transformToString(), key);
  }
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: "keys" }));
  const utf8 = (k: string) => Array.from(text(k));
  const sorted = [...keys].sort((a, b) => {
    const x = utf8(a), y = utf8(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  });
  assert.deepEqual(listed.Contents?.map((c) => c.Key), sorted);
});

Deno.test("ListObjectsV2 groups CommonPrefixes with a delimiter and counts KeyCount", async () => {
  await using env = await startContractEnv();
  const { s3 } = env.clients;
  await s3.send(new CreateBucketCommand({ Bucket: "tree" }));
  for (const key of ["top.txt", "dir/a", "dir/b", "dir/sub/c", "dox/d", "other/e"]) {
    await s3.send(new PutObjectCommand({ Bucket: "tree", Key: key, Body: "x" }));
  }
  const root = await s3.send(new ListObjectsV2Command({ Bucket: "tree", Delimiter: "/" }));
  assert.deepEqual(root.Contents?.map((c) => c.Key), ["top.txt"]);
  assert.deepEqual(root.CommonPrefixes?.map((p) => p.Prefix), ["dir/", "dox/", "other/"]);
  assert.equal(root.KeyCount, 4);
  assert.equal(root.IsTruncated, false);
  const dir = await s3.send(
    new ListObjectsV2Command({ Bucket: "tree", Prefix: "dir/", Delimiter: "/" }),
  );
  assert.deepEqual(dir.Contents?.map((c) => c.Key), ["dir/a", "dir/b"]);
  assert.deepEqual(dir.CommonPrefixes?.map((p) => p.Prefix), ["dir/sub/"]);
  assert.equal(dir.Prefix, "dir/");
  assert.equal(dir.Contents?.[0]?.Size, 1);
  assert.equal(dir.Contents?.[0]?.StorageClass, "STANDARD");
  const after = await s3.send(new ListObjectsV2Command({ Bucket: "tree", StartAfter: "dir/b" }));
  assert.deepEqual(after.Contents?.map((c) => c.Key), ["dir/sub/c", "dox/d", "other/e", "top.txt"]);
  assert.equal(after.StartAfter, "dir/b");
  const empty = await s3.send(new ListObjectsV2Command({ Bucket: "tree", Prefix: "zzz" }));
  assert.equal(empty.Contents, undefined);
  assert.equal(empty.KeyCount, 0);
});

Deno.test("ListObjectsV2 pages with max-keys and continuation tokens, also across CommonPrefixes", async () => {
  await using env = await startContractEnv();
  const { s3 } = env.clients;
  await s3.send(new CreateBucketCommand({ Bucket: "pages" }));
  const keys = Array.from({ length: 23 }, (_, i) => `k${String(i).padStart(2, "0")}`);
  keys.push("p/1", "p/2", "q/1");
  for (const key of keys) {
    await s3.send(new PutObjectCommand({ Bucket: "pages", Key: key, Body: "x" }));
  }
  const seen: string[] = [];
  let pages = 0;
  for await (
    const page of paginateListObjectsV2({ client: s3, pageSize: 5 }, {
      Bucket: "pages",
      Delimiter: "/",
    })
  ) {
    pages++;
    assert.ok((page.KeyCount ?? 0) <= 5);
    seen.push(...(page.Contents ?? []).map((c) => c.Key!));
    seen.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
  }
  assert.equal(pages, 5);
  assert.deepEqual(seen, [...keys.slice(0, 23), "p/", "q/"]);
  const bad = await rejection(
    s3.send(new ListObjectsV2Command({ Bucket: "pages", ContinuationToken: "not-a-token" })),
  );
  assert.equal(bad.name, "InvalidArgument");
});

Deno.test("ListObjects (version 1) pages with markers and NextMarker", async () => {
  await using env = await startContractEnv();
  const { s3 } = env.clients;
  await s3.send(new CreateBucketCommand({ Bucket: "list-v1" }));
  for (const key of ["a", "b/1", "b/2", "c"]) {
    await s3.send(new PutObjectCommand({ Bucket: "list-v1", Key: key, Body: "x" }));
  }
  const first = await s3.send(
    new ListObjectsCommand({ Bucket: "list-v1", Delimiter: "/", MaxKeys: 2 }),
  );
  assert.deepEqual(first.Contents?.map((c) => c.Key), ["a"]);
  assert.deepEqual(first.CommonPrefixes?.map((p) => p.Prefix), ["b/"]);
  assert.equal(first.IsTruncated, true);
  assert.equal(first.NextMarker, "b/");
  const second = await s3.send(
    new ListObjectsCommand({ Bucket: "list-v1", Delimiter: "/", Marker: first.NextMarker }),
  );
  assert.deepEqual(second.Contents?.map((c) => c.Key), ["c"]);
  assert.equal(second.IsTruncated, false);
});

Deno.test("DeleteObject is idempotent; DeleteObjects reports deletions unless Quiet", async () => {
  await using env = await startContractEnv();
  const { s3 } = env.clients;
  await s3.send(new CreateBucketCommand({ Bucket: "del" }));
  for (const key of ["a", "b", "c", "d"]) {
    await s3.send(new PutObjectCommand({ Bucket: "del", Key: key, Body: "x" }));
  }
  const one = await s3.send(new DeleteObjectCommand({ Bucket: "del", Key: "a" }));
  assert.equal(one.$metadata.httpStatusCode, 204);
  await s3.send(new DeleteObjectCommand({ Bucket: "del", Key: "a" }));
  const loud = await s3.send(
    new DeleteObjectsCommand({
      Bucket: "del",
      Delete: { Objects: [{ Key: "b" }, { Key: "never-existed" }] },
    }),
  );
  assert.deepEqual(loud.Deleted?.map((d) => d.Key), ["b", "never-existed"]);
  assert.equal(loud.Errors, undefined);
  const quiet = await s3.send(
    new DeleteObjectsCommand({ Bucket: "del", Delete: { Objects: [{ Key: "c" }], Quiet: true } }),
  );
  assert.equal(quiet.Deleted, undefined);
  const left = await s3.send(new ListObjectsV2Command({ Bucket: "del" }));
  assert.deepEqual(left.Contents?.map((c) => c.Key), ["d"]);
  const noBucket = await rejection(s3.send(new DeleteObjectCommand({ Bucket: "gone", Key: "k" })));
  assert.equal(noBucket.name, "NoSuchBucket");
});

Deno.test("DeleteObjects needs Content-MD5 or a checksum, verifies either, and deletes nothing on a mismatch", async () => {
  await using env = await startContractEnv({ auth: false });
  await env.clients.s3.send(new CreateBucketCommand({ Bucket: "proof" }));
  await env.clients.s3.send(new PutObjectCommand({ Bucket: "proof", Key: "k", Body: "x" }));
  const body = "<Delete><Object><Key>k</Key></Object></Delete>";
  const md5 = createHash("md5").update(body).digest("base64");
  const post = (headers: Record<string, string>) =>
    fetch(`${env.emulator.endpoint}/proof?delete`, { method: "POST", headers, body });
  const cases: Array<[Record<string, string>, number, RegExp]> = [
    [{}, 400, /<Code>InvalidRequest<\/Code><Message>Missing required header/],
    [{ "content-md5": "AAAAAAAAAAAAAAAAAAAAAA==" }, 400, /<Code>BadDigest<\/Code>/],
    [{ "content-md5": "not-md5" }, 400, /<Code>InvalidDigest<\/Code>/],
    [{ "content-md5": md5, "x-amz-checksum-crc32": "AAAAAA==" }, 400, /<Code>BadDigest<\/Code>/],
  ];
  for (const [headers, status, code] of cases) {
    const response = await post(headers);
    assert.equal(response.status, status, JSON.stringify(headers));
    assert.match(await response.text(), code, JSON.stringify(headers));
  }
  const listed = await env.clients.s3.send(new ListObjectsV2Command({ Bucket: "proof" }));
  assert.deepEqual(listed.Contents?.map((c) => c.Key), ["k"], "nothing was deleted");
  const deleted = await post({ "content-md5": md5 });
  assert.equal(deleted.status, 200);
  assert.match(await deleted.text(), /<Deleted><Key>k<\/Key><\/Deleted>/);
});

Deno.test("CopyObject copies metadata by default, replaces it with REPLACE, and refuses a no-op self-copy", async () => {
  await using env = await startContractEnv();
  const { s3 } = env.clients;
  await s3.send(new CreateBucketCommand({ Bucket: "src" }));
  await s3.send(new CreateBucketCommand({ Bucket: "dst" }));
  await s3.send(
    new PutObjectCommand({
      Bucket: "src",
      Key: "dir/original file.json",
      Body: '{"a":1}',
      ContentType: "application/json",
      Metadata: { stage: "raw" },
    }),
  );
  const copied = await s3.send(
    new CopyObjectCommand({
      Bucket: "dst",
      Key: "copy.json",
      CopySource: `src/${encodeURIComponent("dir/original file.json")}`,
    }),
  );
  assert.equal(
    copied.CopyObjectResult?.ETag,
    `"${createHash("md5").update('{"a":1}').digest("hex")}"`,
  );
  assert.equal(copied.CopyObjectResult?.LastModified?.getTime(), env.clock.now());
  const same = await s3.send(new HeadObjectCommand({ Bucket: "dst", Key: "copy.json" }));
  assert.equal(same.ContentType, "application/json");
  assert.deepEqual(same.Metadata, { stage: "raw" });
  const source = await s3.send(
    new HeadObjectCommand({ Bucket: "src", Key: "dir/original file.json" }),
  );
  assert.equal(copied.CopyObjectResult?.ETag, source.ETag);
  await s3.send(
    new CopyObjectCommand({
      Bucket: "dst",
      Key: "copy.json",
      CopySource: "dst/copy.json",
      MetadataDirective: "REPLACE",
      ContentType: "text/plain",
      Metadata: { stage: "clean" },
    }),
  );
  const replaced = await s3.send(new GetObjectCommand({ Bucket: "dst", Key: "copy.json" }));
  assert.equal(replaced.ContentType, "text/plain");
  assert.deepEqual(replaced.Metadata, { stage: "clean" });
  assert.equal(await replaced.Body?.transformToString(), '{"a":1}');
  const self = await rejection(
    s3.send(
      new CopyObjectCommand({ Bucket: "dst", Key: "copy.json", CopySource: "dst/copy.json" }),
    ),
  );
  assert.equal(self.name, "InvalidRequest");
  const missing = await rejection(
    s3.send(new CopyObjectCommand({ Bucket: "dst", Key: "x", CopySource: "src/missing" })),
  );
  assert.equal(missing.name, "NoSuchKey");
});

Deno.test("an aws-chunked upload from a Readable of known length is decoded and its trailing CRC32 checked", async () => {
  await using env = await startContractEnv();
  const { s3 } = env.clients;
  await s3.send(new CreateBucketCommand({ Bucket: "stream" }));
  const seen: Record<string, string> = {};
  s3.middlewareStack.add(
    (next) => (args) => {
      const headers = (args.request as { headers: Record<string, string> }).headers;
      Object.assign(seen, headers);
      return next(args);
    },
    { step: "finalizeRequest", name: "recordHeaders", priority: "low" },
  );
  const put = await s3.send(
    new PutObjectCommand({
      Bucket: "stream",
      Key: "chunks",
      Body: Readable.from([text("chunk-one;"), text("chunk-two")]),
      ContentLength: 19,
    }),
  );
  assert.equal(seen["content-encoding"], "aws-chunked");
  assert.equal(seen["x-amz-content-sha256"], "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
  assert.equal(put.ChecksumCRC32, "bMoHIQ==");
  const got = await s3.send(new GetObjectCommand({ Bucket: "stream", Key: "chunks" }));
  assert.equal(await got.Body?.transformToString(), "chunk-one;chunk-two");
  assert.equal(got.ContentLength, 19);
  assert.equal(got.ContentEncoding, undefined, "aws-chunked is not stored");
});

Deno.test("an aws-chunked upload whose data does not match its trailing checksum fails with BadDigest", async () => {
  await using env = await startContractEnv();
  await env.clients.s3.send(new CreateBucketCommand({ Bucket: "stream" }));
  // A logger of our own keeps the SDK's console warning about the unretryable stream quiet.
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const s3 = new S3Client({ ...env.emulator.clientConfig(), logger: quiet });
  using _ = { [Symbol.dispose]: () => s3.destroy() };
  // After the SDK computed the trailer, flip the first data byte on the wire.
  s3.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { body: unknown };
      if (!(request.body instanceof Readable)) return next(args);
      let crlf = 0;
      let flipped = false;
      request.body = request.body.pipe(
        new Transform({
          transform(chunk: Uint8Array, _encoding, done) {
            const bytes = new Uint8Array(chunk);
            for (let i = 0; i < bytes.length && !flipped; i++) {
              if (crlf === 2) {
                bytes[i] = bytes[i]! ^ 0x20;
                flipped = true;
              } else if (bytes[i] === (crlf === 0 ? 13 : 10)) crlf++;
              else crlf = 0;
            }
            done(null, bytes);
          },
        }),
      );
      return next(args);
    },
    { step: "finalizeRequest", name: "corruptBody", priority: "low" },
  );
  const error = await rejection(
    s3.send(
      new PutObjectCommand({
        Bucket: "stream",
        Key: "corrupt",
        Body: Readable.from([text("chunk-one;"), text("chunk-two")]),
        ContentLength: 19,
      }),
    ),
  );
  assert.equal(error.name, "BadDigest");
  assert.equal(statusOf(error), 400);
  assert.match(String(error.message), /CRC32/);
  const absent = await rejection(
    s3.send(new HeadObjectCommand({ Bucket: "stream", Key: "corrupt" })),
  );
  assert.equal(absent.name, "NotFound", "nothing was stored");
});

Deno.test("PutObject verifies x-amz-checksum-* and Content-MD5 headers with BadDigest", async () => {
  await using env = await startContractEnv({ auth: false });
  await env.clients.s3.send(new CreateBucketCommand({ Bucket: "digest" }));
  const put = (headers: Record<string, string>) =>
    fetch(`${env.emulator.endpoint}/digest/k`, { method: "PUT", headers, body: "hello" });
  const wrongCrc = await put({ "x-amz-checksum-crc32": "AAAAAA==" });
  assert.equal(wrongCrc.status, 400);
  assert.match(await wrongCrc.text(), /<Code>BadDigest<\/Code><Message>The CRC32 you specified/);
  const wrongMd5 = await put({ "content-md5": "AAAAAAAAAAAAAAAAAAAAAA==" });
  assert.equal(wrongMd5.status, 400);
  assert.match(await wrongMd5.text(), /<Code>BadDigest<\/Code>/);
  const malformed = await put({ "x-amz-checksum-sha256": "short" });
  assert.equal(malformed.status, 400);
  assert.match(await malformed.text(), /<Code>InvalidRequest<\/Code>/);
  const good = await put({
    "x-amz-checksum-crc32": "NhCmhg==",
    "content-md5": "XUFAKrxLKna5cZ2REBfFkg==",
  });
  await good.body?.cancel();
  assert.equal(good.status, 200);
  assert.equal(good.headers.get("etag"), '"5d41402abc4b2a76b9719d911017c592"');
});

Deno.test("the SDK retries injected 5xx faults and succeeds, or surfaces the error when they persist", async () => {
  await using env = await startContractEnv();
  const { s3 } = env.clients;
  await s3.send(new CreateBucketCommand({ Bucket: "flaky" }));
  env.emulator.emulator.faults.add({
    service: "s3",
    operation: "PutObject",
    status: 500,
    count: 2,
  });
  const put = await s3.send(new PutObjectCommand({ Bucket: "flaky", Key: "k", Body: "v" }));
  assert.equal(put.$metadata.attempts, 3);
  const response = await fetch(`${env.emulator.endpoint}/_emulator/faults`, {
    method: "POST",
    body: JSON.stringify({ service: "s3", operation: "GetObject", status: 503, count: 3 }),
  });
  assert.equal(response.status, 201);
  assert.equal((await response.json()).remaining, 3);
  const error = await rejection(s3.send(new GetObjectCommand({ Bucket: "flaky", Key: "k" })));
  assert.equal(error.name, "SlowDown");
  assert.equal((error.$metadata as { attempts: number }).attempts, 3);
  const got = await s3.send(new GetObjectCommand({ Bucket: "flaky", Key: "k" }));
  assert.equal(await got.Body?.transformToString(), "v");
});

Deno.test("operations the emulator does not implement answer 501 NotImplemented naming them", async () => {
  await using env = await startContractEnv();
  const { s3 } = env.clients;
  await s3.send(new CreateBucketCommand({ Bucket: "nope" }));
  const error = await rejection(
    s3.send(new CreateMultipartUploadCommand({ Bucket: "nope", Key: "big" })),
  );
  assert.equal(error.name, "NotImplemented");
  assert.equal(statusOf(error), 501);
  assert.match(String(error.message), /CreateMultipartUpload/);
  const tagged = await rejection(
    s3.send(new PutObjectCommand({ Bucket: "nope", Key: "k", Body: "x", Tagging: "a=b" })),
  );
  assert.equal(tagged.name, "NotImplemented");
});

Deno.test("buckets and objects survive a restart of an emulator with a data directory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    {
      await using env = await startContractEnv({ persistence: await FilePersistence.open(dir) });
      const { s3 } = env.clients;
      await s3.send(new CreateBucketCommand({ Bucket: "durable" }));
      await s3.send(
        new PutObjectCommand({
          Bucket: "durable",
          Key: "dir/object.json",
          Body: '{"kept":true}',
          ContentType: "application/json",
          Metadata: { origin: "first-run" },
          ChecksumAlgorithm: "SHA256",
        }),
      );
    }
    await using env = await startContractEnv({ persistence: await FilePersistence.open(dir) });
    const got = await env.clients.s3.send(
      new GetObjectCommand({ Bucket: "durable", Key: "dir/object.json" }),
    );
    assert.equal(await got.Body?.transformToString(), '{"kept":true}');
    assert.equal(got.ContentType, "application/json");
    assert.deepEqual(got.Metadata, { origin: "first-run" });
    assert.ok(got.ChecksumSHA256);
    const listed = await env.clients.s3.send(new ListObjectsV2Command({ Bucket: "durable" }));
    assert.deepEqual(listed.Contents?.map((c) => c.Key), ["dir/object.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
