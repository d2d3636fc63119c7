/**
 * What every `deno task` entry point shares: flag parsing with
 * `node:util` `parseArgs`, `--help`, the target flags, where output goes,
 * and turning errors into exit codes (0 done, 1 failed, 2 bad flags or
 * missing configuration).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { createProgressRenderer, type ProgressRenderer } from "../lib/display/progress_renderer.ts";
// Only the types: target.ts loads the AWS SDK, which reads the environment as it loads, so
// tasks that open no target (nb:strip runs without --allow-env) import it when they do.
import type { OpenTargetOptions, Target } from "./target.ts";
import { type ParsedFlagValues, TaskFlags, UsageError } from "./task_flags.ts";

/** Where a task reads its environment and writes its output; defaults are the process's. */
export interface TaskIo {
  /** Environment (`AWS_REGION`, `AWS_ENDPOINT_URL`, ...); default the process environment. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Receives results (stdout); default stdout. */
  print?: (text: string) => void;
  /** Receives errors and progress (stderr); default stderr. */
  printError?: (text: string) => void;
  /** Progress display: `auto` (bar on a TTY, plain lines otherwise; default) or `plain`. */
  progress?: "auto" | "plain" | "terminal";
  /** Cancels the task (Ctrl-C); it then exits 130. */
  signal?: AbortSignal;
}

/** What a task's `run` receives. */
export interface TaskContext {
  /** The parsed flags. */
  readonly flags: TaskFlags;
  /** The environment. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Writes a result line (a newline is added). */
  print(text: string): void;
  /** Writes an error or status line (a newline is added). */
  printError(text: string): void;
  /** A progress renderer on stderr. */
  progress(): ProgressRenderer;
  /**
   * Runs `body` with a progress renderer on stderr; if it throws, the
   * renderer ends with the error (unless `body` already ended it) and the
   * error goes on to `runTask`.
   */
  withProgress<T>(body: (progress: ProgressRenderer) => Promise<T>): Promise<T>;
  /** Arguments after the flags, for a task that takes them (`positionals`). */
  readonly positionals: readonly string[];
  /**
   * Opens the target the flags and environment select (`--target`,
   * `--region`, `--endpoint-url`); a local target must already be running.
   */
  openTarget(options?: OpenTargetOptions): Promise<Target>;
  /** Cancels the task. */
  readonly signal: AbortSignal | undefined;
}

/** A task: its name, usage text, flags and body. */
export interface TaskSpec {
  /** `deno task <name>`. */
  name: string;
  /** The `--help` text; the target flags' help is appended unless `targetFlags` is false. */
  usage: string;
  /** Its flags, as `parseArgs` options (`--help` and the target flags are added). */
  options: Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>;
  /** Whether `--target`, `--region` and `--endpoint-url` apply; default true. */
  targetFlags?: boolean;
  /** Whether it takes arguments after the flags; default false (then they are an error). */
  positionals?: boolean;
  /** The body; returns the exit code. */
  run(context: TaskContext): Promise<number>;
}

/** Help text for the target flags, appended to the usage of a task that takes them. */
export const TARGET_USAGE = `Target (default: the local emulator of \`deno task emulator\`):
  --target local|aws      Where to run (default SAGEMAKER_ASYNC_TARGET, else local)
  --region REGION         AWS region (default AWS_REGION / AWS_DEFAULT_REGION)
  --endpoint-url URL      A running emulator (default AWS_ENDPOINT_URL, else
                          http://127.0.0.1:4566)`;

const encoder = new TextEncoder();

function writeSync(file: typeof Deno.stdout | typeof Deno.stderr, text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(file.writeSync(bytes));
}

/**
 * Parses `args` against the task's flags and runs it. `--help` prints the
 * usage (exit 0); an unknown flag, a missing or bad value, or missing
 * configuration (a `UsageError`, or the `TypeError`/`RangeError` the
 * library throws for bad arguments before any call) prints the reason and
 * exits 2; any other error exits 1; a cancelled run exits 130.
 */
