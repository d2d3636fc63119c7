/**
 * A LangChain.js LLM for SageMaker asynchronous endpoints, including
 * endpoints that scale to zero.
 *
 * @module
 */
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import {
  type BaseLLMCallOptions,
  type BaseLLMParams,
  LLM,
} from "@langchain/core/language_models/llms";
import type { Generation, LLMResult } from "@langchain/core/outputs";
import type { BackoffOptions } from "../backoff.ts";
import type { AwsClients } from "../clients.ts";
import { type Clock, systemClock } from "../clock.ts";
import { resolveDefaultBucket } from "../default_bucket.ts";
import { type AsyncInvocation, invokeAsync } from "../invoke.ts";
import { emitProgress, type ProgressCallback, type ProgressEvent } from "../progress.ts";
import { ResultWaiter, type ResultWaiterStats } from "../result_waiter.ts";
import type { ScaleToZeroNames } from "../scale_to_zero.ts";
import { assertBucketName, formatS3Uri, joinKey, parseS3Uri } from "../s3_uri.ts";
import {
  assertDurationMs,
  assertHeaderValue,
  assertInvocationTimeoutSeconds,
  assertSageMakerName,
} from "../validation.ts";
import { type CapacityCheck, ColdStartGuard, type WakeEndpoint } from "./cold_start.ts";
import { type SageMakerContentHandler, TgiContentHandler } from "./content_handler.ts";
import { OutputTransformError } from "./errors.ts";
import { assertPlainObject } from "./_plain_object.ts";

/**
 * Name of the LangChain custom event that carries this LLM's progress
 * events (uploads and cold-start capacity) to the run's callback handlers
 * (`handleCustomEvent(name, event)`, or `on_custom_event` in `streamEvents`).
 */
export const SAGEMAKER_ASYNC_PROGRESS_EVENT = "sagemaker_async_progress";

/** Default result wait once an instance is in service: 15 minutes. */
export const DEFAULT_LLM_MAX_WAIT_MS = 15 * 60_000;

/**
 * Default extra wait while the endpoint has no instance: 20 minutes, about
 * twice the ten-minute wake-up of Falcon-40B (alarm, provisioning, image pull,
 * model load).
 */
export const DEFAULT_COLD_START_BUDGET_MS = 20 * 60_000;

/** The clients the LLM uses. */
export type SageMakerAsyncEndpointClients =
  & Pick<AwsClients, "s3" | "runtime" | "sagemaker" | "autoscaling" | "cloudwatch">
  & Partial<Pick<AwsClients, "sts" | "region">>;

