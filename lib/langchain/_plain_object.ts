/**
 * The check that options meant as a record of parameters are a plain object. Private to
 * `lib/langchain/`.
 *
 * @module
 */

/** Throws a `TypeError` naming `what` unless `value` is a plain object (`{}` or `Object.create(null)`). */
export function assertPlainObject(
  value: unknown,
  what: string,
): asserts value is Record<string, unknown> {
  const proto = typeof value === "object" && value !== null
    ? Object.getPrototypeOf(value)
    : undefined;
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`Invalid ${what} ${String(value)}: must be a plain object`);
  }
}
