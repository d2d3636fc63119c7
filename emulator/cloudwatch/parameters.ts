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
import { parseTimestamp } from "../protocols/timestamps.ts";
import { cloudWatchError } from "./errors.ts";

/** A request structure after parsing (JSON object or un-flattened query). */
export type Members = Record<string, unknown>;

/** Joins a parent path and a member name. */
export function memberPath(parent: string, name: string): string {
  return parent === "" ? name : `${parent}.${name}`;
}

/** The path of list item `index` (0-based) under `listPath`, 1-based as on the wire. */
export function itemPath(listPath: string, index: number): string {
  return `${listPath}.member.${index + 1}`;
}

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** `ValidationError` in the model-constraint wording AWS uses. */
export function constraintError(path: string, value: unknown, rule: string): Error {
  return cloudWatchError(
    "ValidationException",
    `1 validation error detected: Value '${show(value)}' at '${path}' failed to satisfy ` +
      `constraint: ${rule}`,
  );
}

/** `InvalidParameterValue` naming the member, the value and the rule. */
export function invalidValue(path: string, value: unknown, rule: string): Error {
  return cloudWatchError(
    "InvalidParameterValueException",
    `The value ${show(value)} for parameter ${path} is invalid: ${rule}`,
  );
}

/** `MissingParameter` for a required member. */
export function missingParameter(path: string): Error {
  return cloudWatchError("MissingRequiredParameterException", `The parameter ${path} is required.`);
}

/** Reads a structure (or nothing). */
export function optionalStruct(members: Members, name: string, parent = ""): Members | undefined {
  const value = members[name];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw invalidValue(memberPath(parent, name), value, "must be a structure");
  }
  return value as Members;
}

/** Reads a required structure. */
export function requiredStruct(members: Members, name: string, parent = ""): Members {
  const value = optionalStruct(members, name, parent);
  if (value === undefined) throw missingParameter(memberPath(parent, name));
  return value;
}

/** Length and pattern constraints of a string member. */
export interface StringRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
}

/** Reads an optional string member. */
export function optionalString(
  members: Members,
  name: string,
  rule: StringRule = {},
  parent = "",
): string | undefined {
  const value = members[name];
  if (value === undefined || value === null) return undefined;
  const path = memberPath(parent, name);
  if (typeof value !== "string") throw invalidValue(path, value, "must be a string");
  const min = rule.min ?? 0;
  if (value.length < min) {
    throw constraintError(path, value, `Member must have length greater than or equal to ${min}`);
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

/** Reads a required string member. */
export function requiredString(
  members: Members,
  name: string,
  rule: StringRule = {},
  parent = "",
): string {
  const value = optionalString(members, name, rule, parent);
  if (value === undefined) throw missingParameter(memberPath(parent, name));
  return value;
}

/** Reads an optional member restricted to an enum. */
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
      memberPath(parent, name),
      value,
      `Member must satisfy enum value set: [${values.join(", ")}]`,
    );
  }
  return value as T;
}

/** Reads a required member restricted to an enum. */
export function requiredEnum<T extends string>(
  members: Members,
  name: string,
  values: readonly T[],
  parent = "",
): T {
  const value = optionalEnum(members, name, values, parent);
  if (value === undefined) throw missingParameter(memberPath(parent, name));
  return value;
}

/** Range constraints of a number member. */
export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
}

/** Reads an optional number (a JSON number or a numeric query string). */
export function optionalNumber(
  members: Members,
  name: string,
  rule: NumberRule = {},
  parent = "",
): number | undefined {
  const raw = members[name];
  if (raw === undefined || raw === null) return undefined;
  const path = memberPath(parent, name);
  const value = typeof raw === "number"
    ? raw
    : typeof raw === "string" && raw.trim() !== ""
    ? Number(raw)
    : Number.NaN;
  if (!Number.isFinite(value)) throw invalidValue(path, raw, "must be a finite number");
  if (rule.integer && !Number.isInteger(value)) {
    throw invalidValue(path, raw, "must be an integer");
  }
  if (rule.min !== undefined && value < rule.min) {
    throw constraintError(path, raw, `Member must have value greater than or equal to ${rule.min}`);
  }
  if (rule.max !== undefined && value > rule.max) {
    throw constraintError(path, raw, `Member must have value less than or equal to ${rule.max}`);
  }
  return value;
}

/** Reads a required number. */
export function requiredNumber(
  members: Members,
  name: string,
  rule: NumberRule = {},
  parent = "",
): number {
  const value = optionalNumber(members, name, rule, parent);
  if (value === undefined) throw missingParameter(memberPath(parent, name));
  return value;
}

/** Reads an optional boolean (JSON boolean or `"true"`/`"false"`). */
export function optionalBoolean(
  members: Members,
  name: string,
  parent = "",
): boolean | undefined {
  const value = members[name];
  if (value === undefined || value === null) return undefined;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw invalidValue(memberPath(parent, name), value, "must be true or false");
}

/** Reads an optional list; an empty query list (`Name=`) is `[]`. */
export function optionalList(
  members: Members,
  name: string,
  rule: { max?: number; min?: number } = {},
  parent = "",
): unknown[] | undefined {
  const value = members[name];
  if (value === undefined || value === null) return undefined;
  const path = memberPath(parent, name);
  const list = value === "" ? [] : value;
  if (!Array.isArray(list)) throw invalidValue(path, value, "must be a list");
  if (rule.min !== undefined && list.length < rule.min) {
    throw constraintError(
      path,
      `[${list.length} items]`,
      `Member must have length greater than or equal to ${rule.min}`,
    );
  }
  if (rule.max !== undefined && list.length > rule.max) {
    throw constraintError(
      path,
      `[${list.length} items]`,
      `Member must have length less than or equal to ${rule.max}`,
    );
  }
  return list;
}

/** Reads an optional list of strings. */
export function optionalStringList(
  members: Members,
  name: string,
  rule: { max?: number; itemRule?: StringRule } = {},
  parent = "",
): string[] | undefined {
  const list = optionalList(members, name, { max: rule.max }, parent);
  if (list === undefined) return undefined;
  const path = memberPath(parent, name);
  return list.map((item, index) => {
    const itemName = itemPath(path, index);
    return requiredString({ [itemName]: item }, itemName, rule.itemRule ?? {});
  });
}

/** Reads an optional timestamp (epoch seconds or ISO 8601), as a `Date`. */
export function optionalTimestamp(
  members: Members,
  name: string,
  parent = "",
): Date | undefined {
  const value = members[name];
  if (value === undefined || value === null) return undefined;
  const path = memberPath(parent, name);
  try {
    return parseTimestamp(value, path);
  } catch {
    throw invalidValue(path, value, "must be a timestamp (ISO 8601 or epoch seconds)");
  }
}

/** Reads a required timestamp. */
export function requiredTimestamp(members: Members, name: string, parent = ""): Date {
  const value = optionalTimestamp(members, name, parent);
  if (value === undefined) throw missingParameter(memberPath(parent, name));
  return value;
}
