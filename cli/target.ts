/**
 * Where the CLI tasks, the demo and the notebooks send their requests: the
 * local emulator (started in-process, or one already running) or real AWS.
 * The choice comes from options or the environment, so a notebook's config
 * cell is one call and the rest of the notebook is identical on both.
 *
 * | variable | meaning |
 * | --- | --- |
 * | `SAGEMAKER_ASYNC_TARGET` | `local` (default) or `aws` |
 * | `AWS_ENDPOINT_URL` | with `local`: an emulator already running (`deno task emulator`) |
 * | `SAGEMAKER_ASYNC_TIME_SCALE` | in-process emulator: emulated ms per real ms (default 60) |
 * | `AWS_REGION` / `AWS_DEFAULT_REGION` | region (required on AWS) |
 * | `SAGEMAKER_ASYNC_ROLE_ARN` | execution role for deploying on AWS |
 *
 * @module
 */
import {
  type AwsClients,
  type Clock,
  createClients,
  createScaledClock,
  systemClock,
} from "../lib/mod.ts";
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_SECRET_ACCESS_KEY,
  type RunningEmulator,
  startEmulator,
} from "../emulator/mod.ts";
import type { EmulatorTimings } from "../emulator/context.ts";

/** Which target a session talks to. */
export type TargetKind = "emulator-in-process" | "emulator" | "aws";

/** Options for {@linkcode openTarget}. */
export interface OpenTargetOptions {
  /** `local` or `aws`; default `SAGEMAKER_ASYNC_TARGET`, else `local`. */
  target?: string;
  /** Region; default `AWS_REGION`/`AWS_DEFAULT_REGION` (AWS), or the emulator's. */
  region?: string;
  /** A running emulator's URL; default `AWS_ENDPOINT_URL`. */
  endpointUrl?: string;
  /**
   * With `local` and no URL: start an emulator in this process (default
   * true). The CLI's single-step tasks set it false so that their state
   * outlives them in a separately running emulator.
   */
  startInProcess?: boolean;
  /** In-process emulator speed; default `SAGEMAKER_ASYNC_TIME_SCALE`, else 60. */
  timeScale?: number;
  /** In-process emulator durations to override. */
  timings?: Partial<EmulatorTimings>;
  /** Execution role for deploys; default `SAGEMAKER_ASYNC_ROLE_ARN`. */
  executionRoleArn?: string;
  /** Environment to read; default the process environment. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Used to reach a running emulator's health route; default `fetch`. */
  fetch?: typeof fetch;
}

/** An open target: clients, the clock to wait on, and how to close it. */
export interface Target extends AsyncDisposable {
  /** What it is. */
  readonly kind: TargetKind;
  /** The region every client talks to. */
  readonly region: string;
  /** SDK clients for every service the workflow uses. */
  readonly clients: AwsClients;
  /** The clock waits should use: the emulator's time when local. */
  readonly clock: Clock;
  /** Role to pass to deploys, if configured. */
  readonly executionRoleArn: string | undefined;
  /** The in-process emulator, when one was started. */
  readonly emulator: RunningEmulator | undefined;
  /** The emulator URL, when local. */
  readonly endpointUrl: string | undefined;
  /** One line for people: `local emulator (in-process, 60x) at http://127.0.0.1:41234`. */
  describe(): string;
  /** Closes the clients and stops an in-process emulator. */
  close(): Promise<void>;
}

/** The port `deno task emulator` listens on by default. */
export const DEFAULT_EMULATOR_URL = "http://127.0.0.1:4566";

/**
 * Opens the target the options or environment select. Errors are
 * `TypeError`/`RangeError` that say which setting is missing or wrong.
 *
 * @example Real AWS, configured from the environment (no call is made until a client sends)
 * ```ts
 * import { openTarget } from "./target.ts";
 *
 * await using target = await openTarget({ env: { SAGEMAKER_ASYNC_TARGET: "aws", AWS_REGION: "eu-west-1" } });
 * if (target.kind !== "aws" || target.region !== "eu-west-1") throw new Error(target.describe());
 * ```
 */