/** Options for {@linkcode SageMakerAsyncEndpoint}: its own plus LangChain's `BaseLLMParams`. */
export interface SageMakerAsyncEndpointOptions extends BaseLLMParams {
  /** The asynchronous endpoint. */
  endpointName: string;
  /**
   * Clients from `createClients()`: S3 (inputs and results), Runtime
   * (`InvokeEndpointAsync`), SageMaker (capacity), Auto Scaling and
   * CloudWatch (the scale-from-zero policy); STS and the region only for the
   * default input bucket.
   */
  clients: SageMakerAsyncEndpointClients;
  /** Prompt to request body, output object to text. Default a {@linkcode TgiContentHandler}. */
  contentHandler?: SageMakerContentHandler;
  /** Passed to `contentHandler.transformInput` with every prompt (TGI: generation parameters). */
  modelKwargs?: Record<string, unknown>;
  /**
   * Bucket for the inputs. Default `sagemaker-<region>-<account>` (the
   * account from STS). Not allowed with an `s3://` `inputPrefix`.
   */
  inputBucket?: string;
  /**
   * Key prefix of the inputs in `inputBucket`, or a whole `s3://bucket/prefix`
   * (e.g. a deployment's `inputPrefix`). Default
   * `async-endpoint-inputs/<endpointName>`, where the SageMaker Python SDK
   * puts async inputs. (The reference walkthrough's class defaulted to
   * `async-endpoint-outputs/<endpoint>`, mixing request payloads into the
   * folder of results.)
   */
  inputPrefix?: string;
  /** `InvocationTimeoutSeconds` (1-3600): how long the model may take. Default SageMaker's, 900. */
  invocationTimeoutSeconds?: number;
  /**
   * How long to wait for the result once an instance is in service, ms
   * (`Infinity`: no limit). Default {@linkcode DEFAULT_LLM_MAX_WAIT_MS}.
   */
  maxWaitMs?: number;
  /**
   * How long an endpoint found at zero instances may take to get one, ms;
   * such a call waits for its result up to `coldStartBudgetMs + maxWaitMs`.
   * Default {@linkcode DEFAULT_COLD_START_BUDGET_MS}.
   */
  coldStartBudgetMs?: number;
  /**
   * At zero instances without a scale-from-zero policy: `never` (default)
   * fails with `EndpointAtZeroError` before submitting; `set-desired-count`
   * raises the variants' desired instance count to 1 and submits.
   */
  wakeEndpoint?: WakeEndpoint;
  /** Names of the scale-from-zero policy and alarm, if not `enableScaleToZero`'s defaults. */
  scaleToZeroNames?: Partial<Omit<ScaleToZeroNames, "resourceId">>;
  /** Delay between `DescribeEndpoint` polls during a cold start, ms. Default 15,000. */
  capacityPollIntervalMs?: number;
  /** Delays between S3 polling rounds of the shared result waiter. */
  backoff?: BackoffOptions;
  /** Time source for every wait. Default the system clock. */
  clock?: Clock;
  /**
   * Receives progress: uploads (`resource-created`), cold-start capacity
   * (`capacity`: waiting for capacity, instance starting, running) and the
   * shared waiter's counts (`results`). Uploads and capacity also reach the
   * run's LangChain callbacks as {@linkcode SAGEMAKER_ASYNC_PROGRESS_EVENT}.
   */
  onProgress?: ProgressCallback;
}

/** What `generationInfo` holds for each generation. */
export interface SageMakerAsyncGenerationInfo extends Record<string, unknown> {
  /** The inference id. */
  inferenceId: string;
  /** `s3://` URI of the uploaded input. */
  inputLocation: string | undefined;
  /** `s3://` URI of the output object. */
  outputLocation: string;
}

