/**
 * The emulator's built-in stand-in for Hugging Face Text Generation Inference
 * (TGI), the server inside the JumpStart `huggingface-pytorch-tgi-inference`
 * image. It speaks TGI's request and response format and validates payloads
 * the way TGI does, but it is **not a language model**: its "generated" text
 * is a deterministic sequence of words picked by a seeded pseudo-random
 * generator from the prompt and parameters. Same payload, same text.
 *
 * Each response reports a duration of `inferenceBaseMs + inferencePerTokenMs x
 * generated tokens` (`ContainerResponse.durationMs`), which the emulator
 * waits out on its clock before the result is delivered.
 *
 * @module
 */
import type { EmulatorTimings } from "../context.ts";
import {
  type ContainerInvocation,
  type ContainerResponse,
  jsonContainerResponse,
  type ModelContainer,
  textContainerResponse,
} from "./container.ts";

/** TGI 1.4's default for `max_new_tokens` when the request omits it. */
export const TGI_DEFAULT_MAX_NEW_TOKENS = 100;
/** TGI's default `MAX_INPUT_LENGTH` (also JumpStart Falcon-40B's value). */
export const TGI_DEFAULT_MAX_INPUT_LENGTH = 1024;
/** TGI's default `MAX_TOTAL_TOKENS` (also JumpStart Falcon-40B's value). */
export const TGI_DEFAULT_MAX_TOTAL_TOKENS = 2048;
/** TGI's default `MAX_STOP_SEQUENCES`. */
export const TGI_MAX_STOP_SEQUENCES = 4;

/** Options for {@linkcode TgiBuiltinContainer}. */
export interface TgiBuiltinContainerOptions {
  /** Inference duration: fixed part plus per generated token. */
  timings: Pick<EmulatorTimings, "inferenceBaseMs" | "inferencePerTokenMs">;
  /** The model's `Environment` (`MAX_INPUT_LENGTH`, `MAX_TOTAL_TOKENS`). */
  environment?: Readonly<Record<string, string>>;
}

/** Parsed, validated TGI generation parameters. */
interface GenerateParameters {
  maxNewTokens: number;
  doSample: boolean;
  temperature?: number;
  topP?: number;
  topK?: number;
  repetitionPenalty?: number;
  stop: string[];
  returnFullText: boolean;
  seed?: number;
  details: boolean;
}

const VOCABULARY = [
  "the",
  "model",
  "answer",
  "queue",
  "endpoint",
  "instance",
  "request",
  "result",
  "async",
  "scale",
  "zero",
  "token",
  "output",
  "input",
  "region",
  "bucket",
  "object",
  "batch",
  "latency",
  "cost",
  "time",
  "system",
  "service",
  "value",
  "data",
  "signal",
  "clock",
  "cold",
  "start",
  "warm",
  "capacity",
  "policy",
  "alarm",
  "metric",
  "backlog",
  "worker",
  "server",
  "message",
  "topic",
  "note",
  "simple",
  "local",
  "text",
  "sample",
  "reply",
  "is",
  "and",
  "of",
] as const;

/** Counts tokens approximately: runs of letters/digits and single other symbols. */
export function countTokens(text: string): number {
  return text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)?.length ?? 0;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Result of the deterministic generator. */
export interface GeneratedText {
  readonly text: string;
  readonly tokens: number;
  readonly finishReason: "length" | "stop_sequence";
}

/**
 * The stand-in's text generator: `maxNewTokens` tokens (words and full
 * stops) chosen by a PRNG seeded from the prompt and `seedMaterial`, cut
 * after the first stop sequence (which TGI keeps in the output).
 *
 * @example
 * ```ts
 * import { generateStandInText } from "@sagemaker-async/toolkit/emulator";
 *
 * const a = generateStandInText({ prompt: "Hello", maxNewTokens: 5, stop: [] });
 * const b = generateStandInText({ prompt: "Hello", maxNewTokens: 5, stop: [] });
 * if (a.text !== b.text || a.tokens !== 5) throw new Error("not deterministic");
 * ```
 */
