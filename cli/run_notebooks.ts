/**
 * `deno task nb:run`: executes every notebook with real Jupyter (nbconvert)
 * and the project-local Deno kernelspec (`.jupyter/kernels/deno-project`),
 * against the local emulator unless the environment says otherwise. Prints
 * PASS/FAIL per notebook with the failing cell's error; exit code 1 if any
 * failed.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { basename, resolve } from "node:path";
import { listNotebooks } from "./check_notebooks.ts";

/** The outcome of one notebook run. */
export interface NotebookRun {
  /** Notebook path. */
  readonly notebook: string;
  /** Whether every cell ran without error. */
  readonly ok: boolean;
  /** Wall time, ms. */
  readonly wallMs: number;
  /** The error nbclient reported, trimmed to its most useful lines. */
  readonly error?: string;
}

/** Options for {@linkcode runNotebook}. */
export interface RunNotebookOptions {
  /** Kernel spec name. Default `deno-project`. */
  kernelName?: string;
  /** Per-cell timeout, seconds. Default 900. */
  cellTimeoutSeconds?: number;
  /** Where executed copies go. Default `.nb-out`. */
  outputDir?: string;
  /** Extra environment for the kernel (parameters). */
  env?: Record<string, string>;
}

/** Picks the lines of nbconvert's stderr that say what failed. */
export function summariseNbconvertError(stderr: string): string {
  const lines = stderr.split("\n");
  const start = lines.findIndex((l) =>
    l.includes("CellExecutionError") || l.includes("An error occurred while executing")
  );
  const relevant = start === -1 ? lines.slice(-30) : lines.slice(start, start + 40);
  return relevant.filter((l) => !l.includes('Warning "deno jupyter" is unstable')).join("\n")
    .trim();
}

/** Executes one notebook with `jupyter nbconvert --execute`. */
export async function runNotebook(
  notebook: string,
  options: RunNotebookOptions = {},
): Promise<NotebookRun> {
  const started = performance.now();
  const output = await new Deno.Command("jupyter", {
    args: [
      "nbconvert",
      "--to",
      "notebook",
      "--execute",
      `--ExecutePreprocessor.kernel_name=${options.kernelName ?? "deno-project"}`,
      `--ExecutePreprocessor.timeout=${options.cellTimeoutSeconds ?? 900}`,
      "--ExecutePreprocessor.startup_timeout=120",
      "--output-dir",
      options.outputDir ?? ".nb-out",
      notebook,
    ],
    env: { JUPYTER_PATH: resolve(".jupyter"), NO_COLOR: "1", ...options.env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const wallMs = performance.now() - started;
  if (output.success) return { notebook, ok: true, wallMs };
  return {
    notebook,
    ok: false,
    wallMs,
    error: summariseNbconvertError(new TextDecoder().decode(output.stderr)),
  };
}

const HELP = `Usage: deno task nb:run [--dir notebooks] [--only NAME] [--timeout SECONDS]

Executes every notebook in --dir with real Jupyter (nbconvert) and the project's
Deno kernelspec. Notebooks target the local emulator unless SAGEMAKER_ASYNC_TARGET=aws.
Executed copies go to .nb-out/ (git-ignored).`;

/** Entry point; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        dir: { type: "string", default: "notebooks" },
        only: { type: "string" },
        timeout: { type: "string", default: "900" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    // deno-lint-ignore no-console
    console.error(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    // deno-lint-ignore no-console
    console.log(HELP);
    return 0;
  }
  const timeout = Number(values.timeout);
  if (!Number.isInteger(timeout) || timeout <= 0) {
    // deno-lint-ignore no-console
    console.error(
      `Invalid --timeout ${JSON.stringify(values.timeout)}: must be a positive integer (seconds)`,
    );
    return 2;
  }
  const notebooks = (await listNotebooks(values.dir)).filter((n) =>
    !values.only || basename(n).includes(values.only)
  );
  if (notebooks.length === 0) {
    // deno-lint-ignore no-console
    console.error(`No notebooks to run in ${values.dir}`);
    return 1;
  }
  let failed = 0;
  for (const notebook of notebooks) {
    const run = await runNotebook(notebook, { cellTimeoutSeconds: timeout });
    const secs = (run.wallMs / 1000).toFixed(1);
    // deno-lint-ignore no-console
    console.log(`${run.ok ? "PASS" : "FAIL"} ${notebook} (${secs}s)`);
    if (!run.ok) {
      failed++;
      // deno-lint-ignore no-console
      console.log(run.error?.replace(/^/gm, "    "));
    }
  }
  // deno-lint-ignore no-console
  console.log(`${notebooks.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
