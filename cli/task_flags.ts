/**
 * Typed access to a task's parsed flags: each getter checks the value and
 * throws a {@linkcode UsageError} that names the flag and the rule, so a
 * task exits 2 with a message the user can act on.
 *
 * @module
 */

/** A flag value or a missing setting the user must fix; tasks exit 2 on it. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Flag values as `node:util` `parseArgs` returns them. */
export type ParsedFlagValues = Readonly<
  Record<string, string | boolean | (string | boolean)[] | undefined>
>;

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Parses a duration such as `90s`, `15m`, `2h`, `1h30m` or `500ms` into
 * milliseconds; `undefined` when it is not one.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  let total = 0;
  let consumed = 0;
  for (const match of trimmed.matchAll(DURATION_PART)) {
    if (match.index !== consumed) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    consumed += match[0].length;
  }
  return consumed === trimmed.length ? total : undefined;
}

/** Reads and checks parsed flags by name (without the leading `--`). */
export class TaskFlags {
  readonly #values: ParsedFlagValues;

  /** Wraps `parseArgs` values. */
  constructor(values: ParsedFlagValues) {
    this.#values = values;
  }

  /** Whether the flag was given. */
  has(name: string): boolean {
    return this.#values[name] !== undefined;
  }

  /** A boolean flag: true when given. */
  boolean(name: string): boolean {
    return this.#values[name] === true;
  }

  /** A string flag, or undefined. */
  string(name: string): string | undefined {
    const value = this.#values[name];
    if (value === undefined) return undefined;
    if (typeof value !== "string") {
      throw new UsageError(`Invalid --${name}: expected a value`);
    }
    return value;
  }

  /** A string flag that must be given; `hint` says what it is. */
  required(name: string, hint: string): string {
    const value = this.string(name);
    if (value === undefined || value === "") {
      throw new UsageError(`Missing --${name}: ${hint}`);
    }
    return value;
  }

  /** A repeatable string flag (`--prompt a --prompt b`). */
  strings(name: string): string[] {
    const value = this.#values[name];
    if (value === undefined) return [];
    return (Array.isArray(value) ? value : [value]).map(String);
  }

  /** An integer flag within `[min, max]`, or undefined. */
  integer(name: string, range: { min: number; max: number }): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || value < range.min || value > range.max) {
      throw new UsageError(
        `Invalid --${name} ${
          JSON.stringify(text)
        }: must be an integer from ${range.min} to ${range.max}`,
      );
    }
    return value;
  }

  /** A number flag greater than `min` (exclusive), or undefined. */
  number(name: string, range: { above: number }): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (text.trim() === "" || !Number.isFinite(value) || !(value > range.above)) {
      throw new UsageError(
        `Invalid --${name} ${JSON.stringify(text)}: must be a number greater than ${range.above}`,
      );
    }
    return value;
  }

  /** A duration flag (`90s`, `15m`, `2h`, `1h30m`) in ms, or undefined. */
  duration(name: string): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const ms = parseDuration(text);
    if (ms === undefined) {
      throw new UsageError(
        `Invalid --${name} ${
          JSON.stringify(text)
        }: must be a duration such as 90s, 15m, 2h or 1h30m`,
      );
    }
    return ms;
  }

  /** A flag that must be one of `choices`, or undefined. */
  choice<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (!(choices as readonly string[]).includes(text)) {
      throw new UsageError(
        `Invalid --${name} ${JSON.stringify(text)}: must be one of ${choices.join(", ")}`,
      );
    }
    return text as T;
  }
}
