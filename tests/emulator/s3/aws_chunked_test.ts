import assert from "node:assert/strict";
import { AwsError } from "../../../emulator/errors.ts";
import { decodeAwsChunked } from "../../../emulator/s3/aws_chunked.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("decodeAwsChunked() strips framing and returns trailers by lower-case name", () => {
  const wire = "a\r\nchunk-one;\r\n9\r\nchunk-two\r\n0\r\nX-Amz-Checksum-CRC32:bMoHIQ==\r\n\r\n";
  const { body, trailers } = decodeAwsChunked(bytes(wire), 19);
  assert.equal(str(body), "chunk-one;chunk-two");
  assert.deepEqual([...trailers], [["x-amz-checksum-crc32", "bMoHIQ=="]]);
});

Deno.test("decodeAwsChunked() skips chunk extensions such as chunk-signature", () => {
  const wire = "5;chunk-signature=abc\r\nhello\r\n0;chunk-signature=def\r\n\r\n";
  const { body, trailers } = decodeAwsChunked(bytes(wire), 5);
  assert.equal(str(body), "hello");
  assert.equal(trailers.size, 0);
});

Deno.test("decodeAwsChunked() decodes an empty body with no trailers", () => {
  const { body } = decodeAwsChunked(bytes("0\r\n\r\n"), 0);
  assert.equal(body.length, 0);
});

Deno.test("decodeAwsChunked() rejects malformed framing with IncompleteBody", () => {
  const cases: Array<[string, number | undefined, RegExp]> = [
    ["zz\r\nhello\r\n0\r\n\r\n", undefined, /invalid chunk size "zz"/],
    ["5\r\nhel", undefined, /shorter than its size/],
    ["5\r\nhelloXX0\r\n\r\n", undefined, /not followed by CRLF/],
    ["5\r\nhello\r\n0\r\n", undefined, /not terminated by an empty line/],
    ["5\r\nhello\r\n0\r\n\r\nextra", undefined, /bytes after the final CRLF/],
    ["5\r\nhello\r\n0\r\n\r\n", 6, /hold 5 bytes but x-amz-decoded-content-length is 6/],
    ["5\r\nhello\r\n0\r\n\r\n", 4, /more than the 4 bytes/],
    ["5\r\nhello\r\n0\r\nbadtrailer\r\n\r\n", undefined, /malformed trailer line/],
  ];
  for (const [wire, length, message] of cases) {
    assert.throws(
      () => decodeAwsChunked(bytes(wire), length),
      (error: unknown) =>
        error instanceof AwsError && error.code === "IncompleteBody" && error.status === 400 &&
        message.test(error.message),
      JSON.stringify(wire),
    );
  }
});
