/**
 * Reads and checks Application Auto Scaling request members (awsJson 1.1).
 * Every violation is a `ValidationException`; constraint violations use the
 * service's wording (`1 validation error detected: Value 'x' at 'resourceId'
 * failed to satisfy constraint: ...`), with member paths in lower camel case.
 *
 * @module
 */
import { AwsError } from "../errors.ts";

/** A parsed JSON structure. */
export type Members = Record<string, unknown>;

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

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A constraint violation in the service's wording. */
export function constraintError(path: string, value: unknown, rule: string): AwsError {
  return autoScalingError(
    "ValidationException",
    `1 validation error detected: Value ${value === null ? "null" : `'${show(value)}'`} at ` +
      `'${camel(path)}' failed to ` +
      `satisfy constraint: ${rule}`,
  );
}

function join(parent: string, name: string): string {
  return parent === "" ? name : `${parent}.${name}`;
}

/** Reads an optional string. */
export function optionalString(
  members: Members,
  name: string,
  rule: { min?: number; max?: number; pattern?: RegExp } = {},
  parent = "",
): string | undefined {
  const value = members[name];
  if (value === undefined || value === null) return undefined;
  const path = join(parent, name);
  if (typeof value !== "string") {
    throw autoScalingError("ValidationException", `${path} must be a string`);
  }
  if (value.length < (rule.min ?? 0)) {
    throw constraintError(
      path,
      value,
      `Member must have length greater than or equal to ${rule.min}`,
    );
  }
  if (rule.max !== undefined && value.length > rule.max) {
    throw constraintError(path, value, `Member must have length less than or equal to ${rule.max}`);
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    throw constraintError(
      path,
      value,
      `Member must satisfy regular expression pattern: ${rule.pattern.source}`,
    );
  }
  return value;
}

/** Reads a required string. */
export function requiredString(
  members: Members,
  name: string,
  rule: { min?: number; max?: number; pattern?: RegExp } = {},
  parent = "",
): string {
  const value = optionalString(members, name, rule, parent);
  if (value === undefined) {
    throw constraintError(join(parent, name), null, "Member must not be null");
  }
  return value;
}

/** Reads an optional enum member. */
export function optionalEnum<T extends string>(
  members: Members,
  name: string,
  values: readonly T[],
  parent = "",
): T | undefined {
  const value = optionalString(members, name, {}, parent);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) {
    throw constraintError(
      join(parent, name),
      value,
      `Member must satisfy enum value set: [${values.join(", ")}]`,
    );
  }
  return value as T;
}

/** Reads a required enum member. */
export function requiredEnum<T extends string>(
  members: Members,
  name: string,
  values: readonly T[],
  parent = "",
): T {
  const value = optionalEnum(members, name, values, parent);
  if (value === undefined) {
    throw constraintError(join(parent, name), null, "Member must not be null");
  }
  return value;
}

/** Reads an optional number. */
export function optionalNumber(
  members: Members,
  name: string,
  rule: { integer?: boolean; min?: number; max?: number } = {},
  parent = "",
): number | undefined {
  const value = members[name];
  if (value === undefined || value === null) return undefined;
  const path = join(parent, name);
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw autoScalingError("ValidationException", `${path} must be a number, got ${show(value)}`);
  }
  if (rule.integer && !Number.isInteger(value)) {
    throw autoScalingError("ValidationException", `${path} must be an integer, got ${value}`);
  }
  if (rule.min !== undefined && value < rule.min) {
    throw constraintError(
      path,
      value,
      `Member must have value greater than or equal to ${rule.min}`,
    );
  }
  if (rule.max !== undefined && value > rule.max) {
    throw constraintError(path, value, `Member must have value less than or equal to ${rule.max}`);
  }
  return value;
}

/** Reads a required number. */
export function requiredNumber(
  members: Members,
  name: string,
  rule: { integer?: boolean; min?: number; max?: number } = {},
  parent = "",
): number {
  const value = optionalNumber(members, name, rule, parent);
  if (value === undefined) {
    throw constraintError(join(parent, name), null, "Member must not be null");
  }
  return value;
}

/** Reads an optional boolean. */
export function optionalBoolean(members: Members, name: string, parent = ""): boolean | undefined {
  const value = members[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") {
    throw autoScalingError(
      "ValidationException",
      `${join(parent, name)} must be true or false, got ${show(value)}`,
    );
  }
  return value;
}

/** Reads an optional structure. */
export function optionalStruct(members: Members, name: string, parent = ""): Members | undefined {
  const value = members[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw autoScalingError("ValidationException", `${join(parent, name)} must be a structure`);
  }
  return value as Members;
}

/** Reads an optional list of structures or strings. */
export function optionalList(
  members: Members,
  name: string,
  rule: { min?: number; max?: number } = {},
  parent = "",
): unknown[] | undefined {
  const value = members[name];
  if (value === undefined || value === null) return undefined;
  const path = join(parent, name);
  if (!Array.isArray(value)) {
    throw autoScalingError("ValidationException", `${path} must be a list`);
  }
  if (rule.min !== undefined && value.length < rule.min) {
    throw constraintError(
      path,
      `[${value.length} items]`,
      `Member must have length greater than or equal to ${rule.min}`,
    );
  }
  if (rule.max !== undefined && value.length > rule.max) {
    throw constraintError(
      path,
      `[${value.length} items]`,
      `Member must have length less than or equal to ${rule.max}`,
    );
  }
  return value;
}

/** Reads an optional list of strings. */
export function optionalStringList(
  members: Members,
  name: string,
  rule: { max?: number; item?: { min?: number; max?: number } } = {},
  parent = "",
): string[] | undefined {
  const list = optionalList(members, name, { max: rule.max }, parent);
  return list?.map((item, i) =>
    requiredString({ [`${name}.${i + 1}`]: item }, `${name}.${i + 1}`, rule.item ?? {}, parent)
  );
}

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
