import assert from "node:assert/strict";
import {
  countTokens,
  generateStandInText,
  TgiBuiltinContainer,
} from "../../../emulator/containers/tgi_builtin.ts";

const timings = { inferenceBaseMs: 2000, inferencePerTokenMs: 20 };
const signal = new AbortController().signal;

async function call(
  payload: unknown,
  environment?: Record<string, string>,
): Promise<{ status: number; body: unknown; text: string; durationMs?: number }> {
  const container = new TgiBuiltinContainer({ timings, environment });
  const raw = typeof payload === "string" ? payload : JSON.stringify(payload);
  const reply = await container.invoke({
    body: new TextEncoder().encode(raw),
    contentType: "application/json",
    signal,
  });
  const text = new TextDecoder().decode(reply.body);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: reply.status, body, text, durationMs: reply.durationMs };
}

Deno.test("TgiBuiltinContainer answers [{generated_text}] with max_new_tokens tokens and a token-based duration", async () => {
  const reply = await call({ inputs: "Hello there", parameters: { max_new_tokens: 7 } });
  assert.equal(reply.status, 200);
  const [first] = reply.body as Array<{ generated_text: string }>;
  assert.equal(countTokens(first!.generated_text), 7);
  assert.equal(reply.durationMs, 2000 + 7 * 20);
});

Deno.test("TgiBuiltinContainer defaults max_new_tokens to TGI's 100", async () => {
  const reply = await call({ inputs: "Hello" });
  const [first] = reply.body as Array<{ generated_text: string }>;
  assert.equal(countTokens(first!.generated_text), 100);
  assert.equal(reply.durationMs, 2000 + 100 * 20);
});

Deno.test("return_full_text prefixes the prompt; details reports finish reason and token count", async () => {
  const plain = await call({ inputs: "Q:", parameters: { max_new_tokens: 3 } });
  const full = await call({
    inputs: "Q:",
    parameters: { max_new_tokens: 3, return_full_text: true, details: true },
  });
  const [p] = plain.body as Array<{ generated_text: string }>;
  const [f] = full.body as Array<{ generated_text: string; details: Record<string, unknown> }>;
  assert.equal(f!.generated_text, `Q:${p!.generated_text}`);
  assert.deepEqual(f!.details, { finish_reason: "length", generated_tokens: 3, seed: null });
});

Deno.test("generation stops after a stop sequence, keeping it, with finish_reason stop_sequence", () => {
  const free = generateStandInText({ prompt: "p", maxNewTokens: 40, stop: [] });
  const stopWord = free.text.trim().split(" ")[3]!.replace(".", "");
  const stopped = generateStandInText({ prompt: "p", maxNewTokens: 40, stop: [stopWord] });
  assert.equal(stopped.finishReason, "stop_sequence");
  assert.ok(stopped.text.endsWith(stopWord));
  assert.ok(free.text.startsWith(stopped.text));
  assert.ok(stopped.tokens < 40);
});

Deno.test("sampling parameters and seed change the text; greedy ignores them", async () => {
  const text = async (parameters: Record<string, unknown>) => {
    const reply = await call({ inputs: "p", parameters: { max_new_tokens: 20, ...parameters } });
    return (reply.body as Array<{ generated_text: string }>)[0]!.generated_text;
  };
  const greedy = await text({});
  assert.equal(await text({ temperature: 0.5, top_k: 5, seed: 9 }), greedy);
  const sampled = await text({ do_sample: true, seed: 1 });
  assert.notEqual(sampled, greedy);
  assert.equal(await text({ do_sample: true, seed: 1 }), sampled);
  assert.notEqual(await text({ do_sample: true, seed: 2 }), sampled);
  assert.notEqual(await text({ do_sample: true, seed: 1, temperature: 0.5 }), sampled);
});

