/**
 * `s3://bucket/key` URIs: parsing with clear errors, and joining.
 *
 * @module
 */

/** A bucket and a key (or key prefix). */
export interface S3Location {
  /** Bucket name. */
  readonly bucket: string;
  /** Object key or prefix, without a leading `/`; may be empty. */
  readonly key: string;
}

const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Parses `s3://bucket/key`. Throws a `TypeError` naming the value and the
 * rule when it is not an S3 URI with a valid bucket name.
 *
 * @example
 * ```ts
 * import { parseS3Uri } from "@sagemaker-async/toolkit";
 *
 * const { bucket, key } = parseS3Uri("s3://my-bucket/inputs/a.json");
 * if (bucket !== "my-bucket" || key !== "inputs/a.json") throw new Error("bad parse");
 * ```
 */
export function parseS3Uri(uri: string, what = "S3 URI"): S3Location {
  if (typeof uri !== "string" || !uri.startsWith("s3://")) {
    throw new TypeError(`Invalid ${what} ${JSON.stringify(uri)}: must start with s3://`);
  }
  const rest = uri.slice("s3://".length);
  const slash = rest.indexOf("/");
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const key = slash === -1 ? "" : rest.slice(slash + 1);
  assertBucketName(bucket, `bucket of ${what} ${JSON.stringify(uri)}`);
  if (new TextEncoder().encode(key).length > 1024) {
    throw new RangeError(`Invalid ${what} ${JSON.stringify(uri)}: keys are at most 1024 bytes`);
  }
  return { bucket, key };
}

/** Formats a location as `s3://bucket/key`. */
export function formatS3Uri(location: S3Location): string {
  return `s3://${location.bucket}/${location.key}`;
}

/**
 * Joins key parts with single slashes: `joinKey("a/", "/b", "c")` is `a/b/c`.
 * Empty parts are skipped.
 */
export function joinKey(...parts: string[]): string {
  return parts
    .map((p, i) => (i === 0 ? p.replace(/\/+$/, "") : p.replace(/^\/+|\/+$/g, "")))
    .filter((p) => p !== "")
    .join("/");
}

/** Throws a `TypeError` unless `name` is a valid S3 bucket name. */
export function assertBucketName(name: string, what = "bucket name"): void {
  if (
    typeof name !== "string" || !BUCKET_RE.test(name) || name.includes("..") ||
    /^\d+\.\d+\.\d+\.\d+$/.test(name)
  ) {
    throw new TypeError(
      `Invalid ${what} ${
        JSON.stringify(name)
      }: must be 3-63 characters of a-z, 0-9, "." and "-", ` +
        "starting and ending with a letter or digit",
    );
  }
}
