/**
 * For the CLI tests: an emulator on a loopback port whose time runs fast
 * (so a nine-minute deploy takes a fraction of a second of real time), SDK
 * clients for checking what a task did, and `TaskIo` that captures output.
 *
 * @module
 */
import { type AwsClients, createClients } from "../../lib/mod.ts";
import { SystemEmulatorClock } from "../../emulator/clock.ts";
import { type RunningEmulator, startEmulator } from "../../emulator/start.ts";
import type { TaskIo } from "../../cli/task_runner.ts";

/** Emulated ms per real ms in these tests. */
export const FAST_TIME_SCALE = 2000;

/**
 * A deadline so far off in emulated time that a loaded machine cannot reach
 * it: at 2000x, the default 15-minute waits would be under half a second of
 * real time.
 */
export const NO_DEADLINE = ["--max-wait", "1000h"] as const;

/** A running fast emulator with clients for assertions. */
export interface TaskEnv extends AsyncDisposable {
  readonly emulator: RunningEmulator;
  readonly clients: AwsClients;
  /** The environment a task gets to find the emulator (`AWS_ENDPOINT_URL`, keys, region). */
  readonly env: Record<string, string>;
}

/** Starts the emulator; dispose to stop it. */
export async function startTaskEnv(): Promise<TaskEnv> {
  const emulator = await startEmulator({
    clock: new SystemEmulatorClock({ timeScale: FAST_TIME_SCALE }),
  });
  const clients = createClients({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: emulator.credentials,
    env: {},
  });
  return {
    emulator,
    clients,
    env: emulator.env(),
    async [Symbol.asyncDispose]() {
      clients.destroy();
      await emulator.close();
    },
  };
}

/** Output a task wrote. */
export interface Captured {
  /** What went to stdout. */
  readonly out: string;
  /** What went to stderr. */
  readonly err: string;
}

/** `TaskIo` that captures output, plus what was captured. */
export function captureIo(
  env: Readonly<Record<string, string | undefined>>,
  extra: Partial<TaskIo> = {},
): { io: TaskIo; output: Captured } {
  const output = { out: "", err: "" };
  return {
    io: {
      env,
      print: (text) => output.out += text,
      printError: (text) => output.err += text,
      progress: "plain",
      ...extra,
    },
    output,
  };
}

/** The JSON a task printed on stdout. */
export function printedJson<T = Record<string, unknown>>(output: Captured): T {
  try {
    return JSON.parse(output.out) as T;
  } catch {
    throw new Error(`stdout is not JSON:\n${output.out}\nstderr:\n${output.err}`);
  }
}

/** Deploys `endpointName` with `deno task deploy` (ml.g5.12xlarge); throws if it fails. */
export async function deployWithTask(
  env: TaskEnv,
  endpointName: string,
  extraArgs: string[] = [],
): Promise<void> {
  const { main } = await import("../../cli/deploy.ts");
  const { io, output } = captureIo(env.env);
  const code = await main(
    [
      "--endpoint-name",
      endpointName,
      "--instance-type",
      "ml.g5.12xlarge",
      ...NO_DEADLINE,
      ...extraArgs,
    ],
    io,
  );
  if (code !== 0) throw new Error(`deploy exited ${code}:\n${output.err}`);
}
