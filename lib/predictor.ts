/**
 * The SageMaker Python SDK's `AsyncPredictor` in TypeScript:
 * `predictAsync(data)` returns a response whose `getResult()` checks once or
 * waits, and `predict(data)` submits and waits.
 *
 * @module
 */
import type { S3Client } from "@aws-sdk/client-s3";
import type { SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import type { Backoff, BackoffOptions } from "./backoff.ts";
import type { Clock } from "./clock.ts";
import { InferenceFailedError, ResultNotReadyError } from "./errors.ts";
import { type AsyncInvocation, invokeAsync, type InvokeAsyncOptions } from "./invoke.ts";
import type { JsonValue, Payload } from "./payload.ts";
import type { ProgressCallback } from "./progress.ts";
import { type ResultDecoder, ResultWaiter } from "./result_waiter.ts";
import { parseS3Uri } from "./s3_uri.ts";
import { assertDurationMs, assertHeaderValue, assertSageMakerName } from "./validation.ts";

/** `predict()`'s default budget: 15 minutes, the Python SDK's 60 attempts x 15 s. */
export const DEFAULT_PREDICT_MAX_WAIT_MS = 15 * 60_000;

/** Options for {@linkcode AsyncPredictor}. */
export interface AsyncPredictorOptions<T = JsonValue | Uint8Array> {
  /** The asynchronous endpoint. */
  endpointName: string;
  /** `s3://bucket/prefix` under which payloads are uploaded. */
  inputPrefix: string;
  /** S3 for uploads and results, SageMaker Runtime for invocations. */
  clients: { s3: S3Client; runtime: SageMakerRuntimeClient };
  /** Default `ContentType` of requests (default: by payload kind). */
  contentType?: string;
  /** Default `Accept` of requests. */
  accept?: string;
  /** Clock for upload keys, deadlines and polling. Default the system clock. */
  clock?: Clock;
  /** Decodes outputs. Default: by content type (JSON, text, else bytes). */
  deserialize?: ResultDecoder<T>;
  /** Delays between polling rounds of the shared waiter. */
  backoff?: BackoffOptions | Backoff;
  /** Receives upload (`resource-created`) and waiting (`results`) events. */
  onProgress?: ProgressCallback;
}

/** Per-request options of {@linkcode AsyncPredictor.predictAsync}. */
export type PredictAsyncOptions = Pick<
  InvokeAsyncOptions,
  | "inputLocation"
  | "inline"
  | "contentType"
  | "accept"
  | "customAttributes"
  | "inferenceId"
  | "requestTtlSeconds"
  | "invocationTimeoutSeconds"
  | "signal"
>;

/** Options of {@linkcode AsyncPredictor.predict}. */
export interface PredictOptions extends PredictAsyncOptions {
  /** How long to wait for the result, ms. Default 15 minutes. */
  maxWaitMs?: number;
}

/** Options of {@linkcode AsyncInferenceResponse.getResult}. */
export interface GetResultOptions {
  /**
   * Wait (up to `maxWaitMs`, default 15 minutes) instead of checking once.
   * Without it, `getResult()` throws `ResultNotReadyError` when neither the
   * output nor the failure object exists yet.
   */
  waiter?: { maxWaitMs?: number };
  /** Cancels the check or the wait; rejects with `signal.reason` unchanged. */
  signal?: AbortSignal;
}

/**
 * A submitted inference, as the Python SDK's `AsyncInferenceResponse`.
 * Its result (or its failure) is cached once known.
 */
export class AsyncInferenceResponse<T = JsonValue | Uint8Array> {
  /** The submitted invocation (locations, inference id). */
  readonly invocation: AsyncInvocation;
  readonly #waiter: ResultWaiter<T>;
  #outcome: { ok: true; value: T } | { ok: false; error: InferenceFailedError } | undefined;

  /** Wraps a submitted invocation; `waiter` serves its waits. */
  constructor(invocation: AsyncInvocation, waiter: ResultWaiter<T>) {
    this.invocation = invocation;
    this.#waiter = waiter;
  }

  /** The inference id. */
  get inferenceId(): string {
    return this.invocation.inferenceId;
  }

  /** Where the output will appear. */
  get outputLocation(): string {
    return this.invocation.outputLocation;
  }

  /** Where the failure object will appear, if the endpoint has a failure path. */
  get failureLocation(): string | undefined {
    return this.invocation.failureLocation;
  }

  /**
   * The decoded output. Without `waiter`, checks once (output, then failure)
   * and throws `ResultNotReadyError` if neither exists; with `waiter`, waits
   * and throws `WaitTimeoutError` at its deadline. A failure object throws
   * `InferenceFailedError` either way. Results and failures are cached.
   */
  async getResult(options: GetResultOptions = {}): Promise<T> {
    const cached = this.#outcome;
    if (cached) {
      if (cached.ok) return cached.value;
      throw cached.error;
    }
    const { waiter, signal } = options;
    const maxWaitMs = waiter && (waiter.maxWaitMs ?? DEFAULT_PREDICT_MAX_WAIT_MS);
    if (maxWaitMs !== undefined) assertDurationMs(maxWaitMs, "waiter.maxWaitMs");
    try {
      const result = maxWaitMs === undefined
        ? await this.#waiter.check(this.invocation, { signal })
        : await this.#waiter.wait(this.invocation, { signal, timeoutMs: maxWaitMs });
      if (result === undefined) {
        throw new ResultNotReadyError({
          inferenceId: this.invocation.inferenceId,
          outputLocation: this.invocation.outputLocation,
        });
      }
      this.#outcome ??= { ok: true, value: result.value };
      return result.value;
    } catch (error) {
      if (error instanceof InferenceFailedError) this.#outcome ??= { ok: false, error };
      throw error;
    }
  }
}

/**
 * Submits to an asynchronous endpoint and collects results, with the
 * SageMaker Python SDK's `AsyncPredictor` semantics. All its waits share one
 * polling loop, so many concurrent `predict()` calls cost one poller.
 *
 * @example Submit, then collect
 * ```ts
 * import { AsyncPredictor, ResultNotReadyError } from "@sagemaker-async/toolkit";
 * import { ManualClock } from "@sagemaker-async/toolkit/testing";
 * import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
 * import {
 *   InvokeEndpointAsyncCommand,
 *   SageMakerRuntimeClient,
 * } from "@aws-sdk/client-sagemaker-runtime";
 * import { mockClient } from "aws-sdk-client-mock";
 *
 * const s3 = new S3Client({ region: "us-east-1" });
 * const runtime = new SageMakerRuntimeClient({ region: "us-east-1" });
 * const s3Mock = mockClient(s3);
 * s3Mock.on(PutObjectCommand).resolves({});
 * s3Mock.on(GetObjectCommand).rejects(new NoSuchKey({ message: "NoSuchKey", $metadata: {} }));
 * mockClient(runtime).on(InvokeEndpointAsyncCommand).resolves({
 *   InferenceId: "q1",
 *   OutputLocation: "s3://my-bucket/out/q1.out",
 *   FailureLocation: "s3://my-bucket/fail/q1-error.out",
 * });
 *
 * await using predictor = new AsyncPredictor({
 *   endpointName: "falcon-40b-async",
 *   inputPrefix: "s3://my-bucket/async-endpoint-inputs/falcon-40b-async",
 *   clients: { s3, runtime },
 *   clock: new ManualClock(),
 * });
 * const response = await predictor.predictAsync({ inputs: "Hello" });
 * const early = await response.getResult().then(() => undefined, (e) => e);
 * if (!(early instanceof ResultNotReadyError)) throw new Error("expected not ready");
 *
 * s3Mock.on(GetObjectCommand, { Key: "out/q1.out" }).resolves({
 *   ContentType: "application/json",
 *   // deno-lint-ignore no-explicit-any
 *   Body: { transformToByteArray: () => Promise.resolve(new TextEncoder().encode('[{"generated_text":"Hi"}]')) } as any,
 * });
 * const value = await response.getResult() as { generated_text: string }[];
 * if (value[0]?.generated_text !== "Hi") throw new Error("unexpected result");
 * ```
 */
export class AsyncPredictor<T = JsonValue | Uint8Array> implements AsyncDisposable {
  /** The endpoint this predictor calls. */
  readonly endpointName: string;
  /** Where payloads are uploaded. */
  readonly inputPrefix: string;
  readonly #options: AsyncPredictorOptions<T>;
  readonly #waiter: ResultWaiter<T>;

  /** Checks the options before any call (`TypeError`/`RangeError`). */
  constructor(options: AsyncPredictorOptions<T>) {
    assertSageMakerName(options?.endpointName, "endpoint name");
    parseS3Uri(options.inputPrefix, "inputPrefix");
    const { s3, runtime } = options.clients ?? {};
    if (typeof s3?.send !== "function" || typeof runtime?.send !== "function") {
      throw new TypeError(
        "Invalid clients: an AsyncPredictor needs { s3: S3Client, runtime: SageMakerRuntimeClient }",
      );
    }
    if (options.contentType !== undefined) assertHeaderValue(options.contentType, "contentType");
    if (options.accept !== undefined) assertHeaderValue(options.accept, "accept");
    this.endpointName = options.endpointName;
    this.inputPrefix = options.inputPrefix;
    this.#options = options;
    this.#waiter = new ResultWaiter<T>({
      clients: { s3 },
      clock: options.clock,
      decode: options.deserialize,
      backoff: options.backoff,
      onProgress: options.onProgress,
      timeoutMs: DEFAULT_PREDICT_MAX_WAIT_MS,
    });
  }

  /**
   * A predictor for a deployment (any object with `endpointName` and
   * `inputPrefix`, such as the handle `deployAsyncEndpoint` returns).
   */
  static fromDeployment<T = JsonValue | Uint8Array>(
    deployment: { readonly endpointName: string; readonly inputPrefix: string },
    options: Omit<AsyncPredictorOptions<T>, "endpointName" | "inputPrefix">,
  ): AsyncPredictor<T> {
    return new AsyncPredictor<T>({
      ...options,
      endpointName: deployment?.endpointName,
      inputPrefix: deployment?.inputPrefix,
    });
  }

  /**
   * Uploads `data` (or uses `options.inputLocation` when `data` is
   * undefined), invokes the endpoint asynchronously and returns at once.
   */
  async predictAsync(
    data: Payload | undefined,
    options: PredictAsyncOptions = {},
  ): Promise<AsyncInferenceResponse<T>> {
    const invocation = await invokeAsync({
      clients: this.#options.clients,
      endpointName: this.endpointName,
      inputPrefix: this.inputPrefix,
      clock: this.#options.clock,
      onProgress: this.#options.onProgress,
      ...options,
      data,
      contentType: options.contentType ?? this.#options.contentType,
      accept: options.accept ?? this.#options.accept,
    });
    return new AsyncInferenceResponse<T>(invocation, this.#waiter);
  }

  /**
   * Submits and waits (default budget 15 minutes) for the decoded output.
   * Rejects with `InferenceFailedError`, `WaitTimeoutError` (the inference
   * may still finish: its output location is in the error), or
   * `signal.reason`.
   */
  async predict(data: Payload | undefined, options: PredictOptions = {}): Promise<T> {
    const { maxWaitMs = DEFAULT_PREDICT_MAX_WAIT_MS, ...submit } = options;
    assertDurationMs(maxWaitMs, "maxWaitMs");
    const response = await this.predictAsync(data, submit);
    return await response.getResult({ waiter: { maxWaitMs }, signal: options.signal });
  }

  /** Stops the shared waiter: pending `getResult`/`predict` waits reject. */
  close(): Promise<void> {
    return this.#waiter.close();
  }

  /** Same as {@linkcode AsyncPredictor.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
