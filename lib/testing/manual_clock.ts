/**
 * A {@linkcode Clock} that only moves when told to, for tests and for
 * notebooks that replay a scenario.
 *
 * @module
 */
import type { Clock } from "../clock.ts";

interface Sleeper {
  readonly wakeAt: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/** Options for {@linkcode ManualClock}. */
export interface ManualClockOptions {
  /** Start time in epoch milliseconds. Default: 2026-01-01T00:00:00Z. */
  start?: number;
  /**
   * When true, a `sleep(ms)` moves the clock forward by `ms` at once and
   * resolves, so code under test runs its waits back to back. Default: false.
   */
  autoAdvance?: boolean;
}

/**
 * A clock whose time moves only through {@linkcode ManualClock.advance}
 * (or by itself on every sleep when `autoAdvance` is set).
 *
 * @example Advance past a sleeper
 * ```ts
 * import { ManualClock } from "@sagemaker-async/toolkit/testing";
 *
 * const clock = new ManualClock({ start: 0 });
 * const woke = clock.sleep(1_000).then(() => clock.now());
 * await clock.advance(1_000);
 * if (await woke !== 1_000) throw new Error("sleeper woke at the wrong time");
 * ```
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #sleepers: Sleeper[] = [];
  readonly #autoAdvance: boolean;

  /** Starts at `start`; a start that is not a finite number is a `RangeError`. */
  constructor(options: ManualClockOptions = {}) {
    const start = options.start ?? Date.UTC(2026, 0, 1);
    if (!Number.isFinite(start)) {
      throw new RangeError(`Invalid ManualClock start ${start}: must be a finite epoch ms`);
    }
    this.#now = start;
    this.#autoAdvance = options.autoAdvance ?? false;
  }

  /** Current time in epoch milliseconds. */
  now(): number {
    return this.#now;
  }

  /** Number of sleeps still waiting for time to pass. */
  get pendingSleeps(): number {
    return this.#sleepers.length;
  }

  /**
   * Sleeps for `ms` of this clock's time (negative or `NaN` as zero, like
   * `setTimeout`); rejects with `signal.reason`.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const delay = ms > 0 ? ms : 0;
    if (this.#autoAdvance) {
      this.#now += delay;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const sleeper: Sleeper = {
        wakeAt: this.#now + delay,
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#sleepers.push(sleeper);
    });
  }

  /**
   * Moves time forward by `ms`, waking sleepers in time order and letting
   * the code they resume run (including sleeps it starts that also fall due)
   * before moving on. `ms` must be a finite number >= 0 (`RangeError`).
   */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0) || !Number.isFinite(ms)) {
      throw new RangeError(`Cannot advance a clock by ${ms} ms: must be a finite number >= 0`);
    }
    const target = this.#now + ms;
    await settle();
    for (;;) {
      const next = this.#nextDue(target);
      if (!next) break;
      this.#sleepers = this.#sleepers.filter((s) => s !== next);
      this.#now = Math.max(this.#now, next.wakeAt);
      next.resolve();
      await settle();
    }
    this.#now = target;
    await settle();
  }

  /**
   * Advances in `stepMs` steps (default 1 s, > 0) until `condition()` holds
   * or `maxMs` (default 1 h, finite, >= 0) has passed; returns whether it
   * held. Useful for "run until the request completes" in tests.
   */
  async advanceUntil(
    condition: () => boolean,
    options: { stepMs?: number; maxMs?: number } = {},
  ): Promise<boolean> {
    const step = options.stepMs ?? 1_000;
    const maxMs = options.maxMs ?? 3_600_000;
    if (!(step > 0) || !Number.isFinite(step)) {
      throw new RangeError(`Invalid stepMs ${step}: must be a finite number > 0`);
    }
    if (!(maxMs >= 0) || !Number.isFinite(maxMs)) {
      throw new RangeError(`Invalid maxMs ${maxMs}: must be a finite number >= 0`);
    }
    const limit = this.#now + maxMs;
    await settle();
    while (!condition()) {
      if (this.#now >= limit) return false;
      await this.advance(Math.min(step, limit - this.#now));
    }
    return true;
  }

  #nextDue(target: number): Sleeper | undefined {
    let best: Sleeper | undefined;
    for (const s of this.#sleepers) {
      if (s.wakeAt > target) continue;
      if (
        !best || s.wakeAt < best.wakeAt ||
        (s.wakeAt === best.wakeAt && s.seq < best.seq)
      ) best = s;
    }
    return best;
  }
}

/** Lets pending promise continuations (and resolved fake I/O) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
}
