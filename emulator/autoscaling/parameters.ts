/**
 * Reads and checks Application Auto Scaling request members (awsJson 1.1).
 * Every violation is a `ValidationException`; constraint violations use the
 * service's wording (`1 validation error detected: Value 'x' at 'resourceId'
 * failed to satisfy constraint: ...`), with member paths in lower camel case.
 *
 * @module
 */
import { AwsError } from "../errors.ts";
import {
  constraintMessage,
  type MemberKind,
  type Members,
  ParameterReaders,
  showValue,
} from "../protocols/parameters.ts";

export type { Members } from "../protocols/parameters.ts";

/** The service's errors. */
export type AutoScalingErrorCode =
  | "ValidationException"
  | "ObjectNotFoundException"
  | "LimitExceededException"
  | "ConcurrentUpdateException"
  | "FailedResourceAccessException"
  | "InvalidNextTokenException"
  | "InternalServiceException";

/** An Application Auto Scaling error (`__type` + `Message`). */
export function autoScalingError(code: AutoScalingErrorCode, message: string): AwsError {
  return new AwsError(code, message, {
    status: code === "InternalServiceException" ? 500 : 400,
  });
}

function camel(path: string): string {
  return path.split(".").map((p) => p.charAt(0).toLowerCase() + p.slice(1)).join(".");
}

/** A constraint violation in the service's wording (`value` null for a missing member). */
export function constraintError(path: string, value: unknown, rule: string): AwsError {
  return autoScalingError("ValidationException", constraintMessage(camel(path), value, rule));
}

const EXPECTED: Record<MemberKind, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "true or false",
  structure: "a structure",
  list: "a list",
  timestamp: "a timestamp",
};

/** Kinds whose wrong-type message quotes the value sent. */
const QUOTES_VALUE: ReadonlySet<MemberKind> = new Set(["number", "integer", "boolean"]);

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
  optionalList,
  optionalStringList,
} = new ParameterReaders({
  missing: (path) => constraintError(path, null, "Member must not be null"),
  constraint: constraintError,
  wrongType: (path, value, kind) =>
    autoScalingError(
      "ValidationException",
      `${path} must be ${EXPECTED[kind]}` +
        (QUOTES_VALUE.has(kind) ? `, got ${showValue(value)}` : ""),
    ),
  itemPath: (listPath, index) => `${listPath}.${index + 1}`,
});

/** Reads a page token issued by this emulator (an offset). */
export function readOffsetToken(members: Members): number {
  const token = optionalString(members, "NextToken");
  if (token === undefined) return 0;
  const offset = Number.parseInt(token, 10);
  if (String(offset) !== token || offset <= 0) {
    throw autoScalingError("InvalidNextTokenException", `Invalid NextToken: ${token}`);
  }
  return offset;
}