export async function openTarget(options: OpenTargetOptions = {}): Promise<Target> {
  const env = options.env ?? Deno.env.toObject();
  const choice = (options.target ?? env.SAGEMAKER_ASYNC_TARGET ?? "local").toLowerCase();
  const executionRoleArn = options.executionRoleArn ?? nonEmpty(env.SAGEMAKER_ASYNC_ROLE_ARN);
  if (choice === "aws") {
    const region = options.region ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
    if (!region) {
      throw new TypeError(
        "Target aws needs a region: set AWS_REGION (or pass --region)",
      );
    }
    const clients = createClients({ region, env: { ...env, AWS_ENDPOINT_URL: undefined } });
    return makeTarget({
      kind: "aws",
      region,
      clients,
      clock: systemClock,
      executionRoleArn,
      emulator: undefined,
      endpointUrl: undefined,
      description: `AWS ${region}`,
    });
  }
  if (choice !== "local") {
    throw new TypeError(`Invalid target ${JSON.stringify(choice)}: must be "local" or "aws"`);
  }
  const endpointUrl = options.endpointUrl ?? nonEmpty(env.AWS_ENDPOINT_URL);
  if (endpointUrl || options.startInProcess === false) {
    return await connectToRunningEmulator(
      { ...options, env, executionRoleArn },
      endpointUrl ?? DEFAULT_EMULATOR_URL,
    );
  }
  const timeScale = options.timeScale ?? parseTimeScale(env.SAGEMAKER_ASYNC_TIME_SCALE) ?? 60;
  const emulator = await startEmulator({
    timeScale,
    timings: options.timings,
    region: options.region,
  });
  const clients = createClients({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: emulator.credentials,
    env: {},
  });
  return makeTarget({
    kind: "emulator-in-process",
    region: emulator.region,
    clients,
    clock: emulator.clock,
    executionRoleArn,
    emulator,
    endpointUrl: emulator.endpoint,
    description: `local emulator (in-process, ${timeScale}x) at ${emulator.endpoint}`,
  });
}

async function connectToRunningEmulator(
  options: OpenTargetOptions & { env: Readonly<Record<string, string | undefined>> },
  endpointUrl: string,
): Promise<Target> {
  let url: URL;
  try {
    url = new URL(endpointUrl);
  } catch {
    throw new TypeError(
      `Invalid emulator URL ${JSON.stringify(endpointUrl)}: must be an http(s) URL`,
    );
  }
  const doFetch = options.fetch ?? fetch;
  let health: { region?: string; nowMs?: number; timeScale?: number };
  try {
    const response = await doFetch(new URL("/_emulator/health", url));
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    health = await response.json();
  } catch (error) {
    throw new TypeError(
      `No emulator answers at ${url.origin} (${(error as Error).message}). Start one with ` +
        "`deno task emulator` in another terminal, set AWS_ENDPOINT_URL to where it runs, " +
        "or set SAGEMAKER_ASYNC_TARGET=aws",
      { cause: error },
    );
  }
  const region = options.region ?? health.region ?? nonEmpty(options.env.AWS_REGION) ?? "us-east-1";
  const accessKeyId = nonEmpty(options.env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(options.env.AWS_SECRET_ACCESS_KEY);
  const clients = createClients({
    endpoint: url.origin,
    region,
    credentials: accessKeyId && secretAccessKey
      ? { accessKeyId, secretAccessKey }
      : { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY },
    env: {},
  });
  const timeScale = health.timeScale ?? 1;
  const clock = timeScale === 1 && health.nowMs === undefined
    ? systemClock
    : createScaledClock({ timeScale, start: health.nowMs });
  return makeTarget({
    kind: "emulator",
    region,
    clients,
    clock,
    executionRoleArn: options.executionRoleArn,
    emulator: undefined,
    endpointUrl: url.origin,
    description: `local emulator (${timeScale}x) at ${url.origin}`,
  });
}

function makeTarget(init: {
  kind: TargetKind;
  region: string;
  clients: AwsClients;
  clock: Clock;
  executionRoleArn: string | undefined;
  emulator: RunningEmulator | undefined;
  endpointUrl: string | undefined;
  description: string;
}): Target {
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    init.clients.destroy();
    await init.emulator?.close();
  };
  return {
    kind: init.kind,
    region: init.region,
    clients: init.clients,
    clock: init.clock,
    executionRoleArn: init.executionRoleArn,
    emulator: init.emulator,
    endpointUrl: init.endpointUrl,
    describe: () => init.description,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function parseTimeScale(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new RangeError(
      `Invalid SAGEMAKER_ASYNC_TIME_SCALE ${JSON.stringify(value)}: must be a number > 0`,
    );
  }
  return n;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
