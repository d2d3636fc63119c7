/**
 * The read path shared by `GetObject` and `HeadObject`: lookup, storage
 * class check, preconditions (304/412), `Range` (206, `Content-Range`, 416
 * `InvalidRange`), `partNumber`, and the response headers.
 *
 * @module
 */
import { AwsError } from "../errors.ts";
import { httpDate } from "../protocols/timestamps.ts";
import { evaluateConditions } from "./conditions.ts";
import { invalidRequest, noSuchKey } from "./errors.ts";
import { objectResponseHeaders } from "./object_headers.ts";
import type { S3Call } from "./operation.ts";
import { s3Headers } from "./operation.ts";

const RANGE_RE = /^bytes=(\d*)-(\d*)$/;
const ARCHIVED = new Set(["GLACIER", "DEEP_ARCHIVE"]);

/** A byte range to return, inclusive. */
interface ByteRange {
  start: number;
  end: number;
}

function invalidRange(requested: string, size: number): AwsError {
  return new AwsError("InvalidRange", "The requested range is not satisfiable", {
    status: 416,
    fields: { RangeRequested: requested, ActualObjectSize: String(size) },
    headers: { "content-range": `bytes */${size}` },
  });
}

/**
 * Parses a `Range` header for an object of `size` bytes: `undefined` when
 * the whole object is returned (no header, or one S3 ignores: malformed or
 * several ranges); throws 416 `InvalidRange` when it cannot be satisfied.
 */
function parseRange(header: string | null, size: number): ByteRange | undefined {
  if (header === null) return undefined;
  const m = RANGE_RE.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) throw invalidRange(header, size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Number(m[2]);
  if (end < start) return undefined;
  if (start >= size) throw invalidRange(header, size);
  return { start, end: Math.min(end, size - 1) };
}

/** Serves a read of an object, with or without the body. */
export function readObject(call: S3Call, options: { body: boolean }): Response {
  const { request, store, bucket, key } = call;
  store.bucket(bucket);
  const object = store.object(bucket, key);
  if (!object) throw noSuchKey(key);
  if (options.body && ARCHIVED.has(object.storageClass)) {
    throw new AwsError(
      "InvalidObjectState",
      "The operation is not valid for the object's storage class",
      {
        status: 403,
        fields: { StorageClass: object.storageClass },
      },
    );
  }
  if (evaluateConditions(object, request.headers) === "not-modified") {
    return new Response(null, {
      status: 304,
      headers: {
        ...s3Headers(request),
        etag: object.etag,
        "last-modified": httpDate(object.lastModified),
      },
    });
  }
  const size = object.size;
  const rangeHeader = request.headers.get("range");
  const partNumber = request.query.get("partNumber");
  let range: ByteRange | undefined;
  if (partNumber !== null) {
    if (rangeHeader !== null) {
      throw invalidRequest("Cannot specify both Range header and partNumber query parameter");
    }
    if (!/^[1-9]\d{0,4}$/.test(partNumber) || Number(partNumber) > 10_000) {
      throw new AwsError(
        "InvalidArgument",
        "Part number must be an integer between 1 and 10000, inclusive",
        {
          status: 400,
          fields: { ArgumentName: "partNumber", ArgumentValue: partNumber },
        },
      );
    }
    if (partNumber !== "1") {
      throw new AwsError("InvalidPartNumber", "The requested partnumber is not satisfiable", {
        status: 416,
        fields: { PartNumberRequested: partNumber, ActualPartCount: "1" },
      });
    }
    if (size > 0) range = { start: 0, end: size - 1 };
  } else {
    range = parseRange(rangeHeader, size);
  }
  const whole = rangeHeader === null || range === undefined;
  const checksumMode =
    (request.headers.get("x-amz-checksum-mode") ?? "").toUpperCase() === "ENABLED";
  const length = range ? range.end - range.start + 1 : size;
  const headers = objectResponseHeaders(object, request, {
    checksum: checksumMode && whole,
    contentLength: length,
  });
  if (range) headers["content-range"] = `bytes ${range.start}-${range.end}/${size}`;
  const status = range ? 206 : 200;
  if (!options.body) return new Response(null, { status, headers });
  const bytes = range ? object.body.subarray(range.start, range.end + 1) : object.body;
  return new Response(bytes as Uint8Array<ArrayBuffer>, { status, headers });
}
