/**
 * `aws-chunked` request bodies (S3 streaming uploads): `<hex size>[;ext]\r\n`
 * `<bytes>\r\n` repeated, a `0\r\n` chunk, trailer lines `name:value\r\n`, and
 * a final `\r\n`. Decoding strips the framing and returns the payload bytes
 * and the trailers; chunk extensions (e.g. `chunk-signature=`) are skipped.
 *
 * @module
 */
import { AwsError } from "../errors.ts";

/** A decoded `aws-chunked` body. */
export interface AwsChunkedBody {
  /** The payload, without framing. */
  readonly body: Uint8Array;
  /** Trailer headers by lower-case name (e.g. `x-amz-checksum-crc32`). */
  readonly trailers: ReadonlyMap<string, string>;
}

const CR = 13;
const LF = 10;

function incomplete(detail: string): AwsError {
  return new AwsError(
    "IncompleteBody",
    `The request body is not valid aws-chunked encoding: ${detail}`,
    { status: 400 },
  );
}

function lineEnd(bytes: Uint8Array, from: number): number {
  for (let i = from; i + 1 < bytes.length; i++) {
    if (bytes[i] === CR && bytes[i + 1] === LF) return i;
  }
  return -1;
}

/**
 * Decodes an `aws-chunked` body. `decodedLength` (from
 * `x-amz-decoded-content-length`) sizes the output and must match.
 * Throws `AwsError` `IncompleteBody` (400) for malformed framing or a length
 * mismatch.
 *
 * @example
 * ```ts
 * import { decodeAwsChunked } from "@sagemaker-async/toolkit/emulator";
 *
 * const wire = "a\r\nchunk-one;\r\n9\r\nchunk-two\r\n0\r\nx-amz-checksum-crc32:bMoHIQ==\r\n\r\n";
 * const { body, trailers } = decodeAwsChunked(new TextEncoder().encode(wire), 19);
 * if (new TextDecoder().decode(body) !== "chunk-one;chunk-two") throw new Error("bad body");
 * if (trailers.get("x-amz-checksum-crc32") !== "bMoHIQ==") throw new Error("bad trailer");
 * ```
 */
export function decodeAwsChunked(
  bytes: Uint8Array,
  decodedLength?: number,
): AwsChunkedBody {
  const out = new Uint8Array(decodedLength ?? bytes.length);
  let written = 0;
  let pos = 0;
  const decoder = new TextDecoder();
  for (;;) {
    const end = lineEnd(bytes, pos);
    if (end === -1) throw incomplete("a chunk header is not terminated by CRLF");
    const header = decoder.decode(bytes.subarray(pos, end));
    const semicolon = header.indexOf(";");
    const sizeText = (semicolon === -1 ? header : header.slice(0, semicolon)).trim();
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) {
      throw incomplete(`invalid chunk size ${JSON.stringify(sizeText)}`);
    }
    const size = parseInt(sizeText, 16);
    pos = end + 2;
    if (size === 0) break;
    if (pos + size + 2 > bytes.length) throw incomplete("a chunk is shorter than its size");
    if (bytes[pos + size] !== CR || bytes[pos + size + 1] !== LF) {
      throw incomplete("a chunk's data is not followed by CRLF");
    }
    if (written + size > out.length) {
      throw incomplete(
        `the chunks hold more than the ${out.length} bytes of x-amz-decoded-content-length`,
      );
    }
    out.set(bytes.subarray(pos, pos + size), written);
    written += size;
    pos += size + 2;
  }
  const trailers = new Map<string, string>();
  for (;;) {
    const end = lineEnd(bytes, pos);
    if (end === -1) throw incomplete("the trailer section is not terminated by an empty line");
    if (end === pos) {
      pos += 2;
      break;
    }
    const line = decoder.decode(bytes.subarray(pos, end));
    const colon = line.indexOf(":");
    if (colon <= 0) throw incomplete(`malformed trailer line ${JSON.stringify(line)}`);
    trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    pos = end + 2;
  }
  if (pos !== bytes.length) throw incomplete("there are bytes after the final CRLF");
  if (decodedLength !== undefined && written !== decodedLength) {
    throw incomplete(
      `the chunks hold ${written} bytes but x-amz-decoded-content-length is ${decodedLength}`,
    );
  }
  return { body: out.subarray(0, written), trailers };
}
