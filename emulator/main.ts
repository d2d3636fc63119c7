/**
 * `deno task emulator`: serves the local AWS emulator until Ctrl-C.
 *
 * ```
 * deno task emulator [--port 4566] [--host 127.0.0.1] [--region us-east-1]
 *                    [--time-scale 1] [--data-dir DIR] [--no-auth] [--help]
 * ```
 *
 * On start it prints `export AWS_...=...` lines to paste into a shell, so
 * the AWS CLI, boto3 and the AWS SDKs find it. SIGINT/SIGTERM stop accepting
 * connections, flush persistence and exit 0.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { DEFAULT_REGION } from "./core.ts";
import { type RunningEmulator, startEmulator } from "./start.ts";

/** The port the emulator listens on by default (the one other AWS emulators use). */
export const DEFAULT_PORT = 4566;

const USAGE = `Usage: deno task emulator [options]

Serves a local stand-in for S3, SageMaker, SageMaker Runtime, Application Auto
Scaling, CloudWatch, SNS and STS on one port, for the AWS SDKs, boto3 and the
AWS CLI.

Options:
  --port N          Port to listen on (default ${DEFAULT_PORT}; 0 picks any free port)
  --host HOST       Interface to bind (default 127.0.0.1)
  --region REGION   Region of the emulated account (default ${DEFAULT_REGION})
  --time-scale X    Emulated seconds per real second, e.g. 60 makes a minute pass
                    in a second (default 1)
  --data-dir DIR    Keep state in DIR so a restart loses nothing (default: memory only)
  --no-auth         Accept requests without checking their SigV4 signatures
  -h, --help        Show this help
`;

/** Where `main` writes; the defaults are the console. */
export interface MainOptions {
  /** Stops the emulator as SIGINT would (for tests and embedding). */
  signal?: AbortSignal;
  /** Receives normal output lines. */
  print?: (line: string) => void;
  /** Receives error and status lines. */
  printError?: (line: string) => void;
  /** Called once the emulator is listening. */
  onReady?: (running: RunningEmulator) => void;
}

interface Flags {
  port: number;
  host: string;
  region: string;
  timeScale: number;
  dataDir: string | undefined;
  auth: boolean;
}

function parseFlags(args: string[]): Flags | "help" {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      region: { type: "string" },
      "time-scale": { type: "string" },
      "data-dir": { type: "string" },
      "no-auth": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  if (positionals.length > 0) {
    throw new TypeError(`Unexpected argument ${JSON.stringify(positionals[0])}: options only`);
  }
  const portText = values.port ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) {
    throw new RangeError(`Invalid --port ${JSON.stringify(portText)}: must be 0 to 65535`);
  }
  const scaleText = values["time-scale"] ?? "1";
  const timeScale = Number(scaleText);
  if (scaleText.trim() === "" || !Number.isFinite(timeScale) || timeScale <= 0) {
    throw new RangeError(
      `Invalid --time-scale ${JSON.stringify(scaleText)}: must be a number > 0`,
    );
  }
  const region = values.region ?? DEFAULT_REGION;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new RangeError(
      `Invalid --region ${JSON.stringify(region)}: must look like us-east-1`,
    );
  }
  const host = values.host ?? "127.0.0.1";
  if (host === "") throw new RangeError('Invalid --host "": must name an interface');
  const dataDir = values["data-dir"];
  if (dataDir === "") throw new RangeError('Invalid --data-dir "": must be a path');
  return { port, host, region, timeScale, dataDir, auth: !values["no-auth"] };
}

/** Says what is wrong with the flags in one short sentence. */
function flagErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const option = /Option '(-[^' ]+)/i.exec(message)?.[1] ?? /option '([^']+)'/i.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) return `Unknown flag ${option}`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option) {
    return /does not take/.test(message)
      ? `Flag ${option} takes no value`
      : `Flag ${option} needs a value`;
  }
  return message;
}

/** Shell-quotes a value when it needs it. */
function shellValue(value: string): string {
  return /^[A-Za-z0-9_./:@+-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Runs the emulator until a signal (or `options.signal`) stops it; returns
 * the process exit code: 0 after a clean stop or `--help`, 2 for bad flags,
 * 1 when it cannot start.
 */
export async function main(args: string[], options: MainOptions = {}): Promise<number> {
  // deno-lint-ignore no-console
  const print = options.print ?? ((line: string) => console.log(line));
  // deno-lint-ignore no-console
  const printError = options.printError ?? ((line: string) => console.error(line));
  let flags: Flags | "help";
  try {
    flags = parseFlags(args);
  } catch (error) {
    printError(`emulator: ${flagErrorMessage(error)}`);
    printError("Run with --help for the options.");
    return 2;
  }
  if (flags === "help") {
    print(USAGE);
    return 0;
  }

  let running: RunningEmulator;
  try {
    running = await startEmulator({
      hostname: flags.host,
      port: flags.port,
      region: flags.region,
      auth: flags.auth,
      dataDir: flags.dataDir,
      // The core builds the clock, so with --data-dir emulated time continues
      // from where the last run stopped and is checkpointed while it runs.
      timeScale: flags.timeScale,
      onError: (error) => printError(`emulator: background task failed: ${error}`),
    });
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      printError(
        `emulator: port ${flags.port} on ${flags.host} is in use; stop what uses it, ` +
          "or pass --port 0 for any free port",
      );
    } else {
      printError(`emulator: cannot start: ${error instanceof Error ? error.message : error}`);
    }
    return 1;
  }

  const env = running.env();
  print(`AWS emulator listening on ${running.endpoint}`);
  print(
    `Account id: ${running.accountId}   Region: ${running.region}` +
      (flags.timeScale !== 1 ? `   Time scale: ${flags.timeScale}x` : "") +
      (flags.auth ? "" : "   Signatures: not checked (--no-auth)"),
  );
  print(flags.dataDir ? `State: ${flags.dataDir}` : "State: in memory (lost on exit)");
  print("Paste into a shell to point the AWS CLI, boto3 and the SDKs at it:");
  for (
    const name of [
      "AWS_ENDPOINT_URL",
      "AWS_REGION",
      "AWS_DEFAULT_REGION",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
    ]
  ) {
    print(`export ${name}=${shellValue(env[name]!)}`);
  }
  print("Press Ctrl-C to stop.");
  options.onReady?.(running);

  const stopped = Promise.withResolvers<string>();
  const onSignal = (name: string) => () => stopped.resolve(name);
  const handlers: Array<[Deno.Signal, () => void]> = [
    ["SIGINT", onSignal("SIGINT")],
    ["SIGTERM", onSignal("SIGTERM")],
  ];
  for (const [signal, handler] of handlers) Deno.addSignalListener(signal, handler);
  const onAbort = () => stopped.resolve("abort");
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const reason = await stopped.promise;
    printError(`emulator: ${reason === "abort" ? "stopping" : `${reason} received, stopping`}...`);
    await running.close();
    printError("emulator: stopped");
    return 0;
  } catch (error) {
    printError(`emulator: error while stopping: ${error instanceof Error ? error.message : error}`);
    return 1;
  } finally {
    for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
