/**
 * The checksums S3 accepts in `x-amz-checksum-<algorithm>` headers and
 * trailers, computed with maintained implementations: CRC32 (zlib), CRC32C
 * and CRC64NVME (`@aws-sdk/checksums`, the SDK's own), SHA-1 and SHA-256
 * (`node:crypto`). Values travel base64-encoded, big-endian for the CRCs.
 *
 * @module
 */
import { Crc32cJs, Crc64NvmeJs } from "@aws-sdk/checksums/crc";
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";

/** A checksum algorithm S3 supports. */
export type ChecksumAlgorithm = "CRC32" | "CRC32C" | "CRC64NVME" | "SHA1" | "SHA256";

/** Every supported algorithm, in S3's documentation order. */
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = [
  "CRC32",
  "CRC32C",
  "CRC64NVME",
  "SHA1",
  "SHA256",
];

const DIGEST_BYTES: Readonly<Record<ChecksumAlgorithm, number>> = {
  CRC32: 4,
  CRC32C: 4,
  CRC64NVME: 8,
  SHA1: 20,
  SHA256: 32,
};

/** The header (and trailer) carrying an algorithm's value: `x-amz-checksum-crc32`. */
export function checksumHeader(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** The algorithm named by a header or `x-amz-sdk-checksum-algorithm` value, if supported. */
export function parseChecksumAlgorithm(name: string): ChecksumAlgorithm | undefined {
  const upper = name.toUpperCase().replace(/^X-AMZ-CHECKSUM-/, "");
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(upper)
    ? upper as ChecksumAlgorithm
    : undefined;
}

/** Whether a base64 value has the right length for the algorithm. */
export function isWellFormedChecksum(algorithm: ChecksumAlgorithm, value: string): boolean {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) return false;
  return atobLength(value) === DIGEST_BYTES[algorithm];
}

function atobLength(value: string): number {
  const padding = value.endsWith("==") ? 2 : value.endsWith("=") ? 1 : 0;
  return (value.length / 4) * 3 - padding;
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Computes a checksum of `bytes`, base64-encoded as S3 sends it.
 *
 * @example
 * ```ts
 * import { computeChecksum } from "@sagemaker-async/toolkit/emulator";
 *
 * if (await computeChecksum("CRC32", new TextEncoder().encode("hello")) !== "NhCmhg==") {
 *   throw new Error("wrong CRC32");
 * }
 * ```
 */
export async function computeChecksum(
  algorithm: ChecksumAlgorithm,
  bytes: Uint8Array,
): Promise<string> {
  switch (algorithm) {
    case "CRC32": {
      const value = crc32(bytes) >>> 0;
      return base64(
        new Uint8Array([value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]),
      );
    }
    case "CRC32C": {
      const checksum = new Crc32cJs();
      checksum.update(bytes);
      return base64(await checksum.digest());
    }
    case "CRC64NVME": {
      const checksum = new Crc64NvmeJs();
      checksum.update(bytes);
      return base64(await checksum.digest());
    }
    case "SHA1":
      return createHash("sha1").update(bytes).digest("base64");
    case "SHA256":
      return createHash("sha256").update(bytes).digest("base64");
  }
}
