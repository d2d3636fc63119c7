/**
 * Delays between polls: exponential growth up to a cap, with jitter so that
 * many pollers do not hit S3 in lockstep.
 *
 * @module
 */

/**
 * How randomness spreads the delays (the names follow the AWS Architecture
 * Blog post "Exponential Backoff And Jitter"):
 * - `none`: `min(maxMs, initialMs * multiplier^n)`.
 * - `full`: a uniform draw in `[0, min(maxMs, initialMs * multiplier^n))`.
 * - `decorrelated`: `initialMs` first, then a uniform draw in
 *   `[initialMs, previous * multiplier)` capped at `maxMs`; never shorter
 *   than `initialMs`.
 */
export type BackoffJitter = "none" | "full" | "decorrelated";

/** Options for {@linkcode Backoff}. */
export interface BackoffOptions {
  /** First delay (and the floor of `decorrelated`), ms. Default 1,000. */
  initialMs?: number;
  /** Cap, ms. Default 20,000. */
  maxMs?: number;
  /** Growth factor per step, at least 1. Default 2 (3 for `decorrelated`). */
  multiplier?: number;
  /** Jitter. Default `decorrelated`. */
  jitter?: BackoffJitter;
  /** Uniform random numbers in `[0, 1)`. Default `Math.random`. */
  random?: () => number;
}

const JITTERS: readonly BackoffJitter[] = ["none", "full", "decorrelated"];

/**
 * A delay schedule: each {@linkcode Backoff.next} returns the next delay,
 * {@linkcode Backoff.reset} starts over (e.g. once something succeeded).
 *
 * @example Without jitter the delays double up to the cap
 * ```ts
 * import { Backoff } from "@sagemaker-async/toolkit";
 *
 * const backoff = new Backoff({ initialMs: 1_000, maxMs: 5_000, jitter: "none" });
 * const delays = [backoff.next(), backoff.next(), backoff.next(), backoff.next()];
 * if (delays.join() !== "1000,2000,4000,5000") throw new Error(delays.join());
 * backoff.reset();
 * if (backoff.next() !== 1_000) throw new Error("reset did not start over");
 * ```
 */
export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #multiplier: number;
  readonly #jitter: BackoffJitter;
  readonly #random: () => number;
  #attempt = 0;
  #previous: number;

  /** Checks the options (`TypeError`/`RangeError` naming the bad value). */
  constructor(options: BackoffOptions = {}) {
    const jitter = options.jitter ?? "decorrelated";
    if (!JITTERS.includes(jitter)) {
      throw new TypeError(
        `Invalid backoff jitter ${JSON.stringify(jitter)}: must be one of ${JITTERS.join(", ")}`,
      );
    }
    const initialMs = options.initialMs ?? 1_000;
    if (typeof initialMs !== "number" || !Number.isFinite(initialMs) || initialMs <= 0) {
      throw new RangeError(
        `Invalid backoff initialMs ${initialMs}: must be a finite number > 0`,
      );
    }
    const maxMs = options.maxMs ?? Math.max(20_000, initialMs);
    if (typeof maxMs !== "number" || Number.isNaN(maxMs) || maxMs < initialMs) {
      throw new RangeError(
        `Invalid backoff maxMs ${maxMs}: must be >= initialMs (${initialMs})`,
      );
    }
    const multiplier = options.multiplier ?? (jitter === "decorrelated" ? 3 : 2);
    if (typeof multiplier !== "number" || !Number.isFinite(multiplier) || multiplier < 1) {
      throw new RangeError(
        `Invalid backoff multiplier ${multiplier}: must be a finite number >= 1`,
      );
    }
    const random = options.random ?? Math.random;
    if (typeof random !== "function") {
      throw new TypeError("Invalid backoff random: must be a function returning [0, 1)");
    }
    this.#initialMs = initialMs;
    this.#maxMs = maxMs;
    this.#multiplier = multiplier;
    this.#jitter = jitter;
    this.#random = random;
    this.#previous = initialMs;
  }

  /** Delays handed out since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The shortest delay this schedule hands out after a reset, ms. */
  get initialMs(): number {
    return this.#initialMs;
  }

  /** The next delay in ms. */
  next(): number {
    const n = this.#attempt++;
    const ceiling = Math.min(this.#maxMs, this.#initialMs * this.#multiplier ** n);
    switch (this.#jitter) {
      case "none":
        return ceiling;
      case "full":
        return Math.floor(this.#draw() * ceiling);
      case "decorrelated": {
        if (n === 0) {
          this.#previous = this.#initialMs;
          return this.#initialMs;
        }
        const high = Math.max(this.#initialMs, this.#previous * this.#multiplier);
        const delay = Math.min(
          this.#maxMs,
          Math.floor(this.#initialMs + this.#draw() * (high - this.#initialMs)),
        );
        this.#previous = delay;
        return delay;
      }
    }
  }

  /** Starts the schedule over. */
  reset(): void {
    this.#attempt = 0;
    this.#previous = this.#initialMs;
  }

  #draw(): number {
    const r = this.#random();
    if (!(r >= 0 && r < 1)) {
      throw new RangeError(`Backoff random() returned ${r}: must be in [0, 1)`);
    }
    return r;
  }
}