/**
 * A LangChain LLM that calls a SageMaker asynchronous endpoint, built on
 * `@langchain/core` only. Each prompt is uploaded to S3, submitted with
 * `InvokeEndpointAsync`, and waited for through one polling loop shared by
 * every call of this instance (so `batch()` of many prompts costs one
 * poller); the output or the failure object, whichever appears first, ends
 * the wait.
 *
 * Before submitting, the endpoint's capacity is checked
 * (`DescribeEndpoint`, every variant). With an instance in service the call
 * waits up to `maxWaitMs`. At zero instances the prompt is still submitted
 * at once, never dropped or replaced by a dummy request, when something will
 * start an instance: a desired count above zero, the scale-from-zero step
 * policy (the queued request itself sets off its alarm), or, with
 * `wakeEndpoint: "set-desired-count"`, the desired count this LLM raises.
 * The call then waits up to `coldStartBudgetMs` for an instance, reporting
 * `waiting-for-capacity` -> `instance-starting` -> `running`, and up to
 * `coldStartBudgetMs + maxWaitMs` in all for the result. When nothing would
 * start one, it fails with `EndpointAtZeroError` **without submitting**, so a
 * retry after fixing the endpoint does not run the prompt twice. (A call
 * that found an instance waits only `maxWaitMs`, even if the endpoint scales
 * in before the request runs.)
 *
 * Errors: `InferenceFailedError` (with the failure body) when the model
 * fails; `WaitTimeoutError` at a deadline (the inference may still finish:
 * its output location is in the message); `OutputTransformError` when the
 * content handler cannot read the output; `signal.reason` unchanged when the
 * call's `signal` aborts; SDK errors unchanged. Stop sequences (`stop`) cut
 * the text at the first one found.
 *
 * @example A chain against fake clients
 * ```ts
 * import { StringOutputParser } from "@langchain/core/output_parsers";
 * import { PromptTemplate } from "@langchain/core/prompts";
 * import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
 * import { DescribeEndpointCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
 * import {
 *   InvokeEndpointAsyncCommand,
 *   SageMakerRuntimeClient,
 * } from "@aws-sdk/client-sagemaker-runtime";
 * import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
 * import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
 * import { mockClient } from "aws-sdk-client-mock";
 * import { SageMakerAsyncEndpoint } from "@sagemaker-async/toolkit/langchain";
 * import { ManualClock } from "@sagemaker-async/toolkit/testing";
 *
 * const region = "us-east-1";
 * const s3 = new S3Client({ region });
 * const s3Mock = mockClient(s3);
 * s3Mock.on(PutObjectCommand).resolves({});
 * s3Mock.on(HeadObjectCommand).resolves({});
 * s3Mock.on(GetObjectCommand).resolves({
 *   // deno-lint-ignore no-explicit-any
 *   Body: { transformToByteArray: async () => new TextEncoder().encode('[{"generated_text":"Paris."}]') } as any,
 * });
 * const runtime = new SageMakerRuntimeClient({ region });
 * mockClient(runtime).on(InvokeEndpointAsyncCommand).resolves({
 *   InferenceId: "q1",
 *   OutputLocation: "s3://my-bucket/out/q1.out",
 *   FailureLocation: "s3://my-bucket/fail/q1-error.out",
 * });
 * const sagemaker = new SageMakerClient({ region });
 * mockClient(sagemaker).on(DescribeEndpointCommand).resolves({
 *   EndpointStatus: "InService",
 *   ProductionVariants: [{ VariantName: "AllTraffic", CurrentInstanceCount: 1, DesiredInstanceCount: 1 }],
 * });
 *
 * const llm = new SageMakerAsyncEndpoint({
 *   endpointName: "falcon-40b-async",
 *   inputPrefix: "s3://my-bucket/async-endpoint-inputs/falcon-40b-async",
 *   clients: {
 *     s3,
 *     runtime,
 *     sagemaker,
 *     autoscaling: new ApplicationAutoScalingClient({ region }),
 *     cloudwatch: new CloudWatchClient({ region }),
 *   },
 *   modelKwargs: { max_new_tokens: 50 },
 *   clock: new ManualClock(),
 * });
 * const chain = PromptTemplate.fromTemplate("What is the capital of {country}?")
 *   .pipe(llm)
 *   .pipe(new StringOutputParser());
 * const answer = await chain.invoke({ country: "France" });
 * if (answer !== "Paris.") throw new Error(answer);
 * ```
 */
export class SageMakerAsyncEndpoint extends LLM<BaseLLMCallOptions> {
  /** The endpoint this LLM calls. */
  readonly endpointName: string;
  /** The content handler. */
  readonly contentHandler: SageMakerContentHandler;
  /** Model kwargs passed with every prompt. */
  readonly modelKwargs: Readonly<Record<string, unknown>>;
  /** Result wait once an instance is in service, ms. */
  readonly maxWaitMs: number;
  /** Extra wait while the endpoint has no instance, ms. */
  readonly coldStartBudgetMs: number;
  /** `InvocationTimeoutSeconds`, if set. */
  readonly invocationTimeoutSeconds: number | undefined;
  /** What to do at zero instances without a scale-from-zero policy. */
  readonly wakeEndpoint: WakeEndpoint;

  readonly #clients: SageMakerAsyncEndpointClients;
  readonly #clock: Clock;
  readonly #onProgress: ProgressCallback | undefined;
  readonly #waiter: ResultWaiter<Uint8Array>;
  readonly #guard: ColdStartGuard;
  readonly #inputs:
    | { kind: "uri"; uri: string }
    | { kind: "key"; bucket: string | undefined; keyPrefix: string };

  /** LangChain's serialisation name. */
  static override lc_name(): string {
    return "SageMakerAsyncEndpoint";
  }

