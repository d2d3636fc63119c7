import assert from "node:assert/strict";
import { assertBucketName, formatS3Uri, joinKey, parseS3Uri } from "../../lib/s3_uri.ts";

/** Asserts `fn` throws `type` with a message containing every one of `parts`. */
function assertThrowsWith(
  fn: () => unknown,
  type: typeof TypeError | typeof RangeError,
  parts: string[],
): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${e}`);
    for (const part of parts) {
      assert.ok(e.message.includes(part), `message ${JSON.stringify(e.message)} lacks ${part}`);
    }
    return true;
  });
}

Deno.test("parseS3Uri() splits bucket and key", () => {
  assert.deepEqual(parseS3Uri("s3://my-bucket/inputs/a.json"), {
    bucket: "my-bucket",
    key: "inputs/a.json",
  });
  assert.deepEqual(parseS3Uri("s3://my.bucket.v2/a/b/c/"), {
    bucket: "my.bucket.v2",
    key: "a/b/c/",
  });
});

Deno.test("parseS3Uri() gives an empty key for a bare bucket, with or without a slash", () => {
  assert.deepEqual(parseS3Uri("s3://bucket"), { bucket: "bucket", key: "" });
  assert.deepEqual(parseS3Uri("s3://bucket/"), { bucket: "bucket", key: "" });
});

Deno.test("parseS3Uri() rejects anything that is not s3:// with a TypeError naming the value", () => {
  for (const uri of ["https://bucket/key", "S3://bucket/key", "bucket/key", ""]) {
    assertThrowsWith(() => parseS3Uri(uri), TypeError, [
      `Invalid S3 URI ${JSON.stringify(uri)}`,
      "must start with s3://",
    ]);
  }
  assertThrowsWith(() => parseS3Uri(42 as unknown as string), TypeError, ["42", "s3://"]);
});

Deno.test("parseS3Uri() names what was being parsed in its errors", () => {
  assertThrowsWith(() => parseS3Uri("file:///x", "outputPath"), TypeError, [
    'Invalid outputPath "file:///x"',
  ]);
  assertThrowsWith(() => parseS3Uri("s3://Bad_Bucket/k", "outputPath"), TypeError, [
    'bucket of outputPath "s3://Bad_Bucket/k"',
    '"Bad_Bucket"',
  ]);
});

Deno.test("parseS3Uri() rejects an invalid bucket with a TypeError stating the bucket rule", () => {
  const bad = [
    "",
    "ab",
    "a".repeat(64),
    "MyBucket",
    "my_bucket",
    "-bucket",
    "bucket-",
    ".bucket",
    "bucket.",
    "my..bucket",
    "192.168.1.1",
    "10.0.0.255",
  ];
  for (const bucket of bad) {
    assertThrowsWith(() => parseS3Uri(`s3://${bucket}/key`), TypeError, [
      JSON.stringify(bucket),
      "must be 3-63 characters",
    ]);
  }
});

Deno.test("parseS3Uri() accepts buckets of 3 and 63 characters and dotted names that are not IPs", () => {
  for (const bucket of ["abc", "a".repeat(63), "1.2.3.4.5", "192.168.1.a", "a.b-c.d"]) {
    assert.equal(parseS3Uri(`s3://${bucket}/k`).bucket, bucket);
  }
});

Deno.test("parseS3Uri() limits keys to 1024 bytes of UTF-8 with a RangeError", () => {
  assert.equal(parseS3Uri(`s3://b-1/${"k".repeat(1024)}`).key.length, 1024);
  assert.equal(parseS3Uri(`s3://b-1/${"é".repeat(512)}`).key.length, 512);
  const long = `s3://b-1/${"k".repeat(1025)}`;
  assertThrowsWith(() => parseS3Uri(long), RangeError, [
    JSON.stringify(long),
    "at most 1024 bytes",
  ]);
  assertThrowsWith(() => parseS3Uri(`s3://b-1/${"é".repeat(513)}`), RangeError, [
    "at most 1024 bytes",
  ]);
});

Deno.test("assertBucketName() accepts valid names and names `what` when rejecting", () => {
  assertBucketName("sagemaker-us-east-1-123456789012");
  assertThrowsWith(() => assertBucketName("a..b", "default bucket"), TypeError, [
    'Invalid default bucket "a..b"',
  ]);
  assertThrowsWith(() => assertBucketName("1.2.3.4"), TypeError, ['Invalid bucket name "1.2.3.4"']);
});

Deno.test("formatS3Uri() renders s3://bucket/key and round-trips through parseS3Uri()", () => {
  assert.equal(formatS3Uri({ bucket: "b-1", key: "a/b.json" }), "s3://b-1/a/b.json");
  assert.equal(formatS3Uri({ bucket: "b-1", key: "" }), "s3://b-1/");
  const uri = "s3://my-bucket/prefix/x y+z.json";
  assert.equal(formatS3Uri(parseS3Uri(uri)), uri);
});

Deno.test("joinKey() joins parts with single slashes and skips empty parts", () => {
  assert.equal(joinKey("a/", "/b", "c"), "a/b/c");
  assert.equal(joinKey("a//", "//b//", "c/"), "a/b/c");
  assert.equal(joinKey("a/b", "c/d"), "a/b/c/d");
  assert.equal(joinKey("", "b", "", "c"), "b/c");
  assert.equal(joinKey("prefix/", "/"), "prefix");
  assert.equal(joinKey("only"), "only");
  assert.equal(joinKey(), "");
});
