/**
 * Submitting asynchronous inferences: upload the payload under an input
 * prefix (or use an existing object, or send it inline) and call
 * `InvokeEndpointAsync`.
 *
 * @module
 */
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import {
  InvokeEndpointAsyncCommand,
  type SageMakerRuntimeClient,
} from "@aws-sdk/client-sagemaker-runtime";
import { type Clock, systemClock } from "./clock.ts";
import { type Payload, type SerializedPayload, serializePayload } from "./payload.ts";
import { emitProgress, type ProgressCallback } from "./progress.ts";
import { formatS3Uri, joinKey, parseS3Uri, type S3Location } from "./s3_uri.ts";
import {
  assertHeaderValue,
  assertInferenceId,
  assertInlinePayloadSize,
  assertInvocationTimeoutSeconds,
  assertRequestTtlSeconds,
  assertS3PayloadSize,
  assertSageMakerName,
} from "./validation.ts";

/** Options for {@linkcode uploadPayload}. */
export interface UploadPayloadOptions {
  /** S3 client used for the `PutObject`. */
  clients: { s3: S3Client };
  /** `s3://bucket/prefix` under which the object is written. */
  inputPrefix: string;
  /** The payload (see {@linkcode Payload}). */
  data: Payload;
  /** Content type; defaults by payload kind (see {@linkcode serializePayload}). */
  contentType?: string;
  /** Clock for the key's timestamp. Default {@linkcode systemClock}. */
  clock?: Clock;
  /** Cancels the upload. */
  signal?: AbortSignal;
  /** Receives a `resource-created` event (`resource: "object"`) once stored. */
  onProgress?: ProgressCallback;
}

/** An uploaded payload. */
export interface UploadedPayload {
  /** `s3://` URI of the object. */
  readonly location: string;
  /** Content type the object was stored (and should be invoked) with. */
  readonly contentType: string;
  /** Size in bytes. */
  readonly bytes: number;
}

/**
 * Writes a payload to `<inputPrefix>/<timestamp>-<uuid>` (the SageMaker
 * Python SDK's naming, timestamp `YYYY-MM-DD-HH-MM-SS-mmm` in UTC) with its
 * content type. Payloads over 1 GB are refused with a `RangeError` before any
 * call.
 *
 * @example
 * ```ts
 * import { uploadPayload } from "@sagemaker-async/toolkit";
 * import { ManualClock } from "@sagemaker-async/toolkit/testing";
 * import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
 * import { mockClient } from "aws-sdk-client-mock";
 *
 * const s3 = new S3Client({ region: "us-east-1" });
 * mockClient(s3).on(PutObjectCommand).resolves({});
 * const uploaded = await uploadPayload({
 *   clients: { s3 },
 *   inputPrefix: "s3://my-bucket/async-endpoint-inputs/falcon",
 *   data: { inputs: "Hello" },
 *   clock: new ManualClock({ start: Date.UTC(2026, 0, 2, 3, 4, 5, 6) }),
 * });
 * if (!uploaded.location.startsWith("s3://my-bucket/async-endpoint-inputs/falcon/2026-01-02-03-04-05-006-")) {
 *   throw new Error(uploaded.location);
 * }
 * ```
 */
export async function uploadPayload(options: UploadPayloadOptions): Promise<UploadedPayload> {
  const prefix = parseS3Uri(options?.inputPrefix, "inputPrefix");
  assertS3Client(options.clients?.s3);
  const serialized = serializeFor(options.data, options.contentType, false);
  options.signal?.throwIfAborted();
  const clock = options.clock ?? systemClock;
  return await putPayload({
    s3: options.clients.s3,
    prefix,
    serialized,
    clock,
    signal: options.signal,
    onProgress: options.onProgress,
    startedAt: clock.now(),
  });
}