export function generateStandInText(
  options: { prompt: string; maxNewTokens: number; stop: readonly string[]; seedMaterial?: string },
): GeneratedText {
  const random = mulberry32(fnv1a(`${options.seedMaterial ?? ""}\u0000${options.prompt}`));
  let text = "";
  let tokens = 0;
  let sentenceLength = 0;
  let sentenceTarget = 6 + Math.floor(random() * 7);
  while (tokens < options.maxNewTokens) {
    if (sentenceLength >= sentenceTarget) {
      text += ".";
      sentenceLength = 0;
      sentenceTarget = 6 + Math.floor(random() * 7);
    } else {
      let word: string = VOCABULARY[Math.floor(random() * VOCABULARY.length)]!;
      if (sentenceLength === 0) word = word[0]!.toUpperCase() + word.slice(1);
      text += ` ${word}`;
      sentenceLength++;
    }
    tokens++;
    for (const stop of options.stop) {
      const at = stop === "" ? -1 : text.indexOf(stop);
      if (at !== -1) {
        return { text: text.slice(0, at + stop.length), tokens, finishReason: "stop_sequence" };
      }
    }
  }
  return { text, tokens, finishReason: "length" };
}

class PayloadError extends Error {
  constructor(readonly response: ContainerResponse) {
    super("invalid TGI payload");
  }
}

function deserializeError(detail: string): PayloadError {
  return new PayloadError(
    textContainerResponse(
      422,
      `Failed to deserialize the JSON body into the target type: ${detail}`,
    ),
  );
}

/** TGI's answer to a request it cannot parse as JSON: 400, plain text. */
export function tgiJsonParseErrorResponse(error: unknown): ContainerResponse {
  return textContainerResponse(
    400,
    `Failed to parse the request body as JSON: ${error instanceof Error ? error.message : error}`,
  );
}

/** TGI's answer to parameters it refuses: 422 `{"error": "Input validation error: ..."}`. */
export function tgiValidationErrorResponse(message: string): ContainerResponse {
  return jsonContainerResponse(422, {
    error: `Input validation error: ${message}`,
    error_type: "validation",
  });
}

function validationError(message: string): PayloadError {
  return new PayloadError(tgiValidationErrorResponse(message));
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "sequence";
  if (typeof value === "object") return "map";
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  if (typeof value === "boolean") return `boolean \`${value}\``;
  return `${Number.isInteger(value) ? "integer" : "floating point"} \`${value}\``;
}

function optionalNumber(
  params: Record<string, unknown>,
  name: string,
  integer: boolean,
): number | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || (integer && !Number.isInteger(value))) {
    throw deserializeError(
      `parameters.${name}: invalid type: ${typeName(value)}, expected ${integer ? "u32" : "f32"}`,
    );
  }
  if (integer && value < 0) {
    throw deserializeError(
      `parameters.${name}: invalid value: integer \`${value}\`, expected u32`,
    );
  }
  return value;
}

function optionalBoolean(
  params: Record<string, unknown>,
  name: string,
): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") {
    throw deserializeError(
      `parameters.${name}: invalid type: ${typeName(value)}, expected a boolean`,
    );
  }
  return value;
}

/** Reads a positive integer environment variable, or the default. */
function envInteger(
  environment: Readonly<Record<string, string>>,
  names: readonly string[],
  fallback: number,
): number | string {
  for (const name of names) {
    const raw = environment[name];
    if (raw === undefined) continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) {
      return `${name}=${JSON.stringify(raw)} is not a positive integer`;
    }
    return value;
  }
  return fallback;
}

