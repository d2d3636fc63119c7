/**
 * Content handlers: how a prompt becomes the bytes an endpoint reads, and how
 * the output object becomes text. The shape is the one LangChain users know
 * from `@langchain/community`'s `SageMakerEndpoint`, so an existing handler
 * works here too.
 *
 * @module
 */
import { assertPlainObject } from "./_plain_object.ts";

/**
 * Turns prompts into request bodies and output objects into text. Any object
 * of this shape works, including a `@langchain/community`
 * `SageMakerLLMContentHandler`.
 */
export interface SageMakerContentHandler {
  /** Content type of the request body (sent as `ContentType`). */
  readonly contentType: string;
  /** Content type the model should answer with (sent as `Accept`). */
  readonly accepts: string;
  /** Builds the request body for one prompt; `modelKwargs` are the LLM's model kwargs. */
  transformInput(
    prompt: string,
    modelKwargs: Record<string, unknown>,
  ): Uint8Array | Promise<Uint8Array>;
  /** Reads the generated text out of the output object's bytes. */
  transformOutput(output: Uint8Array): string | Promise<string>;
}

/**
 * The generation parameters the reference walkthrough sends to Falcon:
 * `max_new_tokens` 100, greedy decoding, `repetition_penalty` 1.1.
 */
export const DEFAULT_TGI_PARAMETERS: Readonly<Record<string, unknown>> = Object.freeze({
  max_new_tokens: 100,
  do_sample: false,
  repetition_penalty: 1.1,
});

/** Options for {@linkcode TgiContentHandler}. */
export interface TgiContentHandlerOptions {
  /**
   * Generation parameters merged over {@linkcode DEFAULT_TGI_PARAMETERS}
   * (model kwargs given to the LLM are merged over these in turn). A key set
   * to `undefined` removes a default.
   */
  parameters?: Record<string, unknown>;
}

/**
 * The Hugging Face Text Generation Inference (TGI) format that JumpStart's
 * Falcon-40B-instruct container speaks: the request is
 * `{"inputs": prompt, "parameters": {...}}` and the answer
 * `[{"generated_text": "..."}]` (a bare `{"generated_text": "..."}` is
 * accepted too).
 *
 * @example
 * ```ts
 * import { TgiContentHandler } from "@sagemaker-async/toolkit/langchain";
 *
 * const handler = new TgiContentHandler({ parameters: { max_new_tokens: 20 } });
 * const body = await handler.transformInput("Hello", { temperature: 0.2 });
 * const request = JSON.parse(new TextDecoder().decode(body));
 * if (request.inputs !== "Hello") throw new Error("prompt not sent");
 * if (request.parameters.max_new_tokens !== 20) throw new Error("option not applied");
 * if (request.parameters.temperature !== 0.2) throw new Error("model kwargs not applied");
 * if (request.parameters.repetition_penalty !== 1.1) throw new Error("default lost");
 *
 * const output = new TextEncoder().encode('[{"generated_text":" Hi there"}]');
 * if (await handler.transformOutput(output) !== " Hi there") throw new Error("not parsed");
 * ```
 */
export class TgiContentHandler implements SageMakerContentHandler {
  /** `application/json`. */
  readonly contentType = "application/json";
  /** `application/json`. */
  readonly accepts = "application/json";
  /** The parameters every request starts from (defaults plus the options'). */
  readonly parameters: Readonly<Record<string, unknown>>;

  /** Checks the options (`TypeError` for parameters that are not a plain object). */
  constructor(options: TgiContentHandlerOptions = {}) {
    if (options.parameters !== undefined) assertPlainObject(options.parameters, "parameters");
    this.parameters = Object.freeze(
      withoutUndefined({ ...DEFAULT_TGI_PARAMETERS, ...options.parameters }),
    );
  }

  /** `{"inputs": prompt, "parameters": {...defaults, ...options, ...modelKwargs}}` as UTF-8. */
  transformInput(prompt: string, modelKwargs: Record<string, unknown> = {}): Uint8Array {
    if (typeof prompt !== "string") {
      throw new TypeError(`Invalid prompt ${String(prompt)}: must be a string`);
    }
    assertPlainObject(modelKwargs, "modelKwargs");
    const parameters = withoutUndefined({ ...this.parameters, ...modelKwargs });
    return new TextEncoder().encode(JSON.stringify({ inputs: prompt, parameters }));
  }

  /**
   * The `generated_text` of the first generation. Throws a `SyntaxError` when
   * the output is not JSON and a `TypeError` when it has no `generated_text`,
   * both quoting the start of the output.
   */
  transformOutput(output: Uint8Array): string {
    const text = new TextDecoder().decode(output);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new SyntaxError(`TGI output is not JSON: ${quote(text)}`, { cause: error });
    }
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    const generated = (first as { generated_text?: unknown } | null)?.generated_text;
    if (typeof generated !== "string") {
      throw new TypeError(
        `TGI output has no generated_text string (expected [{"generated_text": "..."}]): ${
          quote(text)
        }`,
      );
    }
    return generated;
  }
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

function quote(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}...` : text);
}
