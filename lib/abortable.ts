/**
 * Waiting on work that is shared with other callers (a cached look-up) without
 * being able to cancel it: the caller stops waiting when its signal aborts.
 *
 * @module
 */

/**
 * Resolves or rejects as `promise` does, or rejects with `signal.reason` as
 * soon as `signal` aborts (at once if it already has). The work behind
 * `promise` goes on; only this caller stops waiting for it. Like
 * `abortable()` in `@std/async`.
 *
 * @example
 * ```ts
 * import { abortable } from "@sagemaker-async/toolkit";
 *
 * const controller = new AbortController();
 * const never = new Promise<string>(() => {});
 * const waiting = abortable(never, controller.signal);
 * const reason = new Error("stopped");
 * controller.abort(reason);
 * if (await waiting.catch((e) => e) !== reason) throw new Error("expected the signal's reason");
 * if (await abortable(Promise.resolve(1), undefined) !== 1) throw new Error("passes values on");
 * ```
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