/**
 * The built-in TGI stand-in container (see the module docs). Unhealthy (ping
 * fails) when `MAX_INPUT_LENGTH`/`MAX_TOTAL_TOKENS` are invalid, as TGI
 * refuses to start.
 *
 * @example
 * ```ts
 * import { TgiBuiltinContainer } from "@sagemaker-async/toolkit/emulator";
 *
 * const container = new TgiBuiltinContainer({
 *   timings: { inferenceBaseMs: 1000, inferencePerTokenMs: 10 },
 * });
 * const body = new TextEncoder().encode(
 *   JSON.stringify({ inputs: "Hi", parameters: { max_new_tokens: 4 } }),
 * );
 * const reply = await container.invoke({
 *   body,
 *   contentType: "application/json",
 *   signal: new AbortController().signal,
 * });
 * const [first] = JSON.parse(new TextDecoder().decode(reply.body));
 * if (reply.status !== 200 || typeof first.generated_text !== "string") throw new Error("bad reply");
 * if (reply.durationMs !== 1040) throw new Error(`took ${reply.durationMs} ms`);
 * ```
 */
export class TgiBuiltinContainer implements ModelContainer {
  readonly description = "built-in TGI stand-in (deterministic text, not a language model)";
  readonly #timings: Pick<EmulatorTimings, "inferenceBaseMs" | "inferencePerTokenMs">;
  readonly #maxInputLength: number;
  readonly #maxTotalTokens: number;
  /** Why the container would not start (TGI refuses these settings), if it would not. */
  readonly startupError: string | undefined;

  constructor(options: TgiBuiltinContainerOptions) {
    this.#timings = options.timings;
    const env = options.environment ?? {};
    const maxInput = envInteger(
      env,
      ["MAX_INPUT_TOKENS", "MAX_INPUT_LENGTH"],
      TGI_DEFAULT_MAX_INPUT_LENGTH,
    );
    const maxTotal = envInteger(env, ["MAX_TOTAL_TOKENS"], TGI_DEFAULT_MAX_TOTAL_TOKENS);
    let startupError: string | undefined;
    if (typeof maxInput === "string") startupError = maxInput;
    else if (typeof maxTotal === "string") startupError = maxTotal;
    else if (maxInput >= maxTotal) {
      startupError =
        `\`max_input_length\` must be < \`max_total_tokens\`. Given: ${maxInput} and ${maxTotal}`;
    }
    this.startupError = startupError;
    this.#maxInputLength = typeof maxInput === "number" ? maxInput : TGI_DEFAULT_MAX_INPUT_LENGTH;
    this.#maxTotalTokens = typeof maxTotal === "number" ? maxTotal : TGI_DEFAULT_MAX_TOTAL_TOKENS;
  }

  ping(_signal: AbortSignal): Promise<boolean> {
    return Promise.resolve(this.startupError === undefined);
  }

