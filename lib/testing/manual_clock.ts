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

  constructor(options: ManualClockOptions = {}) {
    this.#now = options.start ?? Date.UTC(2026, 0, 1);
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

  /** Sleeps for `ms` of this clock's time; rejects with `signal.reason`. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#autoAdvance) {
      this.#now += Math.max(0, ms);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const sleeper: Sleeper = {
        wakeAt: this.#now + Math.max(0, ms),
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
   * before moving on.
   */
  async advance(ms: number): Promise<void> {
    if (ms < 0) {
      throw new RangeError(`Cannot advance a clock by ${ms} ms: must be >= 0`);
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
   * Advances in `stepMs` steps until `condition()` holds or `maxMs` has
   * passed; returns whether it held. Useful for "run until the request
   * completes" in tests.
   */
  async advanceUntil(
    condition: () => boolean,
    options: { stepMs?: number; maxMs?: number } = {},
  ): Promise<boolean> {
    const step = options.stepMs ?? 1_000;
    const limit = this.#now + (options.maxMs ?? 3_600_000);
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
