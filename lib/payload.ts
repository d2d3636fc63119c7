/**
 * Payloads in, results out: turning what a caller passes into bytes with a
 * content type, and turning an output object back into a value by its
 * content type.
 *
 * @module
 */

/** A value `JSON.stringify` represents without loss. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue | undefined };

/**
 * What an inference can be sent: a JSON value (sent as `application/json`),
 * a string (sent as its UTF-8 text, `text/plain` unless a content type is
 * given) or bytes (sent as they are).
 */
export type Payload = JsonValue | Uint8Array;

/** Options for {@linkcode serializePayload}. */
export interface SerializePayloadOptions {
  /**
   * Content type to send. Default: `application/json` for JSON values,
   * `text/plain` for strings, `application/octet-stream` for bytes. A JSON
   * value needs a JSON content type (`application/json` or `*+json`).
   */
  contentType?: string;
}

/** A payload ready to upload or to send inline. */
export interface SerializedPayload {
  /** The bytes to send. */
  readonly body: Uint8Array;
  /** The content type that describes them. */
  readonly contentType: string;
}

/**
 * Serialises a payload. JSON values become `application/json` text, strings
 * their UTF-8 bytes (`text/plain` unless `contentType` says otherwise; a
 * string is never JSON-quoted), `Uint8Array`s are sent as they are
 * (other `ArrayBuffer` views and `ArrayBuffer`s as their bytes).
 *
 * Throws a `TypeError` for values JSON cannot represent without loss
 * (`undefined`, functions, symbols, `bigint`, `NaN`/`Infinity`, class
 * instances such as `Map`, cycles) and for a JSON value paired with a
 * content type that is not JSON.
 *
 * @example
 * ```ts
 * import { serializePayload } from "@sagemaker-async/toolkit";
 *
 * const { body, contentType } = serializePayload({ inputs: "Hello", parameters: { max_new_tokens: 20 } });
 * if (contentType !== "application/json") throw new Error(contentType);
 * const text = new TextDecoder().decode(body);
 * if (text !== '{"inputs":"Hello","parameters":{"max_new_tokens":20}}') throw new Error(text);
 *
 * if (serializePayload("a,b\n1,2", { contentType: "text/csv" }).contentType !== "text/csv") {
 *   throw new Error("content type not kept");
 * }
 * ```
 */
export function serializePayload(
  data: Payload,
  options: SerializePayloadOptions = {},
): SerializedPayload {
  const { contentType } = options;
  if (contentType !== undefined && (typeof contentType !== "string" || contentType === "")) {
    throw new TypeError(
      `Invalid contentType ${JSON.stringify(contentType)}: must be a non-empty string`,
    );
  }
  if (data instanceof Uint8Array) {
    return { body: data, contentType: contentType ?? "application/octet-stream" };
  }
  if (ArrayBuffer.isView(data)) {
    return {
      body: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      contentType: contentType ?? "application/octet-stream",
    };
  }
  if ((data as unknown) instanceof ArrayBuffer) {
    return {
      body: new Uint8Array(data as unknown as ArrayBuffer),
      contentType: contentType ?? "application/octet-stream",
    };
  }
  if (typeof data === "string") {
    return { body: new TextEncoder().encode(data), contentType: contentType ?? "text/plain" };
  }
  if (contentType !== undefined && !isJsonMediaType(contentType)) {
    throw new TypeError(
      `Cannot serialise a JSON value as ${JSON.stringify(contentType)}: JSON values need ` +
        "application/json or a *+json content type; pass a string or bytes for other types",
    );
  }
  return {
    body: new TextEncoder().encode(stringifyStrictly(data)),
    contentType: contentType ?? "application/json",
  };
}

/** Options for {@linkcode deserializeResult}. */
export interface DeserializeResultOptions {
  /** Where the bytes came from (e.g. an `s3://` URI), named in errors. */
  source?: string;
}

/**
 * Turns result bytes into a value by their content type: `application/json`
 * and `*+json` are parsed, `text/*` is decoded (by its `charset`, UTF-8 by
 * default), anything else (or no content type) stays bytes.
 *
 * Throws a `SyntaxError` naming the source when a JSON result does not parse.
 *
 * @example
 * ```ts
 * import { deserializeResult } from "@sagemaker-async/toolkit";
 *
 * const bytes = new TextEncoder().encode('[{"generated_text":"Hi"}]');
 * const value = deserializeResult(bytes, "application/json") as { generated_text: string }[];
 * if (value[0]?.generated_text !== "Hi") throw new Error("not parsed");
 * if (!(deserializeResult(bytes, "image/png") instanceof Uint8Array)) throw new Error("not bytes");
 * ```
 */
export function deserializeResult(
  body: Uint8Array,
  contentType: string | undefined,
  options: DeserializeResultOptions = {},
): JsonValue | Uint8Array {
  if (contentType === undefined || contentType === "") return body;
  const essence = mediaTypeEssence(contentType);
  if (isJsonMediaType(essence)) {
    const text = new TextDecoder().decode(body);
    try {
      return JSON.parse(text) as JsonValue;
    } catch (error) {
      throw new SyntaxError(
        `Result ${options.source ?? ""}${options.source ? " " : ""}has content type ` +
          `${contentType} but is not valid JSON (${body.byteLength} bytes): ${
            error instanceof Error ? error.message : String(error)
          }`,
        { cause: error },
      );
    }
  }
  if (essence.startsWith("text/")) return new TextDecoder(charsetOf(contentType)).decode(body);
  return body;
}

/** True for `application/json` and `<type>/<subtype>+json`, parameters ignored. */
function isJsonMediaType(contentType: string): boolean {
  const essence = mediaTypeEssence(contentType);
  return essence === "application/json" || /^[a-z0-9!#$&^_.+-]+\/[^;]*\+json$/.test(essence);
}

function mediaTypeEssence(contentType: string): string {
  return contentType.split(";", 1)[0]!.trim().toLowerCase();
}

/** The `charset` parameter if `TextDecoder` knows it, else `utf-8`. */
function charsetOf(contentType: string): string {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  if (!match) return "utf-8";
  try {
    new TextDecoder(match[1]);
    return match[1]!;
  } catch {
    return "utf-8";
  }
}

/** `JSON.stringify`, but refusing anything it would drop or change silently. */
function stringifyStrictly(data: unknown): string {
  if (data === undefined) {
    throw new TypeError("Invalid payload undefined: pass a JSON value, a string or bytes");
  }
  const text = JSON.stringify(data, function (this: unknown, key: string, value: unknown) {
    const where = key === "" ? "payload" : `payload member ${JSON.stringify(key)}`;
    switch (typeof value) {
      case "function":
      case "symbol":
      case "bigint":
        throw new TypeError(`Invalid ${where}: a ${typeof value} is not a JSON value`);
      case "number":
        if (!Number.isFinite(value)) {
          throw new TypeError(`Invalid ${where} ${value}: JSON numbers must be finite`);
        }
        break;
      case "undefined":
        if (Array.isArray(this)) {
          throw new TypeError(`Invalid ${where}: undefined array elements would become null`);
        }
        break;
      case "object": {
        if (value === null || Array.isArray(value)) break;
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          const name = (value as { constructor?: { name?: string } }).constructor?.name ??
            "object";
          throw new TypeError(
            `Invalid ${where}: a ${name} is not a plain JSON object; convert it first`,
          );
        }
      }
    }
    return value;
  });
  return text;
}