  invoke(invocation: ContainerInvocation): Promise<ContainerResponse> {
    try {
      invocation.signal.throwIfAborted();
      return Promise.resolve(this.#invoke(invocation));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #invoke(invocation: ContainerInvocation): ContainerResponse {
    if (this.startupError !== undefined) {
      return textContainerResponse(503, `Model server failed to start: ${this.startupError}`);
    }
    let prompt: string;
    let params: GenerateParameters;
    try {
      ({ prompt, params } = this.#parse(invocation.body));
    } catch (error) {
      if (error instanceof PayloadError) return error.response;
      throw error;
    }
    const seedMaterial = params.doSample
      ? JSON.stringify([params.seed ?? 0, params.temperature, params.topP, params.topK])
      : "greedy";
    const generated = generateStandInText({
      prompt,
      maxNewTokens: params.maxNewTokens,
      stop: params.stop,
      seedMaterial,
    });
    const durationMs = this.#timings.inferenceBaseMs +
      this.#timings.inferencePerTokenMs * generated.tokens;
    const result: Record<string, unknown> = {
      generated_text: params.returnFullText ? prompt + generated.text : generated.text,
    };
    if (params.details) {
      result.details = {
        finish_reason: generated.finishReason,
        generated_tokens: generated.tokens,
        seed: params.doSample ? params.seed ?? 0 : null,
      };
    }
    return { ...jsonContainerResponse(200, [result]), durationMs };
  }

  #parse(body: Uint8Array): { prompt: string; params: GenerateParameters } {
    let payload: unknown;
    try {
      payload = JSON.parse(new TextDecoder().decode(body));
    } catch (error) {
      throw new PayloadError(tgiJsonParseErrorResponse(error));
    }
    if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
      throw deserializeError(
        `invalid type: ${typeName(payload)}, expected struct CompatGenerateRequest`,
      );
    }
    const request = payload as Record<string, unknown>;
    if (!("inputs" in request)) throw deserializeError("missing field `inputs`");
    if (typeof request.inputs !== "string") {
      throw deserializeError(
        `inputs: invalid type: ${typeName(request.inputs)}, expected a string`,
      );
    }
    if (request.stream === true) {
      throw validationError("streaming is not supported by the emulator's TGI stand-in");
    }
    const rawParams = request.parameters ?? {};
    if (typeof rawParams !== "object" || rawParams === null || Array.isArray(rawParams)) {
      throw deserializeError(
        `parameters: invalid type: ${typeName(rawParams)}, expected struct GenerateParameters`,
      );
    }
    const p = rawParams as Record<string, unknown>;
    const maxNewTokens = optionalNumber(p, "max_new_tokens", true);
    const temperature = optionalNumber(p, "temperature", false);
    const topP = optionalNumber(p, "top_p", false);
    const typicalP = optionalNumber(p, "typical_p", false);
    const topK = optionalNumber(p, "top_k", true);
    const repetitionPenalty = optionalNumber(p, "repetition_penalty", false);
    const seed = optionalNumber(p, "seed", true);
    const doSample = optionalBoolean(p, "do_sample") ?? false;
    const returnFullText = optionalBoolean(p, "return_full_text") ?? false;
    const details = optionalBoolean(p, "details") ?? false;
    let stop: string[] = [];
    if (p.stop !== undefined && p.stop !== null) {
      if (!Array.isArray(p.stop) || p.stop.some((s) => typeof s !== "string")) {
        throw deserializeError(
          `parameters.stop: invalid type: ${typeName(p.stop)}, expected a sequence of strings`,
        );
      }
      stop = p.stop as string[];
    }
    if (temperature !== undefined && temperature <= 0) {
      throw validationError("`temperature` must be strictly positive");
    }
    if (repetitionPenalty !== undefined && repetitionPenalty <= 0) {
      throw validationError("`repetition_penalty` must be strictly positive");
    }
    if (topP !== undefined && (topP <= 0 || topP >= 1)) {
      throw validationError("`top_p` must be > 0.0 and < 1.0");
    }
    if (typicalP !== undefined && (typicalP <= 0 || typicalP >= 1)) {
      throw validationError("`typical_p` must be > 0.0 and < 1.0");
    }
    if (topK !== undefined && topK <= 0) {
      throw validationError("`top_k` must be strictly positive");
    }
    if (maxNewTokens === 0) {
      throw validationError("`max_new_tokens` must be strictly positive");
    }
    if (stop.length > TGI_MAX_STOP_SEQUENCES) {
      throw validationError(
        `\`stop\` supports up to ${TGI_MAX_STOP_SEQUENCES} stop sequences. Given: ${stop.length}`,
      );
    }
    if (request.inputs === "") throw validationError("`inputs` cannot be empty");
    const inputTokens = countTokens(request.inputs);
    if (inputTokens >= this.#maxInputLength) {
      throw validationError(
        `\`inputs\` must have less than ${this.#maxInputLength} tokens. Given: ${inputTokens}`,
      );
    }
    const newTokens = maxNewTokens ?? TGI_DEFAULT_MAX_NEW_TOKENS;
    if (inputTokens + newTokens > this.#maxTotalTokens) {
      throw validationError(
        `\`inputs\` tokens + \`max_new_tokens\` must be <= ${this.#maxTotalTokens}. Given: ${inputTokens} \`inputs\` tokens and ${newTokens} \`max_new_tokens\``,
      );
    }
    return {
      prompt: request.inputs,
      params: {
        maxNewTokens: newTokens,
        doSample,
        temperature,
        topP,
        topK,
        repetitionPenalty,
        stop,
        returnFullText,
        seed,
        details,
      },
    };
  }
}
