/**
 * Reading the members of a parsed request structure (a JSON object, or a
 * query request un-flattened into one) against the service model's
 * constraints. The readers are the same for every service; what differs is
 * how a service words a missing member, a constraint violation and a value
 * of the wrong type, how it names list items, and whether query-protocol
 * strings stand in for numbers and booleans. A service describes that once
 * as a {@linkcode ParameterDialect} and gets its readers as a
 * {@linkcode ParameterReaders}, whose members can be destructured.
 *
 * @module
 */
import { parseTimestamp } from "./timestamps.ts";

/** A request structure after parsing (JSON object or un-flattened query). */
export type Members = Record<string, unknown>;

/** Length and pattern constraints of a string member. */
export interface StringRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
}

/** Range constraints of a number member. */
export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
}

/** Length constraints of a list member. */
export interface ListRule {
  min?: number;
  max?: number;
}

/** Constraints of a list of strings: its length and each item's. */
export interface StringListRule {
  max?: number;
  item?: StringRule;
}

/** What a member should have been, for a wrong-type error. */
export type MemberKind =
  | "string"
  | "number"
  | "integer"
  | "boolean"
  | "structure"
  | "list"
  | "timestamp";

/** How one service reports bad members. */
export interface ParameterDialect {
  /** A required member is absent; `path` is the member's dotted path. */
  missing(path: string): Error;
  /** A value outside the model's constraints; `rule` is AWS's `Member must ...` text. */
  constraint(path: string, value: unknown, rule: string): Error;
  /** A value of the wrong type (`value` as sent). */
  wrongType(path: string, value: unknown, kind: MemberKind): Error;
  /** The path of list item `index` (0-based) under `listPath`. */
  itemPath(listPath: string, index: number): string;
  /**
   * Query protocol: numbers and booleans may arrive as strings, and an empty
   * value (`Name=`) is an empty list or an absent structure. Default false.
   */
  queryStrings?: boolean;
}

/** Joins a parent path and a member name. */
export function memberPath(parent: string, name: string): string {
  return parent === "" ? name : `${parent}.${name}`;
}

/** A value as AWS quotes it in messages: strings as they are, the rest as JSON. */
export function showValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * AWS's wording for one model-constraint violation:
 * `Value 'x' at 'path' failed to satisfy constraint: <rule>` (`Value null`
 * for a missing member). Services list these after `N validation errors detected: `.
 */
export function constraintViolation(path: string, value: unknown, rule: string): string {
  const shown = value === null || value === undefined ? "null" : `'${showValue(value)}'`;
  return `Value ${shown} at '${path}' failed to satisfy constraint: ${rule}`;
}

/** The message of a request with one constraint violation (see {@linkcode constraintViolation}). */
export function constraintMessage(path: string, value: unknown, rule: string): string {
  return `1 validation error detected: ${constraintViolation(path, value, rule)}`;
}

/**
 * The readers of one service. Every member is a bound function (safe to
 * destructure); each takes the member's `parent` path for messages.
 */
export class ParameterReaders {
  readonly #dialect: ParameterDialect;
  readonly #lenient: boolean;

  constructor(dialect: ParameterDialect) {
    this.#dialect = dialect;
    this.#lenient = dialect.queryStrings ?? false;
  }

