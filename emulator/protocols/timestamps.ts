/**
 * Timestamps on the wire: JSON protocols use epoch seconds, XML bodies and
 * query parameters ISO 8601, S3 headers RFC 7231. Handlers work with `Date`
 * and the renderers pick the format.
 *
 * @module
 */
import { AwsError } from "../errors.ts";

/**
 * Parses a timestamp from any protocol: a number or numeric string (epoch
 * seconds) or an ISO 8601 string. Throws a `ValidationError`-style
 * {@linkcode AwsError} naming the parameter when it is neither.
 */
export function parseTimestamp(
  value: unknown,
  name: string,
  code = "ValidationException",
): Date {
  if (value instanceof Date) return value;
  if (typeof value === "number" && Number.isFinite(value)) {
    return new Date(value * 1000);
  }
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    const date = Number.isFinite(n) ? new Date(n * 1000) : new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new AwsError(
    code,
    `Invalid timestamp for ${name}: ${JSON.stringify(value)}`,
  );
}

/** RFC 7231 form for HTTP headers (`Last-Modified`). */
export function httpDate(date: Date): string {
  return date.toUTCString();
}
