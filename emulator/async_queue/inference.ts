/**
 * One async inference from start to result object, in two phases so that no
 * tracked work ever waits on the emulator clock: `prepareAsyncInference` reads
 * the input (S3 or inline) and calls the model container; after the
 * container's reported duration (the queue waits it out on the clock, within
 * `InvocationTimeoutSeconds`) `completeAsyncInference` writes
 * `<id>.out` with the container's content type, or `<id>-error.out` with the
 * container's error body (or the emulator's reason), and publish the
 * success/error notification. Also the shared "finish with a failure" path
 * used for expiry and deletion. Failure reasons follow AWS's
 * `ClientError: ...` style; wording for cases AWS does not document is the
 * emulator's.
 *
 * @module
 */
import type { ContainerResponse } from "../containers/container.ts";
import { type EmulatorContext, type InvocationOutcome, requireBackend } from "../context.ts";
import type { InstanceSlot } from "../sagemaker/endpoint_lifecycle.ts";
import type { AsyncConfigRecord } from "../sagemaker/state.ts";
import { parseS3Location } from "./locations.ts";
import { inferenceNotification, type InferenceNotificationOptions } from "./notification.ts";
import type { AsyncRequestRecord } from "./request.ts";

/** Why the queue aborted a running inference. */
export type AsyncAbortReason =
  | { readonly kind: "timeout" }
  | { readonly kind: "endpoint-deleted" };

/** Everything one run needs. */
export interface AsyncInferenceRun {
  readonly context: EmulatorContext;
  readonly record: AsyncRequestRecord;
  readonly config: AsyncConfigRecord;
  readonly slot: InstanceSlot;
  /** The inline payload, if the request had one. */
  readonly inlineBody: Uint8Array | undefined;
  /** Aborted with an {@linkcode AsyncAbortReason}. */
  readonly signal: AbortSignal;
}

/** How a failure is reported. */
export interface FailureReport {
  readonly body: Uint8Array;
  readonly contentType: string;
  /** SNS `failureReason`. */
  readonly reason: string;
  readonly status: "Failed" | "Expired";
  readonly failureKind: NonNullable<InvocationOutcome["failureKind"]>;
}

const encoder = new TextEncoder();

/** A failure whose body is the emulator's own text. */
export function textFailure(
  reason: string,
  failureKind: FailureReport["failureKind"],
  status: FailureReport["status"] = "Failed",
): FailureReport {
  return {
    body: encoder.encode(reason),
    contentType: "text/plain; charset=utf-8",
    reason,
    status,
    failureKind,
  };
}

/** The outcome of a finished request, without the listener-facing extras. */
export interface FinishedInference {
  readonly status: InvocationOutcome["status"];
  readonly failureKind?: InvocationOutcome["failureKind"];
  readonly modelLatencyMs: number | undefined;
}

/**
 * Publishes the notification that `record` ended, if the endpoint names a
 * topic for it. A notification that cannot be published (the topic does not
 * exist: the caller's configuration, not an emulator fault) is dropped; AWS
 * counts it in the `NotificationFailures` metric, which the emulator does not
 * publish.
 */
async function notify(
  run: Pick<AsyncInferenceRun, "context" | "record">,
  ending: Pick<InferenceNotificationOptions, "output" | "failureReason" | "includeBody"> & {
    readonly topic: string | undefined;
  },
): Promise<void> {
  const { context, record } = run;
  const { topic, ...result } = ending;
  if (topic === undefined) return;
  const document = inferenceNotification({
    region: context.config.region,
    endpointName: record.endpointName,
    inferenceId: record.inferenceId,
    receivedAt: record.acceptedAt,
    finishedAt: context.clock.now(),
    request: record,
    ...result,
  });
  try {
    await requireBackend(context, "sns").publish(topic, JSON.stringify(document));
  } catch {
    // Dropped (see above).
  }
}

async function putAt(
  context: EmulatorContext,
  location: string,
  body: Uint8Array,
  contentType: string,
): Promise<void> {
  const target = parseS3Location(location);
  if (!target) throw new Error(`Not an S3 location: ${location}`);
  await requireBackend(context, "s3").putObject(target.bucket, target.key, body, { contentType });
}

/**
 * Writes the failure object and publishes the error notification. If the
 * failure object cannot be written either, the request counts as a
 * `ResponseUploadFailures` and the error is reported.
 */
export async function finishWithFailure(
  options: {
    context: EmulatorContext;
    record: AsyncRequestRecord;
    /** The endpoint's config; `undefined` once the endpoint is gone (no notification then). */
    config: AsyncConfigRecord | undefined;
    failure: FailureReport;
  },
): Promise<FinishedInference & { failureKind: FailureReport["failureKind"] }> {
  const { context, record, config, failure } = options;
  let failureKind = failure.failureKind;
  try {
    await putAt(context, record.failureWriteLocation, failure.body, failure.contentType);
  } catch {
    // Nowhere left to put the result (e.g. the failure bucket is gone): the
    // outcome says so; the error notification below still goes out.
    failureKind = "ResponseUploadFailures";
  }
  await notify(options, {
    topic: config?.errorTopic,
    failureReason: failure.reason,
    includeBody: config?.includeInferenceResponseIn.includes("ERROR_NOTIFICATION_TOPIC")
      ? failure.body
      : undefined,
  });
  return { status: failure.status, failureKind, modelLatencyMs: undefined };
}

