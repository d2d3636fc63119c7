import assert from "node:assert/strict";
import { DEFAULT_TGI_PARAMETERS, TgiContentHandler } from "../../../lib/langchain.ts";

function decode(body: Uint8Array): unknown {
  return JSON.parse(new TextDecoder().decode(body));
}

Deno.test("TgiContentHandler sends the walkthrough's parameters by default", () => {
  const handler = new TgiContentHandler();
  assert.deepEqual(decode(handler.transformInput("Hello", {})), {
    inputs: "Hello",
    parameters: { max_new_tokens: 100, do_sample: false, repetition_penalty: 1.1 },
  });
  assert.deepEqual({ ...DEFAULT_TGI_PARAMETERS }, handler.parameters);
  assert.equal(handler.contentType, "application/json");
  assert.equal(handler.accepts, "application/json");
});

Deno.test("TgiContentHandler merges options over the defaults and model kwargs over both", () => {
  const handler = new TgiContentHandler({
    parameters: { max_new_tokens: 50, repetition_penalty: undefined, top_p: 0.9 },
  });
  assert.deepEqual(decode(handler.transformInput("Hi", { top_p: 0.5, stop: ["\n"] })), {
    inputs: "Hi",
    parameters: { max_new_tokens: 50, do_sample: false, top_p: 0.5, stop: ["\n"] },
  });
});

Deno.test("TgiContentHandler reads generated_text from a list or a single object", () => {
  const handler = new TgiContentHandler();
  const encode = (text: string) => new TextEncoder().encode(text);
  assert.equal(
    handler.transformOutput(encode('[{"generated_text":"a"},{"generated_text":"b"}]')),
    "a",
  );
  assert.equal(handler.transformOutput(encode('{"generated_text":"c","details":{}}')), "c");
});

Deno.test("TgiContentHandler rejects output that is not JSON or has no generated_text, quoting it", () => {
  const handler = new TgiContentHandler();
  const encode = (text: string) => new TextEncoder().encode(text);
  assert.throws(
    () => handler.transformOutput(encode("oops")),
    (e) => e instanceof SyntaxError && /"oops"/.test(e.message),
  );
  assert.throws(
    () => handler.transformOutput(encode('[{"text":"x"}]')),
    (e) =>
      e instanceof TypeError && /generated_text/.test(e.message) && /\[\{\\"text/.test(e.message),
  );
  assert.throws(() => handler.transformOutput(encode("[]")), TypeError);
});

Deno.test("TgiContentHandler rejects parameters and model kwargs that are not plain objects", () => {
  // deno-lint-ignore no-explicit-any
  assert.throws(() => new TgiContentHandler({ parameters: [] as any }), TypeError);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => new TgiContentHandler().transformInput("x", new Map() as any), TypeError);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => new TgiContentHandler().transformInput(42 as any, {}), TypeError);
});
