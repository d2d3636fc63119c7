import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  checksumHeader,
  computeChecksum,
  isWellFormedChecksum,
  parseChecksumAlgorithm,
} from "../../../emulator/s3/checksums.ts";

const hello = new TextEncoder().encode("hello");

Deno.test("computeChecksum() matches the values the AWS SDK sends", async () => {
  assert.equal(await computeChecksum("CRC32", hello), "NhCmhg==");
  assert.equal(await computeChecksum("CRC32", new Uint8Array()), "AAAAAA==");
  assert.equal(
    await computeChecksum("CRC32", new TextEncoder().encode("chunk-one;chunk-two")),
    "bMoHIQ==",
  );
  // CRC-32C check value: "123456789" -> 0xE3069283.
  assert.equal(await computeChecksum("CRC32C", new TextEncoder().encode("123456789")), "4waSgw==");
  // CRC-64/NVME check value: "123456789" -> 0xAE8B14860A799888.
  assert.equal(
    await computeChecksum("CRC64NVME", new TextEncoder().encode("123456789")),
    "rosUhgp5mIg=",
  );
  assert.equal(
    await computeChecksum("SHA1", hello),
    createHash("sha1").update(hello).digest("base64"),
  );
  assert.equal(
    await computeChecksum("SHA256", hello),
    "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=",
  );
});

Deno.test("parseChecksumAlgorithm() reads algorithm names and header names, rejecting others", () => {
  assert.equal(parseChecksumAlgorithm("crc32"), "CRC32");
  assert.equal(parseChecksumAlgorithm("x-amz-checksum-crc64nvme"), "CRC64NVME");
  assert.equal(parseChecksumAlgorithm("MD5"), undefined);
  assert.equal(checksumHeader("SHA256"), "x-amz-checksum-sha256");
});

Deno.test("isWellFormedChecksum() checks base64 and digest length per algorithm", () => {
  assert.equal(isWellFormedChecksum("CRC32", "NhCmhg=="), true);
  assert.equal(isWellFormedChecksum("CRC32", "NhCmhgAA"), false);
  assert.equal(isWellFormedChecksum("SHA256", "NhCmhg=="), false);
  assert.equal(isWellFormedChecksum("CRC64NVME", "rosUhgp5mIg="), true);
  assert.equal(isWellFormedChecksum("CRC32", "not base64!"), false);
});
