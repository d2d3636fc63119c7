import assert from "node:assert/strict";
import { deserializeResult, serializePayload } from "../../lib/payload.ts";
import {
  assertInlinePayloadSize,
  assertS3PayloadSize,
  MAX_INLINE_PAYLOAD_BYTES,
  MAX_S3_PAYLOAD_BYTES,
} from "../../lib/validation.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("serializePayload() sends a JSON value as application/json text", () => {
  const { body, contentType } = serializePayload({ inputs: "Hi", parameters: { top_p: 0.9 } });
  assert.equal(contentType, "application/json");
  assert.equal(text(body), '{"inputs":"Hi","parameters":{"top_p":0.9}}');
});

Deno.test("serializePayload() keeps JSON null, arrays and numbers", () => {
  assert.equal(text(serializePayload(null).body), "null");
  assert.equal(text(serializePayload([1, "a", true]).body), '[1,"a",true]');
  assert.equal(text(serializePayload(42).body), "42");
});

Deno.test("serializePayload() sends a string as text/plain without JSON quoting", () => {
  const { body, contentType } = serializePayload("héllo");
  assert.equal(contentType, "text/plain");
  assert.deepEqual(body, new TextEncoder().encode("héllo"));
});

Deno.test("serializePayload() keeps a given content type for strings", () => {
  const { body, contentType } = serializePayload('{"inputs":"x"}', {
    contentType: "application/json",
  });
  assert.equal(contentType, "application/json");
  assert.equal(text(body), '{"inputs":"x"}');
});

Deno.test("serializePayload() sends bytes as they are, octet-stream by default", () => {
  const bytes = new Uint8Array([0, 1, 255]);
  const result = serializePayload(bytes);
  assert.equal(result.body, bytes);
  assert.equal(result.contentType, "application/octet-stream");
  assert.equal(serializePayload(bytes, { contentType: "image/png" }).contentType, "image/png");
});

Deno.test("serializePayload() sends other ArrayBuffer views and ArrayBuffers as their bytes", () => {
  const floats = new Float32Array([1]);
  assert.deepEqual(serializePayload(floats as never).body, new Uint8Array(floats.buffer));
  const buffer = new Uint8Array([7, 8]).buffer;
  assert.deepEqual(serializePayload(buffer as never).body, new Uint8Array([7, 8]));
});

Deno.test("serializePayload() accepts +json content types for JSON values", () => {
  const result = serializePayload({ a: 1 }, { contentType: "application/vnd.api+json" });
  assert.equal(result.contentType, "application/vnd.api+json");
});

Deno.test("serializePayload() refuses a JSON value with a non-JSON content type", () => {
  assert.throws(
    () => serializePayload({ a: 1 }, { contentType: "text/csv" }),
    (e: unknown) => e instanceof TypeError && /"text\/csv"/.test(e.message),
  );
});

Deno.test("serializePayload() refuses values JSON would drop or change", () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const cases: [string, unknown, RegExp][] = [
    ["undefined", undefined, /undefined/],
    ["NaN", { n: NaN }, /"n" NaN: JSON numbers must be finite/],
    ["Infinity", [Infinity], /must be finite/],
    ["function", { f: () => 1 }, /"f": a function/],
    ["symbol", { s: Symbol("x") }, /a symbol/],
    ["bigint", { b: 1n }, /a bigint/],
    ["Map", { m: new Map() }, /a Map is not a plain JSON object/],
    ["nested bytes", { b: new Uint8Array(1) }, /Uint8Array/],
    ["undefined array element", [1, undefined], /array elements/],
    ["cycle", cyclic, /circular/i],
  ];
  for (const [name, value, message] of cases) {
    assert.throws(
      () => serializePayload(value as never),
      (e: unknown) => e instanceof TypeError && message.test(e.message),
      name,
    );
  }
});

Deno.test("serializePayload() omits undefined object members as JSON does", () => {
  assert.equal(text(serializePayload({ a: 1, b: undefined }).body), '{"a":1}');
});

Deno.test("serializePayload() refuses an empty content type", () => {
  assert.throws(() => serializePayload("x", { contentType: "" }), TypeError);
});

Deno.test("deserializeResult() parses application/json, parameters ignored", () => {
  const bytes = new TextEncoder().encode('[{"generated_text":"Paris"}]');
  assert.deepEqual(deserializeResult(bytes, "application/json; charset=utf-8"), [
    { generated_text: "Paris" },
  ]);
  assert.deepEqual(deserializeResult(bytes, "Application/JSON"), [{ generated_text: "Paris" }]);
});

Deno.test("deserializeResult() parses +json content types", () => {
  const bytes = new TextEncoder().encode('{"a":1}');
  assert.deepEqual(deserializeResult(bytes, "application/problem+json"), { a: 1 });
});

Deno.test("deserializeResult() decodes text/* as a string, honouring charset", () => {
  assert.equal(deserializeResult(new TextEncoder().encode("a,b"), "text/csv"), "a,b");
  assert.equal(deserializeResult(new Uint8Array([0xe9]), "text/plain; charset=iso-8859-1"), "é");
  assert.equal(deserializeResult(new Uint8Array([0x61]), "text/plain; charset=bogus"), "a");
});

Deno.test("deserializeResult() leaves other or missing content types as bytes", () => {
  const bytes = new Uint8Array([1, 2]);
  assert.equal(deserializeResult(bytes, "application/octet-stream"), bytes);
  assert.equal(deserializeResult(bytes, undefined), bytes);
  assert.equal(deserializeResult(bytes, ""), bytes);
});

Deno.test("deserializeResult() throws SyntaxError naming the source for invalid JSON", () => {
  assert.throws(
    () =>
      deserializeResult(new TextEncoder().encode("{oops"), "application/json", {
        source: "s3://b1b/out/x.out",
      }),
    (e: unknown) =>
      e instanceof SyntaxError && e.message.includes("s3://b1b/out/x.out") &&
      e.message.includes("application/json") && e.cause instanceof SyntaxError,
  );
});

Deno.test("assertInlinePayloadSize() allows 128,000 bytes and names size and limit beyond", () => {
  assertInlinePayloadSize(MAX_INLINE_PAYLOAD_BYTES);
  assert.throws(
    () => assertInlinePayloadSize(MAX_INLINE_PAYLOAD_BYTES + 1),
    (e: unknown) =>
      e instanceof RangeError && /128001 bytes/.test(e.message) &&
      /128000 bytes/.test(e.message),
  );
});

Deno.test("assertS3PayloadSize() allows 1 GB and names size and limit beyond", () => {
  assertS3PayloadSize(MAX_S3_PAYLOAD_BYTES);
  assert.throws(
    () => assertS3PayloadSize(MAX_S3_PAYLOAD_BYTES + 1),
    (e: unknown) =>
      e instanceof RangeError && /1000000001 bytes/.test(e.message) &&
      /1000000000 bytes/.test(e.message),
  );
});
