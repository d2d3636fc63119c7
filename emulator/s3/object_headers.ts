/**
 * The headers of a `GetObject`/`HeadObject` response: length, type, ETag,
 * Last-Modified (RFC 7231), user metadata, stored system headers, the
 * checksum when asked for, and `response-*` query overrides.
 *
 * @module
 */
import type { AwsRequest } from "../request.ts";
import { httpDate } from "../protocols/timestamps.ts";
import { checksumHeader } from "./checksums.ts";
import { s3Headers } from "./operation.ts";
import type { S3Object } from "./store.ts";

const OVERRIDES: ReadonlyArray<[string, string]> = [
  ["response-content-type", "content-type"],
  ["response-content-language", "content-language"],
  ["response-expires", "expires"],
  ["response-cache-control", "cache-control"],
  ["response-content-disposition", "content-disposition"],
  ["response-content-encoding", "content-encoding"],
];

/** Options for {@linkcode objectResponseHeaders}. */
export interface ObjectResponseHeadersOptions {
  /** Include `x-amz-checksum-*` (the whole object is returned and checksum mode is on). */
  checksum: boolean;
  /** Bytes in this response's body. */
  contentLength: number;
}

/** Builds a read response's headers. */
export function objectResponseHeaders(
  object: S3Object,
  request: AwsRequest,
  options: ObjectResponseHeadersOptions,
): Record<string, string> {
  const headers: Record<string, string> = {
    ...s3Headers(request),
    "content-length": String(options.contentLength),
    "content-type": object.contentType,
    etag: object.etag,
    "last-modified": httpDate(object.lastModified),
    "accept-ranges": "bytes",
    "x-amz-server-side-encryption": "AES256",
    ...object.headers,
  };
  if (object.storageClass !== "STANDARD") headers["x-amz-storage-class"] = object.storageClass;
  for (const [name, value] of Object.entries(object.metadata)) {
    headers[`x-amz-meta-${name}`] = value;
  }
  if (options.checksum) {
    headers[checksumHeader(object.checksum.algorithm)] = object.checksum.value;
    headers["x-amz-checksum-type"] = "FULL_OBJECT";
  }
  for (const [param, header] of OVERRIDES) {
    const value = request.query.get(param);
    if (value !== null) headers[header] = value;
  }
  return headers;
}
