/**
 * `deno task nb:run`: executes the notebooks with real Jupyter (`jupyter
 * nbconvert --execute`) and the project-local Deno kernelspec
 * (`.jupyter/kernels/deno-project`), as one series against ONE local
 * emulator this process starts (with a time scale), so the notebooks share
 * state the way a user running them in order does. Prints PASS/FAIL per
 * notebook with its wall time and, for a failure, the failing cell and its
 * error; after the series it checks that the notebooks left nothing behind
 * in the emulator. Exit code 1 if anything failed.
 *
 * @module
 */
import { basename, resolve } from "node:path";
import { createClients } from "../lib/mod.ts";
import { startEmulator } from "../emulator/mod.ts";
import { cellSource, listNotebooks, type NotebookJson } from "./check_notebooks.ts";
import { describeLeftovers, findLeftovers } from "./leftovers.ts";
import { UsageError } from "./task_flags.ts";
import { runTask, type TaskIo } from "./task_runner.ts";

/** The outcome of one notebook run. */
export interface NotebookRun {
  /** Notebook path, as given. */
  readonly notebook: string;
  /** Whether every cell ran without error. */
  readonly ok: boolean;
  /** Wall time of the whole nbconvert run (kernel start included), ms. */
  readonly wallMs: number;
  /** For a failure: 1-based index of the failing cell in the notebook, when it could be told. */
  readonly failedCell?: number;
  /** For a failure: what went wrong (the cell's error, a timeout, a dead kernel, ...). */
  readonly error?: string;
}