/** Options for {@linkcode invokeAsync}. */
export interface InvokeAsyncOptions {
  /**
   * `runtime` sends `InvokeEndpointAsync`; `s3` uploads the payload and is
   * needed only when `data` is given without `inline`.
   */
  clients: { runtime: SageMakerRuntimeClient; s3?: S3Client };
  /** The asynchronous endpoint. */
  endpointName: string;
  /**
   * The payload, uploaded under `inputPrefix` (or sent inline with
   * `inline: true`). Exactly one of `data` and `inputLocation`.
   */
  data?: Payload;
  /** An existing `s3://` object to use as the input, instead of `data`. */
  inputLocation?: string;
  /** `s3://bucket/prefix` for uploads; required when `data` is uploaded. */
  inputPrefix?: string;
  /**
   * Send `data` as the request's inline `Body` (at most 128,000 bytes)
   * instead of uploading it; results still go to S3. Default false.
   */
  inline?: boolean;
  /** `ContentType` of the input. Default by payload kind; none for `inputLocation`. */
  contentType?: string;
  /** `Accept`: the content type the model should answer with. */
  accept?: string;
  /** `CustomAttributes`, passed to the model container. */
  customAttributes?: string;
  /**
   * `InferenceId` (1-64 printable ASCII). Default: a random UUID generated
   * here, so the handle always knows its id.
   */
  inferenceId?: string;
  /** `RequestTTLSeconds` (60-21600): how long the request may wait in the queue. */
  requestTtlSeconds?: number;
  /** `InvocationTimeoutSeconds` (1-3600): how long the model may take. */
  invocationTimeoutSeconds?: number;
  /** Clock for the upload key and `submittedAt`. Default {@linkcode systemClock}. */
  clock?: Clock;
  /** Cancels the upload and the invocation request. */
  signal?: AbortSignal;
  /** Receives a `resource-created` event when the payload has been uploaded. */
  onProgress?: ProgressCallback;
}

/** A submitted asynchronous inference: everything needed to collect its result later. */
export interface AsyncInvocation {
  /** The endpoint it was sent to. */
  readonly endpointName: string;
  /** The inference id (as SageMaker returned it). */
  readonly inferenceId: string;
  /** `s3://` URI of the input; undefined when the payload was sent inline. */
  readonly inputLocation: string | undefined;
  /** `s3://` URI where the output object will appear. */
  readonly outputLocation: string;
  /**
   * `s3://` URI where the failure object will appear; undefined when the
   * endpoint has no `S3FailurePath`.
   */
  readonly failureLocation: string | undefined;
  /** Clock time when SageMaker accepted the request, epoch ms. */
  readonly submittedAt: number;
}

/**
 * Submits an asynchronous inference. Every argument is validated (endpoint
 * name, exactly one input, S3 URIs, header values, inference id, TTL,
 * invocation timeout, payload size) before the first AWS call, with a
 * `TypeError` or `RangeError` naming the value and the rule.
 *
 * When the payload was uploaded but `InvokeEndpointAsync` then fails, the SDK
 * error propagates unchanged and the uploaded object is left in place (the
 * request may have reached SageMaker even though the call failed, so deleting
 * it could break an accepted inference). Its location was reported through
 * `onProgress` as a `resource-created` event of resource `object`; to retry
 * without uploading again, call {@linkcode uploadPayload} yourself and pass
 * its `location` as `inputLocation`.
 *
 * @example
 * ```ts
 * import { invokeAsync } from "@sagemaker-async/toolkit";
 * import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
 * import {
 *   InvokeEndpointAsyncCommand,
 *   SageMakerRuntimeClient,
 * } from "@aws-sdk/client-sagemaker-runtime";
 * import { mockClient } from "aws-sdk-client-mock";
 *
 * const s3 = new S3Client({ region: "us-east-1" });
 * const runtime = new SageMakerRuntimeClient({ region: "us-east-1" });
 * mockClient(s3).on(PutObjectCommand).resolves({});
 * mockClient(runtime).on(InvokeEndpointAsyncCommand).callsFake((input) => ({
 *   InferenceId: input.InferenceId,
 *   OutputLocation: `s3://my-bucket/out/${input.InferenceId}.out`,
 *   FailureLocation: `s3://my-bucket/fail/${input.InferenceId}-error.out`,
 * }));
 *
 * const invocation = await invokeAsync({
 *   clients: { s3, runtime },
 *   endpointName: "falcon-40b-async",
 *   inputPrefix: "s3://my-bucket/async-endpoint-inputs/falcon-40b-async",
 *   data: { inputs: "What is the capital of France?", parameters: { max_new_tokens: 50 } },
 *   inferenceId: "question-1",
 *   invocationTimeoutSeconds: 600,
 * });
 * if (invocation.outputLocation !== "s3://my-bucket/out/question-1.out") throw new Error();
 * ```
 */
