/**
 * Where progress should be shown: a Jupyter kernel, a terminal, or plain lines.
 *
 * @module
 */

/** Where progress is shown. */
export type ProgressTarget = "jupyter" | "terminal" | "plain";

/** What {@linkcode detectProgressTarget} looks at; each defaults to the real runtime. */
export interface ProgressTargetProbe {
  /** True inside a `deno jupyter` kernel. */
  isJupyter?: () => boolean;
  /** True when stderr (where terminal progress goes) is a terminal. */
  isTerminal?: () => boolean;
  /** Width of that terminal in columns (`0` when unknown). */
  columns?: () => number;
}

/**
 * Picks where progress should go: `jupyter` inside the Deno kernel, `terminal` when stderr is
 * a terminal that reports a width, `plain` otherwise (CI, pipes, files, and terminals that
 * report 0 columns, where live redraws misbehave).
 *
 * @example With a fake runtime
 * ```ts
 * import { detectProgressTarget } from "@sagemaker-async/toolkit/display";
 *
 * const target = detectProgressTarget({
 *   isJupyter: () => false,
 *   isTerminal: () => true,
 *   columns: () => 0,
 * });
 * if (target !== "plain") throw new Error(`expected plain, got ${target}`);
 * ```
 */
export function detectProgressTarget(probe: ProgressTargetProbe = {}): ProgressTarget {
  const isJupyter = probe.isJupyter ?? isJupyterKernel;
  const isTerminal = probe.isTerminal ?? (() => Deno.stderr.isTerminal());
  const columns = probe.columns ?? stderrColumns;
  if (isJupyter()) return "jupyter";
  if (isTerminal() && columns() > 0) return "terminal";
  return "plain";
}

/** True inside a `deno jupyter` kernel (reading `Deno.jupyter` throws anywhere else). */
export function isJupyterKernel(): boolean {
  try {
    return typeof Deno.jupyter.display === "function";
  } catch {
    return false;
  }
}

/** Columns of the terminal on stderr, or 0 when it is not a terminal or reports no size. */
export function stderrColumns(): number {
  try {
    return Deno.consoleSize().columns;
  } catch {
    return 0;
  }
}
