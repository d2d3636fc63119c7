/**
 * Time as the library sees it. Everything that waits or timestamps takes a
 * {@linkcode Clock}, so tests can move time by hand instead of sleeping.
 *
 * @module
 */

/** A source of the current time and of cancellable sleeps. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Resolves after `ms` milliseconds of this clock's time. Rejects with
   * `signal.reason` unchanged as soon as `signal` aborts.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The wall clock: `Date.now()` and `setTimeout`.
 *
 * @example A sleep stops as soon as its signal aborts
 * ```ts
 * import { systemClock } from "@sagemaker-async/toolkit";
 *
 * const controller = new AbortController();
 * const sleeping = systemClock.sleep(60_000, controller.signal);
 * controller.abort(new Error("no longer needed"));
 * const reason = await sleeping.then(() => undefined, (e: Error) => e.message);
 * if (reason !== "no longer needed") throw new Error("abort was not honoured");
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  },
};

/** Options for {@linkcode createScaledClock}. */
export interface ScaledClockOptions {
  /** Clock-time ms per real ms (60 = one real second is a minute). */
  timeScale: number;
  /** Clock time (epoch ms) at `realStart`. Default: `realStart`. */
  start?: number;
  /** Real time (epoch ms) the clock starts from. Default: now. */
  realStart?: number;
}

/**
 * A clock that runs `timeScale` times faster than real time: for following a
 * local emulator started with `--time-scale`, so that waits measured in
 * emulated minutes take real seconds.
 *
 * @example
 * ```ts
 * import { createScaledClock } from "@sagemaker-async/toolkit";
 *
 * const clock = createScaledClock({ timeScale: 60, start: 0, realStart: Date.now() });
 * if (clock.now() < 0) throw new Error("a scaled clock starts at its start time");
 * ```
 */
export function createScaledClock(options: ScaledClockOptions): Clock {
  const { timeScale } = options;
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new RangeError(`Invalid timeScale ${timeScale}: must be a finite number > 0`);
  }
  const realStart = options.realStart ?? Date.now();
  const start = options.start ?? realStart;
  return {
    now: () => start + (Date.now() - realStart) * timeScale,
    sleep: (ms, signal) => systemClock.sleep(ms / timeScale, signal),
  };
}