  /** Checks every option (`TypeError`/`RangeError`) before any AWS call. */
  constructor(options: SageMakerAsyncEndpointOptions) {
    const {
      endpointName,
      clients,
      contentHandler = new TgiContentHandler(),
      modelKwargs = {},
      inputBucket,
      inputPrefix,
      invocationTimeoutSeconds,
      maxWaitMs = DEFAULT_LLM_MAX_WAIT_MS,
      coldStartBudgetMs = DEFAULT_COLD_START_BUDGET_MS,
      wakeEndpoint = "never",
      scaleToZeroNames,
      capacityPollIntervalMs,
      backoff,
      clock = systemClock,
      onProgress,
      ...llmParams
    } = options ?? ({} as SageMakerAsyncEndpointOptions);
    super(llmParams);
    assertSageMakerName(endpointName, "endpoint name");
    assertContentHandler(contentHandler);
    assertPlainObject(modelKwargs, "modelKwargs");
    if (invocationTimeoutSeconds !== undefined) {
      assertInvocationTimeoutSeconds(invocationTimeoutSeconds);
    }
    assertDurationMs(maxWaitMs, "maxWaitMs");
    assertDurationMs(coldStartBudgetMs, "coldStartBudgetMs");
    if (onProgress !== undefined && typeof onProgress !== "function") {
      throw new TypeError(`Invalid onProgress ${String(onProgress)}: must be a function`);
    }
    for (const name of ["s3", "runtime"] as const) {
      if (typeof clients?.[name]?.send !== "function") {
        throw new TypeError(
          `Invalid clients.${name}: SageMakerAsyncEndpoint needs the s3, runtime, sagemaker, ` +
            "autoscaling and cloudwatch clients (as createClients() returns them)",
        );
      }
    }
    this.#inputs = planInputs({ endpointName, inputBucket, inputPrefix, clients });
    // Checks the remaining clients, wakeEndpoint, the names and the poll interval.
    this.#guard = new ColdStartGuard({
      clients,
      endpointName,
      wakeEndpoint,
      scaleToZeroNames,
      pollIntervalMs: capacityPollIntervalMs,
      clock,
    });
    this.#waiter = new ResultWaiter<Uint8Array>({
      clients: { s3: clients.s3 },
      clock,
      decode: (body) => body,
      timeoutMs: maxWaitMs,
      backoff,
      onProgress,
    });
    this.endpointName = endpointName;
    this.contentHandler = contentHandler;
    this.modelKwargs = Object.freeze({ ...modelKwargs });
    this.maxWaitMs = maxWaitMs;
    this.coldStartBudgetMs = coldStartBudgetMs;
    this.invocationTimeoutSeconds = invocationTimeoutSeconds;
    this.wakeEndpoint = wakeEndpoint;
    this.#clients = clients;
    this.#clock = clock;
    this.#onProgress = onProgress;
  }

  /** S3 calls and polling rounds of the waiter shared by every call of this LLM. */
  get waiterStats(): ResultWaiterStats {
    return this.#waiter.stats;
  }

  /** `sagemaker_async_endpoint`. */
  _llmType(): string {
    return "sagemaker_async_endpoint";
  }

  /** The parameters that identify this LLM's generations (used for caching). */
  override _identifyingParams(): Record<string, unknown> {
    return {
      endpointName: this.endpointName,
      contentType: this.contentHandler.contentType,
      accepts: this.contentHandler.accepts,
      modelKwargs: this.modelKwargs,
    };
  }

  /** One prompt: see {@linkcode SageMakerAsyncEndpoint._generate}. */
  async _call(
    prompt: string,
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<string> {
    const result = await this._generate([prompt], options, runManager);
    return result.generations[0]![0]!.text;
  }

  /**
   * Transforms every prompt, checks capacity once, submits them all and waits
   * for them through the shared waiter. The first failure rejects the call
   * and stops waiting for the others (their inferences still run; use
   * `batch(prompts, {}, { returnExceptions: true })` to get each outcome).
   */
  override async _generate(
    prompts: string[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<LLMResult> {
    const stop = checkStop(options.stop);
    const { signal } = options;
    signal?.throwIfAborted();
    const bodies = await Promise.all(prompts.map((prompt) => this.#transformInput(prompt)));
    signal?.throwIfAborted();
    const inputPrefix = await this.#inputPrefix(signal);
    let lastPhase: string | undefined;
    const report = (event: ProgressEvent) => {
      if (event.type === "capacity") lastPhase = event.phase;
      emitProgress(this.#onProgress, event);
      runManager?.handleCustomEvent(SAGEMAKER_ASYNC_PROGRESS_EVENT, event).catch(() => {});
    };
    const check = await this.#guard.admit({ signal });
    const invocations = await Promise.all(bodies.map((body) =>
      invokeAsync({
        clients: this.#clients,
        endpointName: this.endpointName,
        data: body,
        contentType: this.contentHandler.contentType,
        accept: this.contentHandler.accepts,
        inputPrefix,
        invocationTimeoutSeconds: this.invocationTimeoutSeconds,
        clock: this.#clock,
        signal,
        onProgress: report,
      })
    ));

    const cold = check.state !== "running";
    const stopWaiting = new AbortController();
    const waitSignal = signal ? AbortSignal.any([signal, stopWaiting.signal]) : stopWaiting.signal;
    const timeoutMs = cold ? this.coldStartBudgetMs + this.maxWaitMs : this.maxWaitMs;
    try {
      const results = Promise.all(invocations.map(async (invocation) => {
        const result = await this.#waiter.wait(invocation, { signal: waitSignal, timeoutMs });
        return [await this.#toGeneration(invocation, result.value, stop)];
      }));
      const generations = cold
        ? await Promise.race([
          results,
          this.#capacityFailure(check, invocations, waitSignal, report),
        ])
        : await results;
      if (cold && lastPhase !== "running") {
        // The result beat the capacity loop's next poll: say how it ended.
        await this.#guard.reportCapacity({ startedAt: check.checkedAt, signal, onProgress: report })
          .catch(() => {});
      }
      return {
        generations,
        llmOutput: { endpointName: this.endpointName, capacity: check.state },
      };
    } finally {
      stopWaiting.abort(new DOMException("The LLM call ended", "AbortError"));
    }
  }

  /** Never resolves; rejects if no instance appears within the cold-start budget. */
  async #capacityFailure(
    check: CapacityCheck,
    invocations: readonly AsyncInvocation[],
    signal: AbortSignal,
    report: ProgressCallback,
  ): Promise<never> {
    const describe = (i: AsyncInvocation) =>
      `inference ${i.inferenceId} (output ${i.outputLocation})`;
    const pending = invocations.map(describe).join(", ");
    await this.#guard.waitForCapacity({
      timeoutMs: this.coldStartBudgetMs,
      startedAt: check.checkedAt,
      initial: check.capacity,
      waitingFor: `an instance of endpoint "${this.endpointName}" to serve ${pending}`,
      signal,
      onProgress: report,
    });
    return await new Promise<never>(() => {});
  }

  async #transformInput(prompt: string): Promise<Uint8Array> {
    const body = await this.contentHandler.transformInput(prompt, { ...this.modelKwargs });
    if (!(body instanceof Uint8Array)) {
      throw new TypeError(
        `Invalid contentHandler.transformInput() result ${
          String(body)
        }: must be a Uint8Array (the request body)`,
      );
    }
    return body;
  }

  async #toGeneration(
    invocation: AsyncInvocation,
    output: Uint8Array,
    stop: readonly string[],
  ): Promise<Generation> {
    const { inferenceId, outputLocation, inputLocation } = invocation;
    let text: unknown;
    try {
      text = await this.contentHandler.transformOutput(output);
    } catch (error) {
      throw new OutputTransformError({
        inferenceId,
        outputLocation,
        reason: error instanceof Error ? error.message : String(error),
      }, { cause: error });
    }
    if (typeof text !== "string") {
      throw new OutputTransformError({
        inferenceId,
        outputLocation,
        reason: `contentHandler.transformOutput() returned ${typeof text}, not a string`,
      });
    }
    const generationInfo: SageMakerAsyncGenerationInfo = {
      inferenceId,
      inputLocation,
      outputLocation,
    };
    return { text: applyStop(text, stop), generationInfo };
  }

  /**
   * The `s3://` prefix for this call's inputs. The default bucket's account id is looked up
   * once per STS client and shared by concurrent calls (see `resolveAccountId`); `signal` ends
   * only this call's wait for it.
   */
  async #inputPrefix(signal: AbortSignal | undefined): Promise<string> {
    const inputs = this.#inputs;
    if (inputs.kind === "uri") return inputs.uri;
    const { sts, region } = this.#clients;
    const bucket = inputs.bucket ??
      await resolveDefaultBucket({ clients: { sts: sts! }, region: region!, signal });
    return formatS3Uri({ bucket, key: inputs.keyPrefix });
  }
}

