/**
 * Clients we did not write, run against the emulator: boto3 scripts
 * (python3) and AWS CLI v1 commands. Each runs in a throwaway `HOME` with no
 * AWS configuration of the machine's, pointed at the emulator only by the
 * environment variables it publishes (`RunningEmulator.env()`).
 *
 * ```ts ignore
 * const hasCli = await externalClientAvailable("aws", "my_test");
 * await using cli = await startAwsCli(env);
 * const identity = await cli.json(["sts", "get-caller-identity"]);
 * ```
 *
 * @module
 */
import assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator/start.ts";

const decoder = new TextDecoder();

/** A client that suites skip without. */
export type ExternalClient = "boto3" | "aws";

const PROBES: Record<ExternalClient, { names: string[]; args: string[]; missing: string }> = {
  boto3: {
    names: ["python3", "python"],
    args: ["-c", "import boto3"],
    missing: "no python3 on PATH can import boto3",
  },
  aws: { names: ["aws"], args: ["--version"], missing: "the AWS CLI (`aws`) is not on PATH" },
};

/** Set by `.ci/run`: a missing client fails its tests instead of skipping them. */
const REQUIRED = Deno.env.get("SAGEMAKER_ASYNC_REQUIRE_ALL_TOOLS") === "1";

const resolved = new Map<ExternalClient, Promise<string | undefined>>();

/**
 * The first executable on PATH that passes the client's probe. Every PATH
 * entry is tried, not just the first match: `npx` puts `/usr/bin` first, whose
 * python3 may lack boto3 while a later one (pyenv, a venv) has it.
 */
function resolveClient(client: ExternalClient): Promise<string | undefined> {
  let found = resolved.get(client);
  if (!found) {
    found = (async () => {
      const probe = PROBES[client];
      const dirs = (Deno.env.get("PATH") ?? "").split(":").filter((d) => d !== "");
      for (const dir of [...new Set(dirs)]) {
        for (const name of probe.names) {
          const path = `${dir}/${name}`;
          try {
            const out = await new Deno.Command(path, {
              args: probe.args,
              stdout: "null",
              stderr: "null",
            }).output();
            if (out.success) return path;
          } catch {
            // not there, or not runnable: try the next one
          }
        }
      }
      return undefined;
    })();
    resolved.set(client, found);
  }
  return found;
}

/** The client's executable, or a failure that says what is missing. */
async function requireClient(client: ExternalClient): Promise<string> {
  const path = await resolveClient(client);
  if (!path) {
    throw new Error(
      `${client} is required here (SAGEMAKER_ASYNC_REQUIRE_ALL_TOOLS=1) but ${
        PROBES[client].missing
      }`,
    );
  }
  return path;
}

/**
 * Whether the tests that need `client` should run. When the client is
 * missing they are skipped with a printed reason, except under
 * `SAGEMAKER_ASYNC_REQUIRE_ALL_TOOLS=1` (CI), where they run and fail.
 */
export async function externalClientAvailable(
  client: ExternalClient,
  suite: string,
): Promise<boolean> {
  if (await resolveClient(client)) return true;
  if (REQUIRED) return true;
  // deno-lint-ignore no-console
  console.log(`${suite}: ${client} tests skipped, ${PROBES[client].missing}`);
  return false;
}

/** A temporary `HOME`, removed on dispose. */
interface TempHome extends AsyncDisposable {
  readonly path: string;
}

async function tempHome(): Promise<TempHome> {
  const path = await Deno.makeTempDir();
  return {
    path,
    async [Symbol.asyncDispose]() {
      await Deno.remove(path, { recursive: true });
    },
  };
}

/** The whole environment of a client process: the emulator's variables and an empty home. */
function clientEnv(emulator: RunningEmulator, home: string): Record<string, string> {
  return {
    ...emulator.env(),
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: home,
    AWS_CONFIG_FILE: `${home}/config`,
    AWS_SHARED_CREDENTIALS_FILE: `${home}/credentials`,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_PAGER: "",
  };
}

/** Options for {@linkcode runBoto3}. */
export interface RunBoto3Options {
  /** Python source; it prints what it saw as one JSON document. */
  readonly script: string;
  /** `sys.argv[1:]`. */
  readonly args?: readonly string[];
}

/** Runs a boto3 script against the emulator; fails the test unless it succeeds; returns its JSON. */
export async function runBoto3(
  env: { readonly emulator: RunningEmulator },
  options: RunBoto3Options,
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const python = await requireClient("boto3");
  await using home = await tempHome();
  const out = await new Deno.Command(python, {
    args: ["-c", options.script, ...options.args ?? []],
    clearEnv: true,
    env: clientEnv(env.emulator, home.path),
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, `the boto3 script failed:\n${decoder.decode(out.stderr)}`);
  return JSON.parse(decoder.decode(out.stdout));
}

/** The AWS CLI pointed at the emulator, with its own home for files. */
export interface AwsCli extends AsyncDisposable {
  /** The CLI's `HOME`, also a place for the files a test passes to it. */
  readonly home: string;
  /** Runs `aws <args>`; fails the test unless it succeeds; returns stdout. */
  run(args: readonly string[], options?: { env?: Record<string, string> }): Promise<string>;
  /** Runs `aws <args> --output json`; returns the parsed output (`undefined` when empty). */
  // deno-lint-ignore no-explicit-any
  json(args: readonly string[]): Promise<any>;
  /** Runs `aws <args>`; fails the test unless it fails; returns stderr. */
  fail(args: readonly string[], options?: { env?: Record<string, string> }): Promise<string>;
}

/** Prepares the AWS CLI for the emulator of `env`; dispose it to remove its home. */
export async function startAwsCli(env: { readonly emulator: RunningEmulator }): Promise<AwsCli> {
  const aws = await requireClient("aws");
  const home = await tempHome();
  const vars = clientEnv(env.emulator, home.path);
  const exec = (args: readonly string[], extra: Record<string, string> = {}) =>
    new Deno.Command(aws, {
      args: [...args],
      env: { ...vars, ...extra },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
  const run = async (args: readonly string[], options: { env?: Record<string, string> } = {}) => {
    const out = await exec(args, options.env);
    assert.ok(out.success, `aws ${args.join(" ")} failed:\n${decoder.decode(out.stderr)}`);
    return decoder.decode(out.stdout);
  };
  return {
    home: home.path,
    run,
    async json(args) {
      const text = await run([...args, "--output", "json"]);
      return text.trim() === "" ? undefined : JSON.parse(text);
    },
    async fail(args, options = {}) {
      const out = await exec(args, options.env);
      assert.equal(out.success, false, `aws ${args.join(" ")} should fail`);
      return decoder.decode(out.stderr);
    },
    [Symbol.asyncDispose]: () => home[Symbol.asyncDispose](),
  };
}
