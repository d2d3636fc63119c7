/**
 * Waiting for one asynchronous inference, for callers that have a single
 * handle and no {@linkcode ResultWaiter} of their own.
 *
 * @module
 */
import type { JsonValue } from "./payload.ts";
import {
  type InferenceResult,
  type ResultTarget,
  ResultWaiter,
  type ResultWaiterOptions,
} from "./result_waiter.ts";

/** Options for {@linkcode waitForResult}. */
export interface WaitForResultOptions<T = JsonValue | Uint8Array>
  extends Omit<ResultWaiterOptions<T>, "signal"> {
  /** Cancels the wait; it rejects with `signal.reason` unchanged. */
  signal?: AbortSignal;
}

/**
 * Waits for one inference's output or failure object, whichever appears
 * first (a {@linkcode ResultWaiter} used for this one wait and then closed).
 * Resolves with the decoded output; rejects with `InferenceFailedError`
 * when the failure object appears, `WaitTimeoutError` after `timeoutMs`
 * (default 15 minutes), or `signal.reason`. To wait for many inferences,
 * share one `ResultWaiter` instead.
 *
 * @example
 * ```ts
 * import { InferenceFailedError, waitForResult } from "@sagemaker-async/toolkit";
 * import { ManualClock } from "@sagemaker-async/toolkit/testing";
 * import { GetObjectCommand, HeadObjectCommand, NotFound, S3Client } from "@aws-sdk/client-s3";
 * import { mockClient } from "aws-sdk-client-mock";
 *
 * const s3 = new S3Client({ region: "us-east-1" });
 * const s3Mock = mockClient(s3);
 * s3Mock.on(HeadObjectCommand, { Key: "out/q1.out" }).rejects(
 *   new NotFound({ message: "NotFound", $metadata: { httpStatusCode: 404 } }),
 * );
 * s3Mock.on(HeadObjectCommand, { Key: "fail/q1-error.out" }).resolves({});
 * s3Mock.on(GetObjectCommand).resolves({
 *   // deno-lint-ignore no-explicit-any
 *   Body: { transformToByteArray: () => Promise.resolve(new TextEncoder().encode("CUDA OOM")) } as any,
 * });
 *
 * const error = await waitForResult(
 *   { inferenceId: "q1", outputLocation: "s3://my-bucket/out/q1.out", failureLocation: "s3://my-bucket/fail/q1-error.out" },
 *   { clients: { s3 }, clock: new ManualClock(), timeoutMs: 60_000 },
 * ).then(() => undefined, (e) => e);
 * if (!(error instanceof InferenceFailedError) || error.failureBody !== "CUDA OOM") throw error;
 * ```
 */
export async function waitForResult<T = JsonValue | Uint8Array>(
  target: ResultTarget,
  options: WaitForResultOptions<T>,
): Promise<InferenceResult<T>> {
  const { signal, ...waiterOptions } = options;
  await using waiter = new ResultWaiter<T>(waiterOptions);
  return await waiter.wait(target, { signal });
}