/** The container's answer, to be delivered at `readyAt`, or a failure to report now. */
export type PreparedInference =
  | {
    readonly kind: "response";
    readonly response: ContainerResponse;
    /** Emulated time in the container: the call plus the reported duration. */
    readonly modelLatencyMs: number;
    /** Epoch ms at which the result is delivered. */
    readonly readyAt: number;
  }
  | { readonly kind: "failed"; readonly failure: FailureReport };

/**
 * First phase of an inference: read the input and call the container. Takes
 * only real time (I/O), never waits on the emulator clock, so the queue can
 * track it; the container's reported duration is returned as `readyAt` for
 * the queue to wait out on the clock.
 */
export async function prepareAsyncInference(run: AsyncInferenceRun): Promise<PreparedInference> {
  const { context, record, slot, signal } = run;
  let body: Uint8Array;
  if (record.inputLocation !== undefined) {
    const source = parseS3Location(record.inputLocation);
    const object = source && context.s3
      ? await context.s3.getObject(source.bucket, source.key)
      : undefined;
    if (!object) {
      return {
        kind: "failed",
        failure: textFailure(
          `ClientError: Failed to download data from ${record.inputLocation}. Please check your S3 objects and ensure that the object exists in the specified location.`,
          "RequestDownloadFailures",
        ),
      };
    }
    body = object.body;
  } else {
    body = run.inlineBody ?? new Uint8Array(0);
  }
  const started = context.clock.now();
  let response: ContainerResponse;
  try {
    response = await slot.container.invoke({
      body,
      contentType: record.contentType,
      accept: record.accept,
      customAttributes: record.customAttributes,
      signal,
    });
  } catch (error) {
    return {
      kind: "failed",
      failure: textFailure(
        `ClientError: Received server error (0) from model with message "${
          error instanceof Error ? error.message : String(error)
        }". See the SageMaker Endpoint logs in your account for more information.`,
        "InvocationFailures",
      ),
    };
  }
  const now = context.clock.now();
  const readyAt = now + Math.max(0, response.durationMs ?? 0);
  return { kind: "response", response, modelLatencyMs: readyAt - started, readyAt };
}

/** The failure reported when the queue stops a running inference. */
export function abortedFailure(
  record: AsyncRequestRecord,
  reason: AsyncAbortReason,
): FailureReport {
  return reason.kind === "timeout"
    ? textFailure(
      `ClientError: Inference did not finish within InvocationTimeoutSeconds (${record.invocationTimeoutSeconds} s).`,
      "InvocationFailures",
    )
    : textFailure(
      `ClientError: Endpoint ${record.endpointName} was deleted before the inference finished.`,
      "InvocationFailures",
    );
}

/**
 * Second phase: deliver the container's answer (output object and success
 * notification, or the container's error as the failure object and error
 * notification).
 */
export async function completeAsyncInference(
  run: Omit<AsyncInferenceRun, "slot" | "inlineBody" | "signal">,
  prepared: Extract<PreparedInference, { kind: "response" }>,
): Promise<FinishedInference> {
  const { context, record, config } = run;
  const { response, modelLatencyMs } = prepared;
  const fail = (failure: FailureReport) => finishWithFailure({ context, record, config, failure });
  if (response.status < 200 || response.status >= 300) {
    const kind = response.status < 500 ? "client" : "server";
    const result = await fail({
      body: response.body,
      contentType: response.contentType,
      reason:
        `ClientError: Received ${kind} error (${response.status}) from model. See the SageMaker Endpoint logs in your account for more information.`,
      status: "Failed",
      failureKind: "InvocationFailures",
    });
    return { ...result, modelLatencyMs };
  }
  try {
    await putAt(context, record.outputLocation, response.body, response.contentType);
  } catch (error) {
    const result = await fail(textFailure(
      `ClientError: Failed to upload the inference response to ${record.outputLocation}: ${
        error instanceof Error ? error.message : String(error)
      }`,
      "ResponseUploadFailures",
    ));
    return { ...result, failureKind: "ResponseUploadFailures", modelLatencyMs };
  }
  await notify(run, {
    topic: config.successTopic,
    output: { location: record.outputLocation, contentType: response.contentType },
    includeBody: config.includeInferenceResponseIn.includes("SUCCESS_NOTIFICATION_TOPIC")
      ? response.body
      : undefined,
  });
  return { status: "Completed", modelLatencyMs };
}
