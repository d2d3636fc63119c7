/**
 * The in-process API: start an emulator on a free loopback port inside a
 * test, a notebook or a script, get everything a client needs to reach it,
 * and stop it with `await using`.
 *
 * @module
 */
import type { EmulatorClock } from "./clock.ts";
import { createEmulator, type Emulator, type EmulatorOptions } from "./core.ts";
import { FilePersistence } from "./persistence/file.ts";
import { type EmulatorServer, serveEmulator } from "./server.ts";

/** Options for {@linkcode startEmulator}: the core's plus where to listen. */
export interface StartEmulatorOptions extends EmulatorOptions {
  /** Interface to bind. Default `127.0.0.1`. */
  hostname?: string;
  /** Port; 0 (the default) picks any free port. */
  port?: number;
  /**
   * Keep state in this directory (as `--data-dir`): opens a `FilePersistence`
   * there. Ignored when `persistence` is given.
   */
  dataDir?: string;
}

/** Static credentials the emulator accepts, in the SDK's shape. */
export interface EmulatorCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * Client settings to spread into any AWS SDK v3 client config
 * (`new S3Client({ ...running.clientConfig() })`). `forcePathStyle` is read
 * by S3 and ignored by the others.
 */
export interface EmulatorClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: true;
}

/** A running emulator with its HTTP server. */
export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  readonly endpoint: string;
  /** The emulator's default region. */
  readonly region: string;
  /** Its 12-digit account id. */
  readonly accountId: string;
  /** The key pair it accepts. */
  readonly credentials: EmulatorCredentials;
  /** The clock every emulated duration follows. */
  readonly clock: EmulatorClock;
  /** The core (in-process `fetch`, context, faults). */
  readonly emulator: Emulator;
  /** The HTTP server. */
  readonly server: EmulatorServer;
  /** Settings for an AWS SDK v3 client. */
  clientConfig(): EmulatorClientConfig;
  /** `AWS_*` environment variables for the AWS CLI, boto3 or a child process. */
  env(): Record<string, string>;
  /** Stops the server, then the emulator (flushing persistence). Idempotent. */
  close(): Promise<void>;
  /** Same as {@linkcode RunningEmulator.close}. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts an emulator and serves it on a loopback port.
 *
 * @example An S3 round trip with the real SDK against a manual clock
 * ```ts
 * import { GetObjectCommand, PutObjectCommand, S3Client, CreateBucketCommand } from "@aws-sdk/client-s3";
 * import { ManualEmulatorClock, startEmulator } from "@sagemaker-async/toolkit/emulator";
 *
 * await using running = await startEmulator({ clock: new ManualEmulatorClock() });
 * const s3 = new S3Client(running.clientConfig());
 * try {
 *   await s3.send(new CreateBucketCommand({ Bucket: "demo" }));
 *   await s3.send(new PutObjectCommand({ Bucket: "demo", Key: "a.txt", Body: "hello" }));
 *   const got = await s3.send(new GetObjectCommand({ Bucket: "demo", Key: "a.txt" }));
 *   if (await got.Body?.transformToString() !== "hello") throw new Error("round trip failed");
 * } finally {
 *   s3.destroy();
 * }
 * ```
 */
export async function startEmulator(
  options: StartEmulatorOptions = {},
): Promise<RunningEmulator> {
  const { hostname, port, dataDir, ...coreOptions } = options;
  if (dataDir !== undefined && coreOptions.persistence === undefined) {
    coreOptions.persistence = await FilePersistence.open(dataDir);
  }
  const emulator = await createEmulator(coreOptions);
  let server: EmulatorServer;
  try {
    server = serveEmulator(emulator, { hostname, port });
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const { config } = emulator.context;
  const credentials = { ...config.credentials };
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      try {
        await server.shutdown();
      } finally {
        await emulator.close();
      }
    })();
    return closing;
  };
  return {
    endpoint: server.endpoint,
    region: config.region,
    accountId: config.accountId,
    credentials,
    clock: emulator.clock,
    emulator,
    server,
    clientConfig: () => ({
      endpoint: server.endpoint,
      region: config.region,
      credentials: { ...credentials },
      forcePathStyle: true,
    }),
    env: () => ({
      AWS_ENDPOINT_URL: server.endpoint,
      AWS_REGION: config.region,
      AWS_DEFAULT_REGION: config.region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    }),
    close,
    [Symbol.asyncDispose]: close,
  };
}
