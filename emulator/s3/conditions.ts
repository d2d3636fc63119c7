/**
 * HTTP preconditions on reads (`If-Match`, `If-None-Match`,
 * `If-Modified-Since`, `If-Unmodified-Since`) and on copies (the same with
 * an `x-amz-copy-source-` prefix), evaluated in S3's order.
 *
 * @module
 */
import type { S3Object } from "./store.ts";
import { preconditionFailed } from "./errors.ts";

function etagMatches(list: string, etag: string): boolean {
  return list.split(",").some((item) => {
    const candidate = item.trim();
    return candidate === "*" || candidate === etag || `"${candidate}"` === etag;
  });
}

function parseDate(text: string | null): number | undefined {
  if (text === null) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Evaluates preconditions against an object. Returns `"not-modified"` when a
 * read should answer 304; throws 412 `PreconditionFailed` naming the failed
 * header. For copies (`prefix` `x-amz-copy-source-`) every failure is a 412.
 */
export function evaluateConditions(
  object: S3Object,
  headers: Headers,
  prefix = "",
): "ok" | "not-modified" {
  const ifMatch = headers.get(`${prefix}if-match`);
  const ifNoneMatch = headers.get(`${prefix}if-none-match`);
  const modifiedSince = parseDate(headers.get(`${prefix}if-modified-since`));
  const unmodifiedSince = parseDate(headers.get(`${prefix}if-unmodified-since`));
  const lastModified = object.lastModified.getTime();
  if (ifMatch !== null) {
    if (!etagMatches(ifMatch, object.etag)) {
      throw preconditionFailed(`${displayName(prefix)}If-Match`);
    }
  } else if (unmodifiedSince !== undefined && lastModified > unmodifiedSince) {
    throw preconditionFailed(`${displayName(prefix)}If-Unmodified-Since`);
  }
  if (ifNoneMatch !== null) {
    if (etagMatches(ifNoneMatch, object.etag)) {
      if (prefix) throw preconditionFailed(`${displayName(prefix)}If-None-Match`);
      return "not-modified";
    }
  } else if (modifiedSince !== undefined && lastModified <= modifiedSince) {
    if (prefix) throw preconditionFailed(`${displayName(prefix)}If-Modified-Since`);
    return "not-modified";
  }
  return "ok";
}

function displayName(prefix: string): string {
  return prefix === "" ? "" : "x-amz-copy-source-";
}
