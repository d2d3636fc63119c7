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
