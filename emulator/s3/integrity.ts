/**
 * The integrity checks S3 runs on a request body before acting on it:
 * `Content-MD5`, and the one `x-amz-checksum-*` value a client sent (as a
 * header or as a declared `aws-chunked` trailer), consistent with
 * `x-amz-sdk-checksum-algorithm`. A mismatch is 400 `BadDigest`; nothing is
 * stored or deleted.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { AwsError } from "../errors.ts";
import type { AwsRequest } from "../request.ts";
import {
  CHECKSUM_ALGORITHMS,
  type ChecksumAlgorithm,
  checksumHeader,
  computeChecksum,
  isWellFormedChecksum,
  parseChecksumAlgorithm,
} from "./checksums.ts";
import { invalidRequest } from "./errors.ts";
import type { ObjectChecksum } from "./store.ts";

const NO_TRAILERS: ReadonlyMap<string, string> = new Map();

/**
 * Finds the one checksum the client sent (header or declared trailer),
 * verifies it against `body`, and returns it; `undefined` when none was sent.
 */
export async function verifyChecksum(
  request: AwsRequest,
  body: Uint8Array,
  trailers: ReadonlyMap<string, string> = NO_TRAILERS,
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

/**
 * The quoted MD5 hex of `body` (S3's `ETag`), after checking `Content-MD5`
 * when sent: 400 `InvalidDigest` if it is not a base64 MD5, `BadDigest` if
 * it does not match.
 */
export function md5ETagChecked(request: AwsRequest, body: Uint8Array): string {
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
