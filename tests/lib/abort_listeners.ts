/**
 * For tests that a wait stops listening to its signal: counts the `abort`
 * listeners added to a signal and not removed yet.
 *
 * @module
 */

/** A fresh signal whose `listeners` says how many listeners are still attached. */
export function countedSignal(): {
  readonly controller: AbortController;
  readonly signal: AbortSignal;
  readonly listeners: () => number;
} {
  const controller = new AbortController();
  const signal = controller.signal;
  let listeners = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((...args: Parameters<typeof add>) => {
    listeners++;
    add(...args);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
    listeners--;
    remove(...args);
  }) as typeof signal.removeEventListener;
  return { controller, signal, listeners: () => listeners };
}
