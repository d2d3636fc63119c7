/**
 * Reading SNS query parameters, with SNS's error shapes for missing or
 * malformed ones.
 *
 * @module
 */
import { AwsError } from "../errors.ts";
import type { QueryValue } from "../protocols/aws_query.ts";
import { constraintMessage } from "../protocols/parameters.ts";

/** A required string parameter; SNS's `ValidationError` when missing. */
export function requiredString(params: Record<string, QueryValue>, name: string): string {
  const value = params[name];
  if (value === undefined) {
    const member = name[0]!.toLowerCase() + name.slice(1);
    throw new AwsError(
      "ValidationError",
      constraintMessage(member, null, "Member must not be null"),
    );
  }
  if (typeof value !== "string") {
    throw new AwsError("InvalidParameter", `Invalid parameter: ${name}`);
  }
  return value;
}

/** An optional string parameter. */
export function optionalString(
  params: Record<string, QueryValue>,
  name: string,
): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") {
    throw new AwsError("InvalidParameter", `Invalid parameter: ${name}`);
  }
  return value;
}

/** A `Name.entry.N.key/value` map parameter (already un-flattened). */
export function stringMap(
  params: Record<string, QueryValue>,
  name: string,
): Record<string, string> {
  const value = params[name];
  if (value === undefined || value === "") return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new AwsError("InvalidParameter", `Invalid parameter: ${name}`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") {
      throw new AwsError("InvalidParameter", `Invalid parameter: ${name}`);
    }
    out[k] = v;
  }
  return out;
}

/** Decodes a page token issued by {@linkcode pageToken}. */
export function pageStart(token: string | undefined): number {
  if (token === undefined || token === "") return 0;
  const n = Number(token);
  if (!Number.isInteger(n) || n < 0) {
    throw new AwsError("InvalidParameter", "Invalid parameter: NextToken");
  }
  return n;
}

/** The token for the next page, or `undefined` on the last page. */
export function pageToken(next: number, total: number): string | undefined {
  return next < total ? String(next) : undefined;
}
