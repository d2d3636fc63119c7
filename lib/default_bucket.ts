/**
 * The SageMaker default bucket, `sagemaker-{region}-{account}`, as the
 * SageMaker Python SDK names it.
 *
 * @module
 */
import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { abortable } from "./abortable.ts";

/** Options for {@linkcode resolveDefaultBucket}. */
export interface ResolveDefaultBucketOptions {
  /** STS client, used once per client to learn the account id. */
  clients: { sts: STSClient };
  /** Region of the bucket name. */
  region: string;
  /** Cancels the STS call. */
  signal?: AbortSignal;
}

const accounts = new WeakMap<STSClient, Promise<string>>();

/**
 * Returns the caller's account id (cached per STS client). Concurrent callers
 * share one `GetCallerIdentity` call; each caller's `signal` ends only its own
 * wait, rejecting with `signal.reason`.
 */
export function resolveAccountId(
  options: { clients: { sts: STSClient }; signal?: AbortSignal },
): Promise<string> {
  const { sts } = options.clients;
  if (options.signal?.aborted) return Promise.reject(options.signal.reason);
  let account = accounts.get(sts);
  if (!account) {
    account = sts.send(new GetCallerIdentityCommand({})).then((r) => {
      if (!r.Account) throw new Error("STS GetCallerIdentity returned no Account");
      return r.Account;
    });
    account.catch(() => accounts.delete(sts));
    accounts.set(sts, account);
  }
  return abortable(account, options.signal);
}

/** Returns `sagemaker-{region}-{account}`. Does not create the bucket. */
export async function resolveDefaultBucket(options: ResolveDefaultBucketOptions): Promise<string> {
  return defaultBucketName(options.region, await resolveAccountId(options));
}

/** Options for {@linkcode defaultAsyncEndpointPaths}. */
export interface DefaultAsyncEndpointPathsOptions {
  /** Region of the default bucket. */
  region: string;
  /** Account that owns it. */
  accountId: string;
  /** The endpoint whose objects go there. */
  endpointName: string;
}

/** Where an endpoint's objects go by default, all in the SageMaker default bucket. */
export interface DefaultAsyncEndpointPaths {
  /** `sagemaker-{region}-{account}`. */
  readonly bucket: string;
  /** `S3OutputPath`: `s3://{bucket}/async-endpoint-outputs/{endpoint}`. */
  readonly outputPath: string;
  /** `S3FailurePath`: `s3://{bucket}/async-endpoint-failures/{endpoint}`. */
  readonly failurePath: string;
  /** Where payloads are uploaded: `s3://{bucket}/async-endpoint-inputs/{endpoint}`. */
  readonly inputPrefix: string;
}

/**
 * The S3 locations `deployAsyncEndpoint` uses when none are given, and
 * `findDeployment` assumes for an endpoint without an input-prefix tag.
 *
 * @example
 * ```ts
 * import { defaultAsyncEndpointPaths } from "@sagemaker-async/toolkit";
 *
 * const paths = defaultAsyncEndpointPaths({
 *   region: "us-east-1",
 *   accountId: "123456789012",
 *   endpointName: "falcon",
 * });
 * const expected = "s3://sagemaker-us-east-1-123456789012/async-endpoint-inputs/falcon";
 * if (paths.inputPrefix !== expected) throw new Error(paths.inputPrefix);
 * ```
 */
export function defaultAsyncEndpointPaths(
  options: DefaultAsyncEndpointPathsOptions,
): DefaultAsyncEndpointPaths {
  const bucket = defaultBucketName(options.region, options.accountId);
  const under = (folder: string) => `s3://${bucket}/${folder}/${options.endpointName}`;
  return {
    bucket,
    outputPath: under("async-endpoint-outputs"),
    failurePath: under("async-endpoint-failures"),
    inputPrefix: under("async-endpoint-inputs"),
  };
}

function defaultBucketName(region: string, accountId: string): string {
  return `sagemaker-${region}-${accountId}`;
}
