/**
 * Defaults and checks for renderer options. Private to `lib/display/`.
 *
 * @module
 */

const encoder = new TextEncoder();

/** Writes all of `text` to stderr synchronously (the default sink of text renderers). */
export function writeStderr(text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) {
    const written = Deno.stderr.writeSync(bytes);
    bytes = bytes.subarray(written);
  }
}

/**
 * Returns `value` if it is a finite number of milliseconds >= 0, `fallback` if it is undefined;
 * throws a `RangeError` naming the option otherwise.
 */
export function millisecondsOption(
  value: number | undefined,
  options: { name: string; fallback: number },
): number {
  if (value === undefined) return options.fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `Invalid ${options.name} ${String(value)}: must be a finite number of milliseconds >= 0`,
    );
  }
  return value;
}

/** Throws a `TypeError` naming the option unless `value` is undefined or a function. */
export function functionOption(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== "function") {
    throw new TypeError(`Invalid ${name} ${String(value)}: must be a function`);
  }
}
