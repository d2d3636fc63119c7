/**
 * One factory for every AWS SDK client the toolkit uses, for real AWS or for
 * a custom endpoint such as the local emulator.
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
import { assertAwsRegion, assertIntegerInRange } from "./validation.ts";

/** Static credentials, e.g. the emulator's test keys. */
export interface StaticCredentials {
  /** Access key id. */
  readonly accessKeyId: string;
  /** Secret access key. */
  readonly secretAccessKey: string;
  /** Session token of temporary credentials. */
  readonly sessionToken?: string;
}

/** Options for {@linkcode createClients}. */
export interface CreateClientsOptions {
  /** Region; default `AWS_REGION`, then `AWS_DEFAULT_REGION`. Required one way or the other. */
  region?: string;
  /**
   * Send every request to this URL instead of AWS (the local emulator, e.g.
   * `http://127.0.0.1:4566`). S3 then uses path-style addressing.
   */
  endpoint?: string;
  /** Static credentials; default: the SDK's credential chain (environment, profile, SSO, ...). */
  credentials?: StaticCredentials;
  /** Shared-config profile for the SDK's credential chain (like `AWS_PROFILE`). */
  profile?: string;
  /** Attempts per request, retries included (SDK default 3). */
  maxAttempts?: number;
  /** SDK retry mode (SDK default `standard`). */
  retryMode?: "standard" | "adaptive" | "legacy";
  /**
   * Environment read for `AWS_REGION`, `AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL`
   * and `AWS_ENDPOINT_URL_S3`; default `Deno.env`. The SDK itself still reads
   * the process environment for credentials and endpoint overrides.
   */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The SDK clients the toolkit works with. Functions take the subset they
 * need, e.g. `clients: Pick<AwsClients, "sagemaker" | "region">`, so tests
 * can pass fakes and callers can pass the result of {@linkcode createClients}.
 */
export interface AwsClients {
  /** S3: payloads, results, JumpStart content. */
  readonly s3: S3Client;
  /** SageMaker control plane: models, endpoint configs, endpoints. */
  readonly sagemaker: SageMakerClient;
  /** SageMaker Runtime: `InvokeEndpointAsync`. */
  readonly runtime: SageMakerRuntimeClient;
  /** Application Auto Scaling: scalable targets and scaling policies. */
  readonly autoscaling: ApplicationAutoScalingClient;
  /** CloudWatch: the wake-from-zero alarm and async metrics. */
  readonly cloudwatch: CloudWatchClient;
  /** STS: the account id for default bucket names. */
  readonly sts: STSClient;
  /** SNS: success and error notification topics. */
  readonly sns?: SNSClient;
  /** The region every client talks to. */
  readonly region: string;
  /** The custom endpoint URL (emulator), if any; undefined on real AWS. */
  readonly endpoint?: string;
  /** Closes every client's connections. */
  destroy(): void;
  /** Same as {@linkcode AwsClients.destroy}, for `using`. */
  [Symbol.dispose](): void;
}

/**
 * Builds every client for one region: real AWS with the SDK's credential
 * chain, or a custom endpoint (the local emulator) with path-style S3.
 * Throws a `TypeError` naming the missing setting when no region is given.
 *
 * @example Clients for the local emulator
 * ```ts
 * import { createClients } from "@sagemaker-async/toolkit";
 *
 * using clients = createClients({
 *   region: "us-east-1",
 *   endpoint: "http://127.0.0.1:4566",
 *   credentials: { accessKeyId: "test", secretAccessKey: "test" },
 * });
 * if (clients.s3.config.forcePathStyle !== true) throw new Error("S3 must be path-style");
 * if (clients.endpoint !== "http://127.0.0.1:4566") throw new Error("endpoint not kept");
 * ```
 */
export function createClients(options: CreateClientsOptions = {}): AwsClients {
  const env = options.env ?? readProcessEnv();
  const region = options.region ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  if (region === undefined) {
    throw new TypeError(
      "No AWS region: pass createClients({ region }) or set AWS_REGION (or AWS_DEFAULT_REGION)",
    );
  }
  assertAwsRegion(region);
  if (options.endpoint !== undefined) assertEndpointUrl(options.endpoint);
  if (options.credentials !== undefined) assertCredentials(options.credentials);
  if (options.profile !== undefined && (typeof options.profile !== "string" || !options.profile)) {
    throw new TypeError(
      `Invalid profile ${JSON.stringify(options.profile)}: must be a non-empty string`,
    );
  }
  if (options.maxAttempts !== undefined) {
    assertIntegerInRange(options.maxAttempts, "maxAttempts", { min: 1, max: 20 });
  }
  if (
    options.retryMode !== undefined &&
    !["standard", "adaptive", "legacy"].includes(options.retryMode)
  ) {
    throw new TypeError(
      `Invalid retryMode ${
        JSON.stringify(options.retryMode)
      }: must be "standard", "adaptive" or "legacy"`,
    );
  }

  const envEndpoint = nonEmpty(env.AWS_ENDPOINT_URL_S3) ?? nonEmpty(env.AWS_ENDPOINT_URL);
  const config = {
    region,
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    ...(options.credentials !== undefined && { credentials: { ...options.credentials } }),
    ...(options.profile !== undefined && { profile: options.profile }),
    ...(options.maxAttempts !== undefined && { maxAttempts: options.maxAttempts }),
    ...(options.retryMode !== undefined && { retryMode: options.retryMode }),
  };
  const pathStyle = options.endpoint !== undefined || envEndpoint !== undefined;
  const customEndpoint = options.endpoint ?? nonEmpty(env.AWS_ENDPOINT_URL);

  const s3 = new S3Client({ ...config, ...(pathStyle && { forcePathStyle: true }) });
  const sagemaker = new SageMakerClient(config);
  const runtime = new SageMakerRuntimeClient(config);
  const autoscaling = new ApplicationAutoScalingClient(config);
  const cloudwatch = new CloudWatchClient(config);
  const sts = new STSClient(config);
  const sns = new SNSClient(config);
  const all = [s3, sagemaker, runtime, autoscaling, cloudwatch, sts, sns];
  const destroy = () => {
    for (const client of all) client.destroy();
  };
  return {
    s3,
    sagemaker,
    runtime,
    autoscaling,
    cloudwatch,
    sts,
    sns,
    region,
    ...(customEndpoint !== undefined && { endpoint: customEndpoint }),
    destroy,
    [Symbol.dispose]: destroy,
  };
}

function readProcessEnv(): Record<string, string | undefined> {
  const names = ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"];
  return Object.fromEntries(names.map((name) => [name, Deno.env.get(name)]));
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function assertEndpointUrl(value: unknown): void {
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new TypeError(
      `Invalid endpoint ${
        JSON.stringify(value)
      }: must be an http(s) URL such as http://127.0.0.1:4566`,
    );
  }
}

function assertCredentials(value: StaticCredentials): void {
  if (
    typeof value !== "object" || value === null || typeof value.accessKeyId !== "string" ||
    !value.accessKeyId || typeof value.secretAccessKey !== "string" || !value.secretAccessKey ||
    (value.sessionToken !== undefined && typeof value.sessionToken !== "string")
  ) {
    throw new TypeError(
      "Invalid credentials: must be { accessKeyId, secretAccessKey, sessionToken? } " +
        "with non-empty strings",
    );
  }
}
