/**
 * Shows {@linkcode ProgressEvent}s where the user is looking: a display updated in place in a
 * Jupyter notebook, a live line on a terminal, or throttled plain lines in CI logs.
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import type { ProgressCallback } from "../progress.ts";
import {
  type JupyterDisplayFunction,
  JupyterProgressRenderer,
} from "./jupyter_progress_renderer.ts";
import { PlainProgressRenderer } from "./plain_progress_renderer.ts";
import { detectProgressTarget, type ProgressTarget } from "./progress_target.ts";
import { TerminalProgressRenderer } from "./terminal_progress_renderer.ts";

/**
 * Renders the progress of one long operation (or a few in sequence).
 *
 * Pass {@linkcode ProgressRenderer.onProgress} straight to a library function's `onProgress`
 * option, then end with {@linkcode ProgressRenderer.done} or {@linkcode ProgressRenderer.fail}.
 * Disposing without either keeps the last state on screen without a closing line. Once ended,
 * further events are ignored.
 */
export interface ProgressRenderer extends Disposable, AsyncDisposable {
  /** Receives events; already bound, so it can be passed around on its own. Never throws. */
  readonly onProgress: ProgressCallback;
  /**
   * Ends with a success line (`summary`, or `Done`). Resolves once the output is written (and,
   * in Jupyter, once the kernel has had time to publish it).
   */
  done(summary?: string): Promise<void>;
  /** Ends with a failure line describing `error` (its name and message). */
  fail(error: unknown): Promise<void>;
  /** Ends without a closing line, keeping the last state visible. */
  [Symbol.dispose](): void;
  /** Like `[Symbol.dispose]`, but waits until the last output is written. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options for {@linkcode createProgressRenderer}. */
export interface CreateProgressRendererOptions {
  /** Where to render; `auto` (default) uses {@linkcode detectProgressTarget}. */
  target?: ProgressTarget | "auto";
  /** Terminal and plain targets: where text goes. Default: stderr. */
  write?: (text: string) => void;
  /** Jupyter target: the display function. Default: `Deno.jupyter.display`. */
  display?: JupyterDisplayFunction;
  /** Times throttling. Default: the system clock. */
  clock?: Clock;
  /** Terminal target: use ANSI colours. Default: `!Deno.noColor`. */
  color?: boolean;
  /** Terminal target: current width in columns. Default: the width of stderr's terminal. */
  columns?: () => number;
  /**
   * Jupyter target: real milliseconds `done()`/`fail()` wait after the final display so the
   * kernel publishes it before the cell ends. Default 30; pass 0 in tests.
   */
  flushDelayMs?: number;
  /** Jupyter target: cuts that pause short. */
  signal?: AbortSignal;
}

/**
 * Creates the progress renderer that suits where the code runs (see
 * {@linkcode detectProgressTarget}), or the one `target` names.
 *
 * @example Plain lines captured in memory
 * ```ts
 * import { createProgressRenderer } from "@sagemaker-async/toolkit/display";
 *
 * const lines: string[] = [];
 * const progress = createProgressRenderer({ target: "plain", write: (t) => lines.push(t) });
 * progress.onProgress({
 *   type: "resource-created",
 *   resource: "model",
 *   name: "falcon-model",
 *   elapsedMs: 900,
 *   message: "Created model falcon-model",
 * });
 * await progress.done("Deployed falcon");
 * if (lines.join("") !== "Created model falcon-model\nDone: Deployed falcon\n") {
 *   throw new Error(JSON.stringify(lines));
 * }
 * ```
 */
export function createProgressRenderer(
  options: CreateProgressRendererOptions = {},
): ProgressRenderer {
  const target = options.target ?? "auto";
  const resolved = target === "auto" ? detectProgressTarget() : target;
  switch (resolved) {
    case "jupyter":
      return new JupyterProgressRenderer({
        display: options.display,
        clock: options.clock,
        flushDelayMs: options.flushDelayMs,
        signal: options.signal,
      });
    case "terminal":
      return new TerminalProgressRenderer({
        write: options.write,
        clock: options.clock,
        color: options.color,
        columns: options.columns,
      });
    case "plain":
      return new PlainProgressRenderer({ write: options.write, clock: options.clock });
    default:
      throw new TypeError(
        `Cannot create a progress renderer for target ${
          JSON.stringify(target)
        }: must be "auto", "jupyter", "terminal" or "plain"`,
      );
  }
}