/** Options for {@linkcode runNotebook}. */
export interface RunNotebookOptions {
  /** Kernel spec name. Default `deno-project`. */
  kernelName?: string;
  /** Directory holding `kernels/<kernelName>`, passed as `JUPYTER_PATH`. Default `.jupyter`. */
  jupyterPath?: string;
  /** Per-cell timeout, seconds. Default 900. */
  cellTimeoutSeconds?: number;
  /** Where executed copies (with outputs) go. Default `.nb-out` (git-ignored). */
  outputDir?: string;
  /** Environment for nbconvert and so for the kernel (the notebooks' parameters). */
  env?: Record<string, string>;
  /** The `jupyter` command. Default `jupyter`. */
  jupyter?: string;
  /** Kills the run; {@linkcode runNotebook} then rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** What nbconvert's stderr says about a failed run. */
export interface NbconvertFailure {
  /** The error, trimmed to the lines that say what went wrong. */
  readonly message: string;
  /**
   * The failing cell's source as nbconvert printed it: in full for a cell
   * error, only its first lines for a timeout (then `sourceIsPreview`).
   */
  readonly cellSource?: string;
  /** Whether `cellSource` is only the start of the cell (a timeout's preview). */
  readonly sourceIsPreview?: boolean;
}

const CELL_RULE = /^-{10,}$/;
/** A Python exception line: `package.module.Name: message`, at the start of a line. */
const PYTHON_EXCEPTION = /^(?:[A-Za-z_]\w*\.)*[A-Z]\w*: \S/;

/**
 * Reads nbconvert's stderr after a failed run: for a cell error, the
 * failing cell's source and the error below it; for a cell timeout, the
 * exception and the preview of the cell; for a dead kernel, an unknown
 * kernel or an invalid notebook, the last exception line and what follows;
 * otherwise the last lines. The kernel's "unstable" warning and Python
 * debugger notes are dropped.
 *
 * @example
 * ```ts
 * import { parseNbconvertFailure } from "./run_notebooks.ts";
 *
 * const failure = parseNbconvertFailure([
 *   "nbclient.exceptions.CellExecutionError: An error occurred while executing the following cell:",
 *   "------------------",
 *   "assert.equal(a, 2);",
 *   "------------------",
 *   "",
 *   "AssertionError [ERR_ASSERTION]: 1 !== 2",
 * ].join("\n"));
 * if (failure.cellSource !== "assert.equal(a, 2);") throw new Error(failure.cellSource);
 * if (failure.message !== "AssertionError [ERR_ASSERTION]: 1 !== 2") throw new Error(failure.message);
 * ```
 */
export function parseNbconvertFailure(stderr: string): NbconvertFailure {
  const lines = stderr.split("\n").filter((line) =>
    !line.includes('Warning "deno jupyter" is unstable') && !/^\d+\.\d+s - /.test(line)
  );
  const between = (from: number) => {
    const open = lines.findIndex((l, i) => i > from && CELL_RULE.test(l));
    const close = open === -1 ? -1 : lines.findIndex((l, i) => i > open && CELL_RULE.test(l));
    return open === -1 || close === -1 ? undefined : { open, close };
  };
  const cellError = lines.findIndex((l) =>
    l.includes("An error occurred while executing the following cell")
  );
  if (cellError !== -1) {
    const rules = between(cellError);
    if (rules !== undefined) {
      return {
        cellSource: lines.slice(rules.open + 1, rules.close).join("\n"),
        message: trimBlock(lines.slice(rules.close + 1)),
      };
    }
    return { message: trimBlock(lines.slice(cellError)) };
  }
  const exception = lines.findLastIndex((l) => PYTHON_EXCEPTION.test(l));
  if (exception === -1) {
    return { message: trimBlock(lines.slice(-30)) || "nbconvert failed without saying why" };
  }
  if (lines[exception]!.includes("CellTimeoutError")) {
    const rules = between(exception);
    if (rules !== undefined) {
      return {
        cellSource: lines.slice(rules.open + 1, rules.close).join("\n"),
        sourceIsPreview: true,
        message: trimBlock(lines.slice(exception, rules.open)),
      };
    }
  }
  return { message: trimBlock(lines.slice(exception)) };
}

/**
 * Finds the 1-based index of the code cell whose source is `source` (or,
 * with `preview`, starts with it, ignoring a trailing `...`).
 */
export function findCellIndex(
  notebook: NotebookJson,
  source: string,
  options: { preview?: boolean } = {},
): number | undefined {
  const wanted = options.preview ? source.replace(/\.\.\.\s*$/, "").trim() : source.trim();
  const index = notebook.cells.findIndex((cell) => {
    if (cell.cell_type !== "code") return false;
    const text = cellSource(cell).trim();
    return options.preview ? text.startsWith(wanted) : text === wanted;
  });
  return index === -1 ? undefined : index + 1;
}

/**
 * Executes one notebook with `jupyter nbconvert --to notebook --execute`
 * and reports how it went. A failing cell, a cell timeout, a dead kernel
 * or an invalid notebook is a failed run (`ok: false`), not a rejection;
 * only `signal` (and a missing `jupyter` command) rejects.
 */
export async function runNotebook(
  notebook: string,
  options: RunNotebookOptions = {},
): Promise<NotebookRun> {
  const started = performance.now();
  const output = await new Deno.Command(options.jupyter ?? "jupyter", {
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
    env: {
      JUPYTER_PATH: resolve(options.jupyterPath ?? ".jupyter"),
      NO_COLOR: "1",
      PYDEVD_DISABLE_FILE_VALIDATION: "1",
      ...options.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    ...(options.signal !== undefined && { signal: options.signal }),
  }).output().catch((error) => {
    if (options.signal?.aborted) throw options.signal.reason;
    throw error;
  });
  options.signal?.throwIfAborted();
  const wallMs = performance.now() - started;
  if (output.success) return { notebook, ok: true, wallMs };
  const failure = parseNbconvertFailure(new TextDecoder().decode(output.stderr));
  let failedCell: number | undefined;
  if (failure.cellSource !== undefined) {
    try {
      failedCell = findCellIndex(
        JSON.parse(await Deno.readTextFile(notebook)),
        failure.cellSource,
        { preview: failure.sourceIsPreview === true },
      );
    } catch {
      // The notebook cannot be read back: report the error without a cell number.
    }
  }
  return {
    notebook,
    ok: false,
    wallMs,
    error: failure.message,
    ...(failedCell !== undefined && { failedCell }),
  };
}

/** Options for {@linkcode runNotebookSeries}. */
export interface RunNotebookSeriesOptions extends Omit<RunNotebookOptions, "env"> {
  /** The notebooks, run in this order. */
  notebooks: readonly string[];
  /**
   * `local` (default): start one emulator in this process and point every
   * notebook at it (`AWS_ENDPOINT_URL` and its keys). `aws`: real AWS, with
   * this process's environment (`AWS_REGION`, `SAGEMAKER_ASYNC_ROLE_ARN`).
   */
  target?: "local" | "aws";
  /** Emulated ms per real ms of the local emulator. Default 60. */
  timeScale?: number;
  /** Extra environment for every notebook (parameters such as `SAGEMAKER_ASYNC_ENDPOINT`). */
  env?: Record<string, string>;
  /** Called as each notebook finishes. */
  onRun?: (run: NotebookRun) => void;
}

/** What {@linkcode runNotebookSeries} did. */
export interface NotebookSeriesResult {
  /** One run per notebook, in order. */
  readonly runs: readonly NotebookRun[];
  /**
   * Local target: SageMaker resources, scalable targets and alarms still in
   * the emulator after the last notebook (each `kind name`); empty when the
   * notebooks cleaned up after themselves.
   */
  readonly leftovers: readonly string[];
  /** Wall time of the whole series, ms. */
  readonly wallMs: number;
}

/**
 * Runs notebooks in order as one series. With the local target it starts
 * one emulator (in this process, on a free loopback port, at `timeScale`)
 * for the whole series, passes its URL, region and keys to every notebook,
 * lists what is left in it afterwards and stops it. Every notebook runs even
 * when an earlier one failed.
 */
export async function runNotebookSeries(
  options: RunNotebookSeriesOptions,
): Promise<NotebookSeriesResult> {
  const { notebooks, onRun, target = "local", env = {}, ...runOptions } = options;
  if (notebooks.length === 0) throw new TypeError("No notebooks to run: the list is empty");
  if (target !== "local" && target !== "aws") {
    throw new TypeError(`Invalid target ${JSON.stringify(target)}: must be "local" or "aws"`);
  }
  const timeScale = options.timeScale ?? 60;
  if (!Number.isFinite(timeScale) || timeScale <= 0) {
    throw new RangeError(`Invalid timeScale ${timeScale}: must be a number > 0`);
  }
  const started = performance.now();
  if (target === "aws") {
    const runs = await runEach(notebooks, {
      ...runOptions,
      env: { ...env, SAGEMAKER_ASYNC_TARGET: "aws" },
    }, onRun);
    return { runs, leftovers: [], wallMs: performance.now() - started };
  }
  await using emulator = await startEmulator({ timeScale });
  const runs = await runEach(notebooks, {
    ...runOptions,
    env: {
      ...emulator.env(),
      SAGEMAKER_ASYNC_TARGET: "local",
      ...env,
    },
  }, onRun);
  using clients = createClients({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: emulator.credentials,
    env: {},
  });
  const leftovers = describeLeftovers(await findLeftovers(clients));
  return { runs, leftovers, wallMs: performance.now() - started };
}

async function runEach(
  notebooks: readonly string[],
  options: RunNotebookOptions,
  onRun: ((run: NotebookRun) => void) | undefined,
): Promise<NotebookRun[]> {
  const runs: NotebookRun[] = [];
  for (const notebook of notebooks) {
    const run = await runNotebook(notebook, options);
    runs.push(run);
    onRun?.(run);
  }
  return runs;
}

/**
 * The installed nbconvert's version, or `undefined` when `jupyter nbconvert`
 * cannot be run (not installed, not on `PATH`).
 */
export async function nbconvertVersion(jupyter = "jupyter"): Promise<string | undefined> {
  try {
    const output = await new Deno.Command(jupyter, {
      args: ["nbconvert", "--version"],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    const version = new TextDecoder().decode(output.stdout).trim();
    return output.success && version !== "" ? version : undefined;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Formats one run as the runner prints it: `PASS name (12.3s)`, then the error indented. */
export function formatRun(run: NotebookRun): string {
  const head = `${run.ok ? "PASS" : "FAIL"} ${run.notebook} (${(run.wallMs / 1000).toFixed(1)}s)`;
  if (run.ok) return head;
  const where = run.failedCell === undefined ? "" : `  cell ${run.failedCell}:\n`;
  return `${head}\n${where}${(run.error ?? "").replace(/^/gm, "    ")}`;
}

const HELP = `Usage: deno task nb:run [options] [NAME...]

Executes the notebooks in order with real Jupyter (nbconvert) and the project's
Deno kernelspec (.jupyter/kernels/deno-project), as one series against one local
emulator started here, then checks that they left nothing behind in it.
NAME picks notebooks whose file name contains it (default: all of them); what a
selection leaves behind is reported but not a failure (01 leaves the shared
endpoint for 02-05 on purpose).
Executed copies, with their outputs, go to --output-dir (git-ignored).

Options:
  --dir DIR            where the notebooks are (default notebooks)
  --time-scale X       emulated ms per real ms of the local emulator (default 60)
  --timeout SECONDS    per-cell timeout (default 900)
  --output-dir DIR     where executed copies go (default .nb-out)
  --aws                run against real AWS instead (needs AWS_REGION and
                       SAGEMAKER_ASYNC_ROLE_ARN; creates billable resources)
  -h, --help           show this help`;

/** Runs `deno task nb:run` with `args`; returns the exit code (0 all passed, 1 a failure, 2 bad usage). */
export function main(args: string[], io?: TaskIo): Promise<number> {
  return runTask(
    {
      name: "nb:run",
      usage: HELP,
      targetFlags: false,
      positionals: true,
      options: {
        dir: { type: "string" },
        "time-scale": { type: "string" },
        timeout: { type: "string" },
        "output-dir": { type: "string" },
        aws: { type: "boolean" },
      },
      async run(context) {
        const { flags, positionals } = context;
        const timeout = flags.integer("timeout", { min: 1, max: 7 * 86_400 }) ?? 900;
        const timeScale = flags.number("time-scale", { above: 0 }) ?? 60;
        const aws = flags.boolean("aws");
        if (aws && !context.env.AWS_REGION && !context.env.AWS_DEFAULT_REGION) {
          throw new UsageError("--aws needs a region: set AWS_REGION");
        }
        const dir = flags.string("dir") ?? "notebooks";
        let notebooks: string[];
        try {
          notebooks = await listNotebooks(dir);
        } catch (error) {
          throw new UsageError(`Cannot list notebooks in ${dir}: ${(error as Error).message}`);
        }
        if (positionals.length > 0) {
          notebooks = notebooks.filter((n) => positionals.some((p) => basename(n).includes(p)));
        }
        if (notebooks.length === 0) {
          context.printError(
            `No notebooks to run in ${dir}${
              positionals.length ? " matching " + positionals.join(", ") : ""
            }`,
          );
          return 1;
        }
        const version = await nbconvertVersion();
        if (version === undefined) {
          context.printError(
            "Cannot run notebooks: `jupyter nbconvert` was not found. Install it, e.g. " +
              "`sudo apt-get install jupyter-nbconvert python3-nbclient jupyter-client`",
          );
          return 1;
        }
        context.print(
          `Running ${notebooks.length} notebook(s) with nbconvert ${version} against ` +
            (aws ? "AWS" : `one local emulator at ${timeScale}x`),
        );
        const result = await runNotebookSeries({
          notebooks,
          target: aws ? "aws" : "local",
          timeScale,
          cellTimeoutSeconds: timeout,
          outputDir: flags.string("output-dir") ?? ".nb-out",
          onRun: (run) => context.print(formatRun(run)),
        });
        const failed = result.runs.filter((r) => !r.ok).length;
        // The whole series must leave nothing behind; a selection without 05 may leave the shared
        // endpoint on purpose, so there it is only reported.
        const leftoversFail = positionals.length === 0 && result.leftovers.length > 0;
        if (result.leftovers.length > 0) {
          context.print(
            `${leftoversFail ? "FAIL the notebooks left" : "NOTE the selected notebooks left"} ` +
              `resources behind:\n${result.leftovers.map((l) => `    ${l}`).join("\n")}`,
          );
        }
        context.print(
          `${result.runs.length - failed} passed, ${failed} failed in ` +
            `${(result.wallMs / 1000).toFixed(1)}s`,
        );
        return failed === 0 && !leftoversFail ? 0 : 1;
      },
    },
    args,
    io,
  );
}

function trimBlock(lines: readonly string[]): string {
  return lines.slice(0, 40).join("\n").trim();
}

if (import.meta.main) Deno.exit(await main(Deno.args));