export async function runTask(spec: TaskSpec, args: string[], io: TaskIo = {}): Promise<number> {
  const print = io.print ?? ((text: string) => writeSync(Deno.stdout, text));
  const printError = io.printError ?? ((text: string) => writeSync(Deno.stderr, text));
  const line = (write: (text: string) => void) => (text: string) => write(`${text}\n`);
  const targetFlags = spec.targetFlags ?? true;
  let values: ParsedFlagValues;
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: spec.positionals ?? false,
      options: {
        ...spec.options,
        ...(targetFlags && {
          target: { type: "string" },
          region: { type: "string" },
          "endpoint-url": { type: "string" },
        }),
        help: { type: "boolean", short: "h" },
      },
    });
    values = parsed.values as ParsedFlagValues;
    positionals = parsed.positionals;
  } catch (error) {
    printError(
      `deno task ${spec.name}: ${(error as Error).message}\n` +
        `Run \`deno task ${spec.name} --help\` for the flags.\n`,
    );
    return 2;
  }
  if (values.help === true) {
    const usage = spec.usage.trimEnd();
    print(targetFlags ? `${usage}\n\n${TARGET_USAGE}\n` : `${usage}\n`);
    return 0;
  }
  // Read on first use, so a task that needs no environment runs without --allow-env.
  let env = io.env;
  const readEnv = () => env ??= Deno.env.toObject();
  const flags = new TaskFlags(values);
  const progress = () =>
    createProgressRenderer({
      target: io.progress ?? (io.printError ? "plain" : "auto"),
      write: printError,
    });
  const context: TaskContext = {
    flags,
    get env() {
      return readEnv();
    },
    positionals,
    print: line(print),
    printError: line(printError),
    progress,
    withProgress: async (body) => {
      const renderer = progress();
      try {
        return await body(renderer);
      } catch (error) {
        await renderer.fail(error);
        throw error;
      }
    },
    openTarget: async (options = {}) => {
      const target = flags.choice("target", ["local", "aws"]);
      const { openTarget } = await import("./target.ts");
      return openTarget({
        startInProcess: false,
        env: readEnv(),
        ...(target !== undefined && { target }),
        ...(flags.has("region") && { region: flags.string("region") }),
        ...(flags.has("endpoint-url") && { endpointUrl: flags.string("endpoint-url") }),
        ...options,
      });
    },
    signal: io.signal,
  };
  try {
    return await spec.run(context);
  } catch (error) {
    if (io.signal?.aborted && error === io.signal.reason) {
      printError("Cancelled.\n");
      return 130;
    }
    if (
      error instanceof UsageError || error instanceof TypeError || error instanceof RangeError
    ) {
      printError(`deno task ${spec.name}: ${error.message}\n`);
      return 2;
    }
    printError(`deno task ${spec.name} failed: ${describeError(error)}\n`);
    return 1;
  }
}

/** `Name: message`, with the causes of an `AggregateError`. */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError) {
    return `${error.message}\n${error.errors.map((e) => `  - ${describeError(e)}`).join("\n")}`;
  }
  if (error instanceof Error) {
    return error.name && error.name !== "Error" ? `${error.name}: ${error.message}` : error.message;
  }
  return String(error);
}

/**
 * `TaskIo` for the command line: the first Ctrl-C (SIGINT) cancels the
 * running task instead of killing the process, so what it started is
 * cleaned up; a second one ends the process.
 */
export function commandLineIo(): TaskIo {
  const controller = new AbortController();
  const onInterrupt = () => {
    // A second Ctrl-C gets the default behaviour back: it ends the process at once.
    Deno.removeSignalListener("SIGINT", onInterrupt);
    controller.abort(new DOMException("Interrupted (Ctrl-C)", "AbortError"));
  };
  try {
    Deno.addSignalListener("SIGINT", onInterrupt);
  } catch {
    // Signal listeners are not available on every platform; Ctrl-C then kills the process.
  }
  return { signal: controller.signal };
}