export async function invokeAsync(options: InvokeAsyncOptions): Promise<AsyncInvocation> {
  const plan = planInvocation(options);
  const clock = options.clock ?? systemClock;
  const { signal } = options;
  signal?.throwIfAborted();
  const startedAt = clock.now();

  let inputLocation: string | undefined;
  if (plan.kind === "upload") {
    const uploaded = await putPayload({
      s3: plan.s3,
      prefix: plan.prefix,
      serialized: plan.serialized,
      clock,
      signal,
      onProgress: options.onProgress,
      startedAt,
    });
    inputLocation = uploaded.location;
  } else if (plan.kind === "location") {
    inputLocation = plan.inputLocation;
  }

  const response = await options.clients.runtime.send(
    new InvokeEndpointAsyncCommand({
      EndpointName: options.endpointName,
      InputLocation: inputLocation,
      Body: plan.kind === "inline" ? plan.serialized.body : undefined,
      ContentType: plan.contentType,
      Accept: options.accept,
      CustomAttributes: options.customAttributes,
      InferenceId: plan.inferenceId,
      RequestTTLSeconds: options.requestTtlSeconds,
      InvocationTimeoutSeconds: options.invocationTimeoutSeconds,
    }),
    { abortSignal: signal },
  );
  const inferenceId = response.InferenceId || plan.inferenceId;
  if (!response.OutputLocation) {
    throw new Error(
      `InvokeEndpointAsync on "${options.endpointName}" accepted inference ${inferenceId} ` +
        `(input ${inputLocation ?? "inline"}) but returned no OutputLocation, so its result ` +
        "cannot be located; look for it under the endpoint's S3OutputPath",
    );
  }
  return {
    endpointName: options.endpointName,
    inferenceId,
    inputLocation,
    outputLocation: response.OutputLocation,
    failureLocation: response.FailureLocation || undefined,
    submittedAt: clock.now(),
  };
}

type InvocationPlan =
  & { contentType: string | undefined; inferenceId: string }
  & (
    | { kind: "upload"; s3: S3Client; prefix: S3Location; serialized: SerializedPayload }
    | { kind: "inline"; serialized: SerializedPayload }
    | { kind: "location"; inputLocation: string }
  );

