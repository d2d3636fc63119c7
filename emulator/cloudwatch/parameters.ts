/**
 * Reads and checks CloudWatch request members. The same handlers serve the
 * JSON protocol (typed values) and the query protocol (every value a string,
 * lists un-flattened from `Name.member.N`), so numbers and booleans are
 * accepted in either form and an empty query list (`Name=`) reads as `[]`.
 *
 * Errors follow CloudWatch: a missing required member is
 * `MissingParameter`, a value outside the model's constraints (length, enum,
 * range) is `ValidationError`, a value the service rejects on its merits is
 * `InvalidParameterValue`. Paths in messages use the query protocol's names
 * (`MetricData.member.1.Value`), as CloudWatch's own messages do.
 *
 * @module
 */
import {
  constraintMessage,
  type MemberKind,
  type Members,
  ParameterReaders,
  showValue,
} from "../protocols/parameters.ts";
import { cloudWatchError } from "./errors.ts";

export { memberPath } from "../protocols/parameters.ts";
export type { Members, StringRule } from "../protocols/parameters.ts";

/** The path of list item `index` (0-based) under `listPath`, 1-based as on the wire. */
export function itemPath(listPath: string, index: number): string {
  return `${listPath}.member.${index + 1}`;
}

/** `ValidationError` in the model-constraint wording AWS uses. */
export function constraintError(path: string, value: unknown, rule: string): Error {
  return cloudWatchError("ValidationException", constraintMessage(path, value, rule));
}

/** `InvalidParameterValue` naming the member, the value and the rule. */
export function invalidValue(path: string, value: unknown, rule: string): Error {
  return cloudWatchError(
    "InvalidParameterValueException",
    `The value ${showValue(value)} for parameter ${path} is invalid: ${rule}`,
  );
}

/** `MissingParameter` for a required member. */
export function missingParameter(path: string): Error {
  return cloudWatchError("MissingRequiredParameterException", `The parameter ${path} is required.`);
}

const TYPE_RULES: Record<MemberKind, string> = {
  string: "must be a string",
  number: "must be a finite number",
  integer: "must be an integer",
  boolean: "must be true or false",
  structure: "must be a structure",
  list: "must be a list",
  timestamp: "must be a timestamp (ISO 8601 or epoch seconds)",
};

/** The service's member readers (see `ParameterReaders`). */
export const {
  optionalString,
  requiredString,
  optionalEnum,
  requiredEnum,
  optionalNumber,
  requiredNumber,
  optionalBoolean,
  optionalStruct,
  requiredStruct,
  optionalList,
  optionalStringList,
  optionalTimestamp,
  requiredTimestamp,
} = new ParameterReaders({
  missing: missingParameter,
  constraint: constraintError,
  wrongType: (path, value, kind) => invalidValue(path, value, TYPE_RULES[kind]),
  itemPath,
  queryStrings: true,
});

/** Reads a page token issued by this emulator (an offset); `InvalidNextToken` otherwise. */
export function readOffsetToken(input: Members): number {
  const token = optionalString(input, "NextToken");
  if (token === undefined) return 0;
  const offset = Number.parseInt(token, 10);
  if (String(offset) !== token || offset <= 0) {
    throw cloudWatchError("InvalidNextToken", `The NextToken ${token} is not valid.`);
  }
  return offset;
}