Deno.test("TGI's parameter validation errors are 422 with error_type validation", async () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ temperature: 0 }, "`temperature` must be strictly positive"],
    [{ top_p: 1 }, "`top_p` must be > 0.0 and < 1.0"],
    [{ top_k: 0 }, "`top_k` must be strictly positive"],
    [{ repetition_penalty: -1 }, "`repetition_penalty` must be strictly positive"],
    [{ max_new_tokens: 0 }, "`max_new_tokens` must be strictly positive"],
    [{ stop: ["a", "b", "c", "d", "e"] }, "`stop` supports up to 4 stop sequences. Given: 5"],
  ];
  for (const [parameters, message] of cases) {
    const reply = await call({ inputs: "x", parameters });
    assert.equal(reply.status, 422, JSON.stringify(parameters));
    assert.deepEqual(reply.body, {
      error: `Input validation error: ${message}`,
      error_type: "validation",
    });
  }
  const empty = await call({ inputs: "" });
  assert.deepEqual(empty.body, {
    error: "Input validation error: `inputs` cannot be empty",
    error_type: "validation",
  });
});

Deno.test("inputs plus max_new_tokens over MAX_TOTAL_TOKENS is a 422 naming both", async () => {
  const reply = await call(
    { inputs: "one two three four five", parameters: { max_new_tokens: 96 } },
    { MAX_INPUT_LENGTH: "50", MAX_TOTAL_TOKENS: "100" },
  );
  assert.equal(reply.status, 422);
  assert.deepEqual(reply.body, {
    error:
      "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 100. Given: 5 `inputs` tokens and 96 `max_new_tokens`",
    error_type: "validation",
  });
  const ok = await call(
    { inputs: "one two three four five", parameters: { max_new_tokens: 95 } },
    { MAX_INPUT_LENGTH: "50", MAX_TOTAL_TOKENS: "100" },
  );
  assert.equal(ok.status, 200);
});

Deno.test("inputs at MAX_INPUT_LENGTH tokens are rejected", async () => {
  const reply = await call({ inputs: "a b c d" }, {
    MAX_INPUT_LENGTH: "4",
    MAX_TOTAL_TOKENS: "200",
  });
  assert.deepEqual(reply.body, {
    error: "Input validation error: `inputs` must have less than 4 tokens. Given: 4",
    error_type: "validation",
  });
});

Deno.test("malformed JSON is 400 and a wrongly typed payload 422, as TGI's router answers", async () => {
  const syntax = await call("{not json");
  assert.equal(syntax.status, 400);
  assert.match(syntax.text, /^Failed to parse the request body as JSON: /);
  const missing = await call({ prompt: "x" });
  assert.equal(missing.status, 422);
  assert.equal(
    missing.text,
    "Failed to deserialize the JSON body into the target type: missing field `inputs`",
  );
  const typed = await call({ inputs: "x", parameters: { max_new_tokens: "ten" } });
  assert.equal(typed.status, 422);
  assert.equal(
    typed.text,
    'Failed to deserialize the JSON body into the target type: parameters.max_new_tokens: invalid type: string "ten", expected u32',
  );
});

Deno.test("invalid MAX_* settings make the container unhealthy, as TGI refuses to start", async () => {
  const bad = new TgiBuiltinContainer({
    timings,
    environment: { MAX_INPUT_LENGTH: "2048", MAX_TOTAL_TOKENS: "2048" },
  });
  assert.equal(await bad.ping(signal), false);
  assert.match(bad.startupError ?? "", /must be < `max_total_tokens`/);
  const good = new TgiBuiltinContainer({ timings });
  assert.equal(await good.ping(signal), true);
});

Deno.test("an aborted invocation rejects with the abort reason", async () => {
  const container = new TgiBuiltinContainer({ timings });
  const controller = new AbortController();
  const reason = new Error("stop");
  controller.abort(reason);
  await assert.rejects(
    container.invoke({
      body: new TextEncoder().encode('{"inputs":"x"}'),
      signal: controller.signal,
    }),
    (error) => error === reason,
  );
});