/** Every check `invokeAsync` makes, in one place, before any call. */
function planInvocation(options: InvokeAsyncOptions): InvocationPlan {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Invalid invokeAsync options ${String(options)}: must be an object`);
  }
  const runtime = options.clients?.runtime;
  if (typeof runtime?.send !== "function") {
    throw new TypeError(
      "Invalid clients.runtime: invokeAsync needs a SageMakerRuntimeClient",
    );
  }
  assertSageMakerName(options.endpointName, "endpoint name");
  const hasData = options.data !== undefined;
  const hasLocation = options.inputLocation !== undefined;
  if (hasData === hasLocation) {
    throw new TypeError(
      `Invalid invokeAsync input: pass exactly one of data and inputLocation (got ${
        hasData ? "both" : "neither"
      })`,
    );
  }
  if (options.inline !== undefined && typeof options.inline !== "boolean") {
    throw new TypeError(`Invalid inline ${JSON.stringify(options.inline)}: must be a boolean`);
  }
  if (options.inline && !hasData) {
    throw new TypeError(
      "Invalid invokeAsync input: inline sends data as the request body; it cannot be " +
        "combined with inputLocation",
    );
  }
  for (
    const [what, value] of [
      ["contentType", options.contentType],
      ["accept", options.accept],
      ["customAttributes", options.customAttributes],
    ] as const
  ) {
    if (value !== undefined) assertHeaderValue(value, what);
  }
  if (options.inferenceId !== undefined) assertInferenceId(options.inferenceId);
  if (options.requestTtlSeconds !== undefined) assertRequestTtlSeconds(options.requestTtlSeconds);
  if (options.invocationTimeoutSeconds !== undefined) {
    assertInvocationTimeoutSeconds(options.invocationTimeoutSeconds);
  }
  const inferenceId = options.inferenceId ?? crypto.randomUUID();

  if (hasLocation) {
    const location = parseS3Uri(options.inputLocation!, "inputLocation");
    if (location.key === "" || location.key.endsWith("/")) {
      throw new TypeError(
        `Invalid inputLocation ${
          JSON.stringify(options.inputLocation)
        }: must name an object, not a bucket or prefix`,
      );
    }
    return {
      kind: "location",
      inputLocation: options.inputLocation!,
      contentType: options.contentType,
      inferenceId,
    };
  }
  if (options.inline) {
    const serialized = serializeFor(options.data!, options.contentType, true);
    return { kind: "inline", serialized, contentType: serialized.contentType, inferenceId };
  }
  if (options.inputPrefix === undefined) {
    throw new TypeError(
      "Invalid invokeAsync input: data is uploaded under inputPrefix, which is missing " +
        "(pass inputPrefix, or inline: true for payloads up to 128,000 bytes)",
    );
  }
  const prefix = parseS3Uri(options.inputPrefix, "inputPrefix");
  const s3 = options.clients.s3;
  assertS3Client(s3);
  const serialized = serializeFor(options.data!, options.contentType, false);
  return {
    kind: "upload",
    s3,
    prefix,
    serialized,
    contentType: serialized.contentType,
    inferenceId,
  };
}

function assertS3Client(s3: S3Client | undefined): asserts s3 is S3Client {
  if (typeof s3?.send !== "function") {
    throw new TypeError("Invalid clients.s3: uploading a payload needs an S3Client");
  }
}

function serializeFor(
  data: Payload,
  contentType: string | undefined,
  inline: boolean,
): SerializedPayload {
  if (contentType !== undefined) assertHeaderValue(contentType, "contentType");
  const serialized = serializePayload(data, { contentType });
  if (inline) assertInlinePayloadSize(serialized.body.byteLength);
  else assertS3PayloadSize(serialized.body.byteLength);
  return serialized;
}

async function putPayload(options: {
  s3: S3Client;
  prefix: S3Location;
  serialized: SerializedPayload;
  clock: Clock;
  signal: AbortSignal | undefined;
  onProgress: ProgressCallback | undefined;
  startedAt: number;
}): Promise<UploadedPayload> {
  const { prefix, serialized, clock } = options;
  const key = joinKey(prefix.key, `${pythonSdkTimestamp(clock.now())}-${crypto.randomUUID()}`);
  await options.s3.send(
    new PutObjectCommand({
      Bucket: prefix.bucket,
      Key: key,
      Body: serialized.body,
      ContentType: serialized.contentType,
    }),
    { abortSignal: options.signal },
  );
  const location = formatS3Uri({ bucket: prefix.bucket, key });
  emitProgress(options.onProgress, {
    type: "resource-created",
    resource: "object",
    name: location,
    message:
      `Uploaded ${serialized.body.byteLength} bytes of ${serialized.contentType} to ${location}`,
    elapsedMs: clock.now() - options.startedAt,
  });
  return { location, contentType: serialized.contentType, bytes: serialized.body.byteLength };
}

/** `YYYY-MM-DD-HH-MM-SS-mmm` in UTC, as `sagemaker.utils.sagemaker_timestamp()`. */
function pythonSdkTimestamp(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}-` +
    `${two(d.getUTCHours())}-${two(d.getUTCMinutes())}-${two(d.getUTCSeconds())}-` +
    String(d.getUTCMilliseconds()).padStart(3, "0");
}
