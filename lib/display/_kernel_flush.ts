/**
 * The pause after a notebook display that lets the Deno kernel publish it before the cell ends.
 * Private to `lib/display/`.
 *
 * @module
 */
import type { Clock } from "../clock.ts";

/** Default pause, ms: enough for the kernel to publish, short enough not to be noticed. */
export const DEFAULT_KERNEL_FLUSH_MS = 30;

/**
 * Sleeps `ms` on `clock` after a display was sent. Deno 2.9 sometimes publishes a cell's last
 * outputs after it reports the cell idle, and Jupyter (nbclient, nbconvert) then drops them; a
 * short pause before the cell ends avoids that. An aborted `signal` only cuts the pause short
 * (the display was already sent), so this never rejects.
 */
export async function pauseForKernel(
  ms: number,
  options: { clock: Clock; signal: AbortSignal | undefined },
): Promise<void> {
  if (ms <= 0 || options.signal?.aborted) return;
  await options.clock.sleep(ms, options.signal).catch(() => {
    // Aborted: the display was sent; only the courtesy pause is cut short.
  });
}
