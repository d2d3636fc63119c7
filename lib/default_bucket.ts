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
  return `sagemaker-${options.region}-${await resolveAccountId(options)}`;
}