function planInputs(options: {
  endpointName: string;
  inputBucket: string | undefined;
  inputPrefix: string | undefined;
  clients: SageMakerAsyncEndpointClients;
}): { kind: "uri"; uri: string } | { kind: "key"; bucket: string | undefined; keyPrefix: string } {
  const { endpointName, inputBucket, inputPrefix, clients } = options;
  if (inputPrefix !== undefined && typeof inputPrefix !== "string") {
    throw new TypeError(`Invalid inputPrefix ${String(inputPrefix)}: must be a string`);
  }
  if (inputPrefix?.startsWith("s3://")) {
    if (inputBucket !== undefined) {
      throw new TypeError(
        `Invalid inputBucket ${JSON.stringify(inputBucket)}: inputPrefix ${
          JSON.stringify(inputPrefix)
        } already names a bucket; pass one or the other`,
      );
    }
    parseS3Uri(inputPrefix, "inputPrefix");
    return { kind: "uri", uri: inputPrefix };
  }
  const keyPrefix = joinKey(inputPrefix ?? `async-endpoint-inputs/${endpointName}`);
  if (inputBucket !== undefined) {
    assertBucketName(inputBucket, "inputBucket");
    parseS3Uri(formatS3Uri({ bucket: inputBucket, key: keyPrefix }), "inputPrefix");
    return { kind: "key", bucket: inputBucket, keyPrefix };
  }
  if (typeof clients.sts?.send !== "function" || typeof clients.region !== "string") {
    throw new TypeError(
      "Invalid clients: without inputBucket (or an s3:// inputPrefix) the default bucket " +
        "sagemaker-<region>-<account> is used, which needs clients.sts and clients.region",
    );
  }
  return { kind: "key", bucket: undefined, keyPrefix };
}

function assertContentHandler(handler: SageMakerContentHandler): void {
  if (
    typeof handler !== "object" || handler === null ||
    typeof handler.transformInput !== "function" || typeof handler.transformOutput !== "function"
  ) {
    throw new TypeError(
      `Invalid contentHandler ${
        String(handler)
      }: must have contentType, accepts, transformInput() and transformOutput()`,
    );
  }
  assertHeaderValue(handler.contentType, "contentHandler.contentType");
  assertHeaderValue(handler.accepts, "contentHandler.accepts");
}

function checkStop(stop: unknown): readonly string[] {
  if (stop === undefined) return [];
  if (!Array.isArray(stop) || stop.some((s) => typeof s !== "string" || s === "")) {
    throw new TypeError(
      `Invalid stop ${JSON.stringify(stop)}: must be an array of non-empty strings`,
    );
  }
  return stop;
}

/** Cuts `text` before the earliest stop sequence it contains. */
function applyStop(text: string, stop: readonly string[]): string {
  let end = text.length;
  for (const sequence of stop) {
    const at = text.indexOf(sequence);
    if (at !== -1 && at < end) end = at;
  }
  return text.slice(0, end);
}