  /** Returns `value`, or throws the dialect's missing-member error. */
  #present<T>(value: T | undefined, parent: string, name: string): T {
    if (value === undefined) throw this.#dialect.missing(memberPath(parent, name));
    return value;
  }

  /** Reads an optional string member. */
  readonly optionalString = (
    members: Members,
    name: string,
    rule: StringRule = {},
    parent = "",
  ): string | undefined => {
    const value = members[name];
    if (value === undefined || value === null) return undefined;
    const path = memberPath(parent, name);
    if (typeof value !== "string") throw this.#dialect.wrongType(path, value, "string");
    const min = rule.min ?? 0;
    if (value.length < min) {
      throw this.#dialect.constraint(
        path,
        value,
        `Member must have length greater than or equal to ${min}`,
      );
    }
    if (rule.max !== undefined && value.length > rule.max) {
      throw this.#dialect.constraint(
        path,
        value,
        `Member must have length less than or equal to ${rule.max}`,
      );
    }
    if (rule.pattern && !rule.pattern.test(value)) {
      throw this.#dialect.constraint(
        path,
        value,
        `Member must satisfy regular expression pattern: ${rule.pattern.source}`,
      );
    }
    return value;
  };

  /** Reads a required string member. */
  readonly requiredString = (
    members: Members,
    name: string,
    rule: StringRule = {},
    parent = "",
  ): string => this.#present(this.optionalString(members, name, rule, parent), parent, name);

  /** Reads an optional member restricted to an enum. */
  readonly optionalEnum = <T extends string>(
    members: Members,
    name: string,
    values: readonly T[],
    parent = "",
  ): T | undefined => {
    const value = this.optionalString(members, name, {}, parent);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) {
      throw this.#dialect.constraint(
        memberPath(parent, name),
        value,
        `Member must satisfy enum value set: [${values.join(", ")}]`,
      );
    }
    return value as T;
  };

  /** Reads a required member restricted to an enum. */
  readonly requiredEnum = <T extends string>(
    members: Members,
    name: string,
    values: readonly T[],
    parent = "",
  ): T => this.#present(this.optionalEnum(members, name, values, parent), parent, name);

  /** Reads an optional number (with `queryStrings`, a numeric string too). */
  readonly optionalNumber = (
    members: Members,
    name: string,
    rule: NumberRule = {},
    parent = "",
  ): number | undefined => {
    const raw = members[name];
    if (raw === undefined || raw === null) return undefined;
    const path = memberPath(parent, name);
    const value = typeof raw === "number"
      ? raw
      : this.#lenient && typeof raw === "string" && raw.trim() !== ""
      ? Number(raw)
      : Number.NaN;
    if (!Number.isFinite(value)) throw this.#dialect.wrongType(path, raw, "number");
    if (rule.integer && !Number.isInteger(value)) {
      throw this.#dialect.wrongType(path, raw, "integer");
    }
    if (rule.min !== undefined && value < rule.min) {
      throw this.#dialect.constraint(
        path,
        raw,
        `Member must have value greater than or equal to ${rule.min}`,
      );
    }
    if (rule.max !== undefined && value > rule.max) {
      throw this.#dialect.constraint(
        path,
        raw,
        `Member must have value less than or equal to ${rule.max}`,
      );
    }
    return value;
  };

  /** Reads a required number. */
  readonly requiredNumber = (
    members: Members,
    name: string,
    rule: NumberRule = {},
    parent = "",
  ): number => this.#present(this.optionalNumber(members, name, rule, parent), parent, name);

  /** Reads an optional boolean (with `queryStrings`, `"true"`/`"false"` too). */
  readonly optionalBoolean = (
    members: Members,
    name: string,
    parent = "",
  ): boolean | undefined => {
    const value = members[name];
    if (value === undefined || value === null) return undefined;
    if (value === true || (this.#lenient && value === "true")) return true;
    if (value === false || (this.#lenient && value === "false")) return false;
    throw this.#dialect.wrongType(memberPath(parent, name), value, "boolean");
  };

  /** Reads an optional structure (with `queryStrings`, `""` is absent). */
  readonly optionalStruct = (members: Members, name: string, parent = ""): Members | undefined => {
    const value = members[name];
    if (value === undefined || value === null || (this.#lenient && value === "")) {
      return undefined;
    }
    if (typeof value !== "object" || Array.isArray(value)) {
      throw this.#dialect.wrongType(memberPath(parent, name), value, "structure");
    }
    return value as Members;
  };

  /** Reads a required structure. */
  readonly requiredStruct = (members: Members, name: string, parent = ""): Members =>
    this.#present(this.optionalStruct(members, name, parent), parent, name);

  /** Reads an optional list and checks its length (with `queryStrings`, `""` is `[]`). */
  readonly optionalList = (
    members: Members,
    name: string,
    rule: ListRule = {},
    parent = "",
  ): unknown[] | undefined => {
    const value = members[name];
    if (value === undefined || value === null) return undefined;
    const path = memberPath(parent, name);
    const list = this.#lenient && value === "" ? [] : value;
    if (!Array.isArray(list)) throw this.#dialect.wrongType(path, value, "list");
    if (rule.min !== undefined && list.length < rule.min) {
      throw this.#dialect.constraint(
        path,
        `[${list.length} items]`,
        `Member must have length greater than or equal to ${rule.min}`,
      );
    }
    if (rule.max !== undefined && list.length > rule.max) {
      throw this.#dialect.constraint(
        path,
        `[${list.length} items]`,
        `Member must have length less than or equal to ${rule.max}`,
      );
    }
    return list;
  };

  /** Reads an optional list of strings, each checked against `rule.item` under its item path. */
  readonly optionalStringList = (
    members: Members,
    name: string,
    rule: StringListRule = {},
    parent = "",
  ): string[] | undefined => {
    const list = this.optionalList(members, name, { max: rule.max }, parent);
    if (list === undefined) return undefined;
    const path = memberPath(parent, name);
    return list.map((item, index) => {
      const itemName = this.#dialect.itemPath(path, index);
      return this.requiredString({ [itemName]: item }, itemName, rule.item);
    });
  };

  /** Reads an optional timestamp (epoch seconds or ISO 8601), as a `Date`. */
  readonly optionalTimestamp = (members: Members, name: string, parent = ""): Date | undefined => {
    const value = members[name];
    if (value === undefined || value === null) return undefined;
    const path = memberPath(parent, name);
    try {
      return parseTimestamp(value, path);
    } catch {
      throw this.#dialect.wrongType(path, value, "timestamp");
    }
  };

  /** Reads a required timestamp. */
  readonly requiredTimestamp = (members: Members, name: string, parent = ""): Date =>
    this.#present(this.optionalTimestamp(members, name, parent), parent, name);
}
