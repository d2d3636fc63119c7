/**
 * `PutObject` (`PUT /<bucket>/<key>`): plain bodies and `aws-chunked`
 * streaming bodies with trailing checksums; `Content-MD5` and
 * `x-amz-checksum-*` (header or trailer) are verified before anything is
 * stored (`BadDigest` on mismatch); conditional writes with `If-None-Match: *`
 * and `If-Match`.
 *
 * @module
 */
import { AwsError } from "../errors.ts";
import type { AwsRequest } from "../request.ts";
import { decodeAwsChunked } from "./aws_chunked.ts";
import { checksumHeader } from "./checksums.ts";
import { invalidRequest, keyTooLong, noSuchKey, preconditionFailed } from "./errors.ts";
import { md5ETagChecked, verifyChecksum } from "./integrity.ts";
import { readObjectAttributes, rejectUnsupportedWriteHeaders } from "./object_attributes.ts";
import type { S3Call } from "./operation.ts";
import { s3Headers } from "./operation.ts";
import type { S3Object } from "./store.ts";

const encoder = new TextEncoder();

/** Throws `KeyTooLongError` for keys over 1024 UTF-8 bytes. */
export function checkKeyLength(key: string): void {
  if (key.length > 341 && encoder.encode(key).length > 1024) throw keyTooLong(key);
}

/** The payload of a write request, with `aws-chunked` framing removed. */
function decodeBody(
  request: AwsRequest,
): { body: Uint8Array; trailers: ReadonlyMap<string, string> } {
  const encoding = request.headers.get("content-encoding") ?? "";
  const sha = request.headers.get("x-amz-content-sha256") ?? "";
  const chunked = sha.startsWith("STREAMING-") ||
    encoding.split(",").some((part) => part.trim() === "aws-chunked");
  if (!chunked) return { body: request.body, trailers: new Map() };
  const decodedText = request.headers.get("x-amz-decoded-content-length");
  if (decodedText === null) {
    throw new AwsError("MissingContentLength", "You must provide the Content-Length HTTP header.", {
      status: 411,
    });
  }
  const decodedLength = Number(decodedText);
  if (!Number.isSafeInteger(decodedLength) || decodedLength < 0) {
    throw invalidRequest(
      `x-amz-decoded-content-length ${JSON.stringify(decodedText)} is not a non-negative integer`,
    );
  }
  return decodeAwsChunked(request.body, decodedLength);
}

/** Checks `If-None-Match: *` / `If-Match` against the object being replaced. */
function writeCondition(
  request: AwsRequest,
  key: string,
): (previous: S3Object | undefined) => void {
  const ifNoneMatch = request.headers.get("if-none-match");
  const ifMatch = request.headers.get("if-match");
  if (ifNoneMatch !== null && ifNoneMatch.trim() !== "*") {
    throw new AwsError(
      "NotImplemented",
      `If-None-Match on writes accepts only "*"; got ${JSON.stringify(ifNoneMatch)}`,
      { status: 501 },
    );
  }
  return (previous) => {
    if (ifNoneMatch !== null && previous) throw preconditionFailed("If-None-Match");
    if (ifMatch !== null) {
      if (!previous) throw noSuchKey(key);
      const etags = ifMatch.split(",").map((e) => e.trim());
      if (!etags.includes(previous.etag) && !etags.includes(`"${previous.etag}"`)) {
        throw preconditionFailed("If-Match");
      }
    }
  };
}

/** Handles `PutObject`. */
export async function PutObject(call: S3Call): Promise<Response> {
  const { request, store, bucket, key } = call;
  store.bucket(bucket);
  checkKeyLength(key);
  rejectUnsupportedWriteHeaders(request.headers);
  const attributes = readObjectAttributes(request.headers);
  const condition = writeCondition(request, key);
  const { body, trailers } = decodeBody(request);
  const checksum = await verifyChecksum(request, body, trailers);
  const etag = md5ETagChecked(request, body);
  const object = await store.writeObject(bucket, key, {
    body,
    etag,
    contentType: attributes.contentType,
    metadata: attributes.metadata,
    headers: attributes.headers,
    storageClass: attributes.storageClass,
    checksum,
    condition,
  });
  const headers: Record<string, string> = {
    ...s3Headers(request),
    etag: object.etag,
    "x-amz-server-side-encryption": "AES256",
  };
  if (checksum) {
    headers[checksumHeader(checksum.algorithm)] = checksum.value;
    headers["x-amz-checksum-type"] = "FULL_OBJECT";
  }
  return new Response(null, { status: 200, headers });
}
