/**
 * Contract-test harness: starts the emulator on a free loopback port with a
 * manual clock (or the one given) and builds the real AWS SDK v3 clients
 * pointed at it. Everything is closed by `await using`:
 *
 * ```ts ignore
 * await using env = await startContractEnv();
 * await env.clients.s3.send(new CreateBucketCommand({ Bucket: "b" }));
 * await env.clock.advance(60_000);
 * ```
 *
 * Clients are created on first use and destroyed on dispose, so a test pays
 * only for the clients it touches.
 *
 * @module
 */
import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { S3Client } from "@aws-sdk/client-s3";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { SNSClient } from "@aws-sdk/client-sns";
import { STSClient } from "@aws-sdk/client-sts";
import { type EmulatorClock, ManualEmulatorClock } from "../../emulator/clock.ts";
import {
  type RunningEmulator,
  startEmulator,
  type StartEmulatorOptions,
} from "../../emulator/start.ts";

/** The real SDK clients, all pointed at the emulator. */
export interface ContractClients {
  readonly s3: S3Client;
  readonly sagemaker: SageMakerClient;
  readonly runtime: SageMakerRuntimeClient;
  readonly autoscaling: ApplicationAutoScalingClient;
  readonly cloudwatch: CloudWatchClient;
  readonly sts: STSClient;
  readonly sns: SNSClient;
}

/** Options for {@linkcode startContractEnv}: the emulator's, plus client settings. */
export interface ContractEnvOptions<C extends EmulatorClock> extends StartEmulatorOptions {
  /** The emulator's clock. Default: a new `ManualEmulatorClock`. */
  clock?: C;
  /** SDK `maxAttempts` for every client. Default 3 (the SDK's). */
  maxAttempts?: number;
}

/** A running emulator with clients; dispose it to close everything. */
export interface ContractEnv<C extends EmulatorClock> {
  readonly emulator: RunningEmulator;
  readonly clients: ContractClients;
  readonly clock: C;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts the emulator and prepares SDK clients for it. */
export async function startContractEnv<C extends EmulatorClock = ManualEmulatorClock>(
  options: ContractEnvOptions<C> = {},
): Promise<ContractEnv<C>> {
  const { maxAttempts, ...emulatorOptions } = options;
  const clock = (options.clock ?? new ManualEmulatorClock()) as C;
  const emulator = await startEmulator({ ...emulatorOptions, clock });
  const config = { ...emulator.clientConfig(), maxAttempts };
  const makers: { [K in keyof ContractClients]: () => ContractClients[K] } = {
    s3: () => new S3Client(config),
    sagemaker: () => new SageMakerClient(config),
    runtime: () => new SageMakerRuntimeClient(config),
    autoscaling: () => new ApplicationAutoScalingClient(config),
    cloudwatch: () => new CloudWatchClient(config),
    sts: () => new STSClient(config),
    sns: () => new SNSClient(config),
  };
  const made: Array<{ destroy(): void }> = [];
  const clients = {} as ContractClients;
  for (const [name, make] of Object.entries(makers)) {
    let client: { destroy(): void } | undefined;
    Object.defineProperty(clients, name, {
      enumerable: true,
      get() {
        if (!client) made.push(client = make());
        return client;
      },
    });
  }
  return {
    emulator,
    clients,
    clock,
    async [Symbol.asyncDispose]() {
      for (const client of made) client.destroy();
      await emulator.close();
    },
  };
}
