/**
 * Showing a table, chart or text as a notebook cell's output, so that it arrives before the
 * cell ends.
 *
 * @module
 */
import { type Clock, systemClock } from "../clock.ts";
import { DEFAULT_KERNEL_FLUSH_MS, pauseForKernel } from "./_kernel_flush.ts";
import { functionOption, millisecondsOption } from "./_options.ts";
import type { JupyterMimeBundle } from "./jupyter_progress_renderer.ts";
import { isJupyterKernel } from "./progress_target.ts";

/**
 * The shape of `Deno.jupyter.display`: shows `value` as a new output; with `raw: true` the
 * value is a MIME bundle, otherwise the kernel formats it.
 */
export type ShowDisplayFunction = (value: unknown, options: { raw: boolean }) => unknown;

/** Options for {@linkcode show}. */
export interface ShowOptions {
  /**
   * Real milliseconds to pause after the display. Deno 2.9 sometimes publishes a cell's last
   * output after it reports the cell idle, and Jupyter (nbclient, nbconvert) then drops it; a
   * short pause before the cell ends avoids that. Default 30; tests pass 0.
   */
  flushDelayMs?: number;
  /**
   * Sends the display. Default: `Deno.jupyter.display` inside the Deno kernel; elsewhere
   * nothing is shown (the library never prints).
   */
  display?: ShowDisplayFunction;
  /** Times the pause. Default: the system clock (the kernel runs in real time). */
  clock?: Clock;
  /** Cuts the pause short (the display is still sent). */
  signal?: AbortSignal;
}

const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

/**
 * Shows `value` in the notebook and waits until the kernel has had time to publish it. A
 * value with a `Symbol.for("Jupyter.display")` method (a `Table` from `toTable`, an
 * `SvgChart` from `timeSeriesChart`) is sent as the MIME bundle it returns, a string as plain text,
 * anything else as the kernel formats it. Outside `deno jupyter`, and without `display`, it
 * shows nothing and does not pause. Resolves to nothing, so `await show(table)` as a cell's
 * last line shows the table once. Rejects with what the display function threw.
 *
 * @example A table, with a fake display function
 * ```ts
 * import { show, toTable } from "@sagemaker-async/toolkit/display";
 *
 * const shown: unknown[] = [];
 * await show(toTable([{ endpoint: "falcon", instances: 0 }]), {
 *   display: (bundle, { raw }) => shown.push(raw ? bundle : "formatted by the kernel"),
 *   flushDelayMs: 0,
 * });
 * const bundle = shown[0] as Record<string, string>;
 * if (!bundle["text/html"]?.includes("<table")) throw new Error("not shown as HTML");
 * ```
 */
export async function show(value: unknown, options: ShowOptions = {}): Promise<void> {
  const flushDelayMs = millisecondsOption(options.flushDelayMs, {
    name: "flushDelayMs",
    fallback: DEFAULT_KERNEL_FLUSH_MS,
  });
  functionOption(options.display, "display");
  const display: ShowDisplayFunction | undefined = options.display ??
    (isJupyterKernel()
      ? (shown, displayOptions) => Deno.jupyter.display(shown, displayOptions)
      : undefined);
  if (display === undefined) return;
  const bundle = mimeBundle(value);
  await (bundle === undefined ? display(value, { raw: false }) : display(bundle, { raw: true }));
  await pauseForKernel(flushDelayMs, {
    clock: options.clock ?? systemClock,
    signal: options.signal,
  });
}

/** The bundle a value shows as, when it says so itself or is text; else the kernel decides. */
function mimeBundle(value: unknown): JupyterMimeBundle | undefined {
  if (typeof value === "string") return { "text/plain": value };
  if (typeof value !== "object" || value === null) return undefined;
  const render = (value as { [JUPYTER_DISPLAY]?: unknown })[JUPYTER_DISPLAY];
  return typeof render === "function" ? render.call(value) as JupyterMimeBundle : undefined;
}
