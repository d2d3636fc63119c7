/**
 * The attributes a writer sets on an object through request headers:
 * content type, user metadata (`x-amz-meta-*`), the stored system headers,
 * and storage class. Headers for features the emulator does not implement
 * (tagging, object lock, KMS encryption, ACL grants) are rejected rather
 * than silently dropped.
 *
 * @module
 */
import { AwsError } from "../errors.ts";
import { invalidArgument, notImplemented } from "./errors.ts";

/** Headers S3 stores with an object and returns on reads. */
export const STORED_HEADERS: readonly string[] = [
  "cache-control",
  "content-disposition",
  "content-encoding",
  "content-language",
  "expires",
];

const STORAGE_CLASSES = new Set([
  "STANDARD",
  "REDUCED_REDUNDANCY",
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
  "GLACIER",
  "DEEP_ARCHIVE",
  "GLACIER_IR",
]);

const OBJECT_LOCK_HEADERS = [
  "x-amz-object-lock-mode",
  "x-amz-object-lock-retain-until-date",
  "x-amz-object-lock-legal-hold",
];
const GRANT_HEADERS = [
  "x-amz-grant-full-control",
  "x-amz-grant-read",
  "x-amz-grant-read-acp",
  "x-amz-grant-write-acp",
];

const MAX_METADATA_BYTES = 2048;
const encoder = new TextEncoder();

/** Attributes read from a write request. */
export interface ObjectAttributes {
  readonly contentType: string | undefined;
  readonly metadata: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly storageClass: string;
}

/** Rejects headers that ask for features the emulator does not implement. */
export function rejectUnsupportedWriteHeaders(headers: Headers): void {
  if (headers.has("x-amz-tagging")) throw notImplemented("object tagging (x-amz-tagging)");
  for (const name of OBJECT_LOCK_HEADERS) {
    if (headers.has(name)) throw notImplemented(`object lock (${name})`);
  }
  if (headers.has("x-amz-website-redirect-location")) {
    throw notImplemented("website redirects (x-amz-website-redirect-location)");
  }
  const sse = headers.get("x-amz-server-side-encryption");
  if (sse !== null && sse !== "AES256") {
    if (sse.startsWith("aws:kms")) throw notImplemented(`server-side encryption ${sse}`);
    throw invalidArgument(
      "The encryption method specified is not supported",
      "x-amz-server-side-encryption",
      sse,
    );
  }
  if (headers.has("x-amz-server-side-encryption-customer-algorithm")) {
    throw notImplemented("customer-provided encryption keys (SSE-C)");
  }
  const acl = headers.get("x-amz-acl");
  const grants = GRANT_HEADERS.some((name) => headers.has(name));
  if (grants || (acl !== null && acl !== "private" && acl !== "bucket-owner-full-control")) {
    throw new AwsError("AccessControlListNotSupported", "The bucket does not allow ACLs", {
      status: 400,
    });
  }
}

/**
 * Reads content type, metadata, stored headers and storage class from a
 * write request; throws `MetadataTooLarge` / `InvalidStorageClass`.
 */
export function readObjectAttributes(headers: Headers): ObjectAttributes {
  const metadata: Record<string, string> = {};
  let metadataBytes = 0;
  const stored: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (name.startsWith("x-amz-meta-")) {
      const key = name.slice("x-amz-meta-".length);
      metadata[key] = value;
      metadataBytes += encoder.encode(key + value).length;
    }
  }
  if (metadataBytes > MAX_METADATA_BYTES) {
    throw new AwsError(
      "MetadataTooLarge",
      "Your metadata headers exceed the maximum allowed metadata size.",
      { status: 400, fields: { Size: String(metadataBytes), MaxSizeAllowed: "2048" } },
    );
  }
  for (const name of STORED_HEADERS) {
    let value = headers.get(name);
    if (value === null) continue;
    if (name === "content-encoding") {
      value = value.split(",").map((v) => v.trim()).filter((v) => v !== "aws-chunked").join(",");
      if (value === "") continue;
    }
    stored[name] = value;
  }
  const storageClass = headers.get("x-amz-storage-class") ?? "STANDARD";
  if (!STORAGE_CLASSES.has(storageClass)) {
    throw new AwsError("InvalidStorageClass", "The storage class you specified is not valid", {
      status: 400,
      fields: { StorageClassRequested: storageClass },
    });
  }
  return {
    contentType: headers.get("content-type") ?? undefined,
    metadata,
    headers: stored,
    storageClass,
  };
}
