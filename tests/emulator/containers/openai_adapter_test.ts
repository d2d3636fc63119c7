import assert from "node:assert/strict";
import {
  OpenAiCompletionsContainer,
  tgiToOpenAiCompletion,
} from "../../../emulator/containers/openai_adapter.ts";

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

Deno.test("tgiToOpenAiCompletion maps sampling parameters when do_sample is true", () => {
  const result = tgiToOpenAiCompletion(
    encode({
      inputs: "Hi",
      parameters: {
        max_new_tokens: 9,
        do_sample: true,
        temperature: 0.7,
        top_p: 0.9,
        top_k: 40,
        seed: 3,
        repetition_penalty: 1.1,
      },
    }),
    undefined,
  );
  assert.ok("request" in result);
  assert.deepEqual(result.request, {
    prompt: "Hi",
    max_tokens: 9,
    stream: false,
    temperature: 0.7,
    top_p: 0.9,
    top_k: 40,
    seed: 3,
    repetition_penalty: 1.1,
  });
});

Deno.test("tgiToOpenAiCompletion is greedy (temperature 0) without do_sample and names the model", () => {
  const result = tgiToOpenAiCompletion(
    encode({
      inputs: "Hi",
      parameters: { temperature: 0.7, stop: ["\n"], return_full_text: true },
    }),
    "tiny",
  );
  assert.ok("request" in result);
  assert.deepEqual(result.request, {
    prompt: "Hi",
    max_tokens: 100,
    stream: false,
    model: "tiny",
    temperature: 0,
    stop: ["\n"],
  });
  assert.equal(result.returnFullText, true);
});

Deno.test("tgiToOpenAiCompletion answers TGI's 4xx for malformed payloads", () => {
  const syntax = tgiToOpenAiCompletion(new TextEncoder().encode("{"), undefined);
  assert.ok("error" in syntax);
  assert.equal(syntax.error.status, 400);
  assert.match(
    new TextDecoder().decode(syntax.error.body),
    /^Failed to parse the request body as JSON: /,
  );
  const missing = tgiToOpenAiCompletion(encode({ prompt: "x" }), undefined);
  assert.ok("error" in missing);
  assert.equal(missing.error.status, 422);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(missing.error.body)), {
    error: "Input validation error: `inputs` must be a string",
    error_type: "validation",
  });
});

Deno.test("a server error passes its status through with the server's message in TGI's error shape", async () => {
  const fakeFetch = () =>
    Promise.resolve(
      Response.json({ error: { message: "model not loaded" } }, { status: 503 }),
    );
  const container = new OpenAiCompletionsContainer({ url: "http://h", fetch: fakeFetch });
  const reply = await container.invoke({
    body: encode({ inputs: "x" }),
    signal: new AbortController().signal,
  });
  assert.equal(reply.status, 503);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(reply.body)), {
    error: "model not loaded",
    error_type: "generation",
  });
});

Deno.test("a reply without choices[0].text is a 500 incomplete_generation", async () => {
  const fakeFetch = () => Promise.resolve(Response.json({ choices: [] }));
  const container = new OpenAiCompletionsContainer({ url: "http://h", fetch: fakeFetch });
  const reply = await container.invoke({
    body: encode({ inputs: "x" }),
    signal: new AbortController().signal,
  });
  assert.equal(reply.status, 500);
  assert.equal(
    JSON.parse(new TextDecoder().decode(reply.body)).error_type,
    "incomplete_generation",
  );
});
