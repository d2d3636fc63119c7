import assert from "node:assert/strict";
import { isValidBucketName } from "../../../emulator/s3/CreateBucket.ts";

Deno.test("isValidBucketName() accepts S3's general purpose bucket names and rejects the rest", () => {
  for (const name of ["abc", "my-bucket.v2", "a".repeat(63), "123bucket"]) {
    assert.equal(isValidBucketName(name), true, name);
  }
  for (
    const name of [
      "ab",
      "a".repeat(64),
      "MyBucket",
      "-start",
      "end-",
      "two..dots",
      "10.0.0.1",
      "xn--punycode",
      "sthree-x",
      "name-s3alias",
      "name--ol-s3",
      "under_score",
    ]
  ) {
    assert.equal(isValidBucketName(name), false, name);
  }
});
