/**
 * A bucket's keys in S3's list order (UTF-8 binary order), kept sorted as
 * objects come and go so a list request is a binary search plus a walk,
 * never a sort of the whole bucket.
 *
 * @module
 */

/**
 * Compares two keys by the order of their UTF-8 bytes, which is code point
 * order. JavaScript's `<` compares UTF-16 code units, which differs only
 * when one side has a surrogate (a code point above U+FFFF) and the other a
 * code unit from U+E000 to U+FFFF; that case is corrected.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) return rank(x) - rank(y);
    return x - y;
  }
  return a.length - b.length;
}

function rank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  return unit + 0x2000; // surrogates sort after U+E000..U+FFFF
}

/**
 * A sorted set of keys.
 *
 * @example
 * ```ts
 * import { SortedKeys } from "@sagemaker-async/toolkit/emulator";
 *
 * const keys = new SortedKeys();
 * for (const key of ["b", "a/2", "a/1", "c"]) keys.add(key);
 * keys.delete("c");
 * if (keys.toArray().join(",") !== "a/1,a/2,b") throw new Error(keys.toArray().join(","));
 * if (keys.at(keys.firstAfter("a/1"))! !== "a/2") throw new Error("firstAfter");
 * ```
 */
export class SortedKeys {
  #keys: string[] = [];

  /** How many keys there are. */
  get size(): number {
    return this.#keys.length;
  }

  /** The key at a position (0-based), if any. */
  at(index: number): string | undefined {
    return this.#keys[index];
  }

  /** Index of the first key >= `key`. */
  firstAtOrAfter(key: string): number {
    let lo = 0;
    let hi = this.#keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.#keys[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first key > `key`. */
  firstAfter(key: string): number {
    let lo = 0;
    let hi = this.#keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.#keys[mid]!, key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first key that neither sorts before `prefix` nor starts with it. */
  firstPast(prefix: string): number {
    let lo = this.firstAtOrAfter(prefix);
    let hi = this.#keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#keys[mid]!.startsWith(prefix)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds a key (no-op when present). */
  add(key: string): void {
    const index = this.firstAtOrAfter(key);
    if (this.#keys[index] !== key) this.#keys.splice(index, 0, key);
  }

  /** Removes a key (no-op when absent). */
  delete(key: string): void {
    const index = this.firstAtOrAfter(key);
    if (this.#keys[index] === key) this.#keys.splice(index, 1);
  }

  /** Removes many keys in one pass. */
  deleteMany(keys: ReadonlySet<string>): void {
    if (keys.size < 16) {
      for (const key of keys) this.delete(key);
      return;
    }
    this.#keys = this.#keys.filter((key) => !keys.has(key));
  }

  /** Replaces the contents with `keys` (any order). */
  reset(keys: Iterable<string>): void {
    this.#keys = [...new Set(keys)].sort(compareKeys);
  }

  /** A copy of the keys, in order. */
  toArray(): string[] {
    return [...this.#keys];
  }
}
