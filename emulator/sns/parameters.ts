/**
 * Reading SNS query parameters, with SNS's error shapes for missing or
 * malformed ones.
 *
 * @module
 */
import { AwsError } from "../errors.ts";
import type { QueryValue } from "../protocols/aws_query.ts";
import { constraintMessage, ParameterReaders } from "../protocols/parameters.ts";

function invalidParameter(path: string): AwsError {
  return new AwsError("InvalidParameter", `Invalid parameter: ${path}`);
}

/**
 * SNS's string readers: a missing required parameter is `ValidationError`
 * (`Value null at 'topicArn' failed to satisfy constraint: Member must not
 * be null`), anything malformed `InvalidParameter` naming the parameter.
 */
export const { requiredString, optionalString } = new ParameterReaders({
  missing: (path) =>
    new AwsError(
      "ValidationError",
      constraintMessage(path[0]!.toLowerCase() + path.slice(1), null, "Member must not be null"),
    ),
  constraint: invalidParameter,
  wrongType: invalidParameter,
  itemPath: (listPath, index) => `${listPath}.member.${index + 1}`,
  queryStrings: true,
});

/** A `Name.entry.N.key/value` map parameter (already un-flattened). */
export function stringMap(
  params: Record<string, QueryValue>,
  name: string,
): Record<string, string> {
  const value = params[name];
  if (value === undefined || value === "") return {};
  if (typeof value !== "object" || Array.isArray(value)) throw invalidParameter(name);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") throw invalidParameter(name);
    out[k] = v;
  }
  return out;
}

/** Decodes a page token issued by {@linkcode pageToken}. */
export function pageStart(token: string | undefined): number {
  if (token === undefined || token === "") return 0;
  const n = Number(token);
  if (!Number.isInteger(n) || n < 0) throw invalidParameter("NextToken");
  return n;
}

/** The token for the next page, or `undefined` on the last page. */
export function pageToken(next: number, total: number): string | undefined {
  return next < total ? String(next) : undefined;
}
