/**
 * `PutObject` (`PUT /<bucket>/<key>`): plain bodies and `aws-chunked`
 * streaming bodies with trailing checksums; `Content-MD5` and
 * `x-amz-checksum-*` (header or trailer) are verified before anything is
 * stored (`BadDigest` on mismatch); conditional writes with `If-None-Match: *`
 * and `If-Match`.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { AwsError } from "../errors.ts";
import type { AwsRequest } from "../request.ts";
import { decodeAwsChunked } from "./aws_chunked.ts";
import {
  CHECKSUM_ALGORITHMS,
  type ChecksumAlgorithm,
  checksumHeader,
  computeChecksum,
  isWellFormedChecksum,
  parseChecksumAlgorithm,
} from "./checksums.ts";
import { invalidRequest, keyTooLong, noSuchKey, preconditionFailed } from "./errors.ts";
import { readObjectAttributes, rejectUnsupportedWriteHeaders } from "./object_attributes.ts";
import type { S3Call } from "./operation.ts";
import { s3Headers } from "./operation.ts";
import type { ObjectChecksum, S3Object } from "./store.ts";

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

/**
 * Finds the one checksum the client sent (header or declared trailer),
 * verifies it, and returns it. `undefined` when none was sent.
 */
async function verifyChecksum(
  request: AwsRequest,
  body: Uint8Array,
  trailers: ReadonlyMap<string, string>,
): Promise<ObjectChecksum | undefined> {
  const found: Array<{ algorithm: ChecksumAlgorithm; value: string }> = [];
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = request.headers.get(checksumHeader(algorithm));
    if (value !== null) found.push({ algorithm, value });
  }
  const declared = request.headers.get("x-amz-trailer");
  if (declared !== null) {
    for (const name of declared.split(",").map((n) => n.trim().toLowerCase())) {
      if (name === "") continue;
      const algorithm = parseChecksumAlgorithm(name);
      if (!algorithm || name !== checksumHeader(algorithm)) {
        throw invalidRequest(`The value specified in the x-amz-trailer header is not supported`);
      }
      const value = trailers.get(name);
      if (value === undefined) {
        throw new AwsError(
          "MalformedTrailerError",
          `The request contained trailing data that was not well-formed or did not conform to ` +
            `our published schema: the declared trailer ${name} is missing`,
          { status: 400 },
        );
      }
      found.push({ algorithm, value });
    }
  }
  if (found.length > 1) {
    throw invalidRequest(
      "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
    );
  }
  const sdkAlgorithmText = request.headers.get("x-amz-sdk-checksum-algorithm");
  if (sdkAlgorithmText !== null) {
    const sdkAlgorithm = parseChecksumAlgorithm(sdkAlgorithmText);
    if (!sdkAlgorithm || (found[0] && found[0].algorithm !== sdkAlgorithm)) {
      throw invalidRequest("Value for x-amz-sdk-checksum-algorithm header is invalid.");
    }
    if (!found[0]) {
      throw invalidRequest(
        "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or " +
          "x-amz-trailer headers were found.",
      );
    }
  }
  const sent = found[0];
  if (!sent) return undefined;
  if (!isWellFormedChecksum(sent.algorithm, sent.value)) {
    throw invalidRequest(`Value for ${checksumHeader(sent.algorithm)} header is invalid.`);
  }
  const actual = await computeChecksum(sent.algorithm, body);
  if (actual !== sent.value) {
    throw new AwsError(
      "BadDigest",
      `The ${sent.algorithm} you specified did not match the calculated checksum.`,
      { status: 400 },
    );
  }
  return { algorithm: sent.algorithm, value: actual };
}

/** The quoted MD5 ETag of `body`, checking `Content-MD5` when sent. */
function etagChecked(request: AwsRequest, body: Uint8Array): string {
  const digest = createHash("md5").update(body).digest();
  const sent = request.headers.get("content-md5");
  if (sent !== null) {
    if (!/^[A-Za-z0-9+/]{22}==$/.test(sent)) {
      throw new AwsError("InvalidDigest", "The Content-MD5 you specified was not valid.", {
        status: 400,
        fields: { "Content-MD5": sent },
      });
    }
    const actual = digest.toString("base64");
    if (actual !== sent) {
      throw new AwsError(
        "BadDigest",
        "The Content-MD5 you specified did not match what we received.",
        { status: 400, fields: { ExpectedDigest: sent, CalculatedDigest: actual } },
      );
    }
  }
  return `"${digest.toString("hex")}"`;
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
  const etag = etagChecked(request, body);
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
