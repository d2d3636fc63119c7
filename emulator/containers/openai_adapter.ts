/**
 * A model container in front of an OpenAI-compatible completions server
 * (llama.cpp's `llama-server`, vLLM, Ollama): it accepts TGI payloads
 * (`{"inputs", "parameters"}`), calls `POST /v1/completions`, and answers in
 * TGI's format (`[{"generated_text"}]`), so a workshop can run a real small
 * model behind an endpoint that looks like JumpStart's TGI one.
 *
 * Mapping: `inputs` -> `prompt`; `max_new_tokens` -> `max_tokens` (default
 * 100, TGI's); `do_sample: false` -> `temperature: 0`, else `temperature`,
 * `top_p`, `top_k`; `stop`, `seed` and `repetition_penalty` are passed
 * through (servers that do not know a field ignore it). `choices[0].text`
 * becomes `generated_text` (prefixed with the prompt when
 * `return_full_text`). Health is `GET /v1/models`.
 *
 * @module
 */
import {
  type ContainerInvocation,
  type ContainerResponse,
  jsonContainerResponse,
  type ModelContainer,
} from "./container.ts";
import { containerBaseUrl } from "./external.ts";
import {
  TGI_DEFAULT_MAX_NEW_TOKENS,
  tgiJsonParseErrorResponse,
  tgiValidationErrorResponse,
} from "./tgi_builtin.ts";

/** Options for {@linkcode OpenAiCompletionsContainer}. */
export interface OpenAiCompletionsContainerOptions {
  /** Server base URL, e.g. `http://127.0.0.1:8080` (without `/v1`). */
  url: string;
  /** `model` to request; some servers (vLLM, Ollama) require it. */
  model?: string;
  /** The fetch to use (tests may inject one). Default: global `fetch`. */
  fetch?: typeof fetch;
}

/**
 * Translates a TGI request into an OpenAI completions request, or returns the
 * 4xx a TGI server would give for the payload.
 */
export function tgiToOpenAiCompletion(
  body: Uint8Array,
  model: string | undefined,
): { request: Record<string, unknown>; prompt: string; returnFullText: boolean } | {
  error: ContainerResponse;
} {
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(body));
  } catch (error) {
    return { error: tgiJsonParseErrorResponse(error) };
  }
  if (
    typeof payload !== "object" || payload === null || Array.isArray(payload) ||
    typeof (payload as Record<string, unknown>).inputs !== "string"
  ) {
    return { error: tgiValidationErrorResponse("`inputs` must be a string") };
  }
  const { inputs, parameters } = payload as { inputs: string; parameters?: unknown };
  if (inputs === "") return { error: tgiValidationErrorResponse("`inputs` cannot be empty") };
  const p =
    (typeof parameters === "object" && parameters !== null && !Array.isArray(parameters)
      ? parameters
      : {}) as Record<string, unknown>;
  const request: Record<string, unknown> = {
    prompt: inputs,
    max_tokens: typeof p.max_new_tokens === "number"
      ? p.max_new_tokens
      : TGI_DEFAULT_MAX_NEW_TOKENS,
    stream: false,
  };
  if (model !== undefined) request.model = model;
  if (p.do_sample === true) {
    for (const name of ["temperature", "top_p", "top_k"]) {
      if (typeof p[name] === "number") request[name] = p[name];
    }
  } else {
    request.temperature = 0;
  }
  if (Array.isArray(p.stop)) request.stop = p.stop;
  if (typeof p.seed === "number") request.seed = p.seed;
  if (typeof p.repetition_penalty === "number") {
    request.repetition_penalty = p.repetition_penalty;
  }
  return { request, prompt: inputs, returnFullText: p.return_full_text === true };
}

/**
 * A TGI-speaking container backed by an OpenAI-compatible completions server.
 *
 * @example
 * ```ts
 * import { OpenAiCompletionsContainer } from "@sagemaker-async/toolkit/emulator";
 *
 * const fakeFetch = () => Promise.resolve(Response.json({ choices: [{ text: " world" }] }));
 * const container = new OpenAiCompletionsContainer({ url: "http://127.0.0.1:8080", fetch: fakeFetch });
 * const reply = await container.invoke({
 *   body: new TextEncoder().encode('{"inputs":"Hello"}'),
 *   signal: new AbortController().signal,
 * });
 * const [first] = JSON.parse(new TextDecoder().decode(reply.body));
 * if (first.generated_text !== " world") throw new Error(first.generated_text);
 * ```
 */
export class OpenAiCompletionsContainer implements ModelContainer {
  readonly description: string;
  readonly #base: string;
  readonly #model: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: OpenAiCompletionsContainerOptions) {
    this.#base = containerBaseUrl(options.url);
    this.#model = options.model;
    this.#fetch = options.fetch ?? fetch;
    this.description = `OpenAI-compatible completions server at ${this.#base}`;
  }

  async ping(signal: AbortSignal): Promise<boolean> {
    try {
      const response = await this.#fetch(`${this.#base}/v1/models`, { signal });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  }

  async invoke(invocation: ContainerInvocation): Promise<ContainerResponse> {
    const translated = tgiToOpenAiCompletion(invocation.body, this.#model);
    if ("error" in translated) return translated.error;
    const response = await this.#fetch(`${this.#base}/v1/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(translated.request),
      signal: invocation.signal,
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const upstream = (parsed as { error?: unknown } | undefined)?.error;
      const message = typeof upstream === "string"
        ? upstream
        : typeof (upstream as { message?: unknown } | undefined)?.message === "string"
        ? (upstream as { message: string }).message
        : text;
      return jsonContainerResponse(response.status, {
        error: message,
        error_type: response.status < 500 ? "validation" : "generation",
      });
    }
    const choice = (parsed as { choices?: Array<{ text?: unknown; finish_reason?: unknown }> })
      ?.choices?.[0];
    if (typeof choice?.text !== "string") {
      return jsonContainerResponse(500, {
        error: `Completions server returned no choices[0].text: ${text.slice(0, 200)}`,
        error_type: "incomplete_generation",
      });
    }
    const generated = translated.returnFullText ? translated.prompt + choice.text : choice.text;
    return jsonContainerResponse(200, [{ generated_text: generated }]);
  }
}
