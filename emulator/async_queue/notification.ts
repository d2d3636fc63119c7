/**
 * The SNS message SageMaker publishes when an async inference ends, in the
 * shape the developer guide documents (success) and AWS samples parse
 * (failure). Fields the emulator adds where AWS's are unconfirmed:
 * `responseBody` (`{"content", "encoding"}`) when `IncludeInferenceResponseIn`
 * asks for the response and it is at most 128 KB.
 *
 * @module
 */

/** Largest response included in a notification. */
export const MAX_INCLUDED_RESPONSE_BYTES = 128 * 1024;

/** Options for {@linkcode inferenceNotification}. */
export interface InferenceNotificationOptions {
  readonly region: string;
  readonly endpointName: string;
  readonly inferenceId: string;
  /** Epoch ms accepted. */
  readonly receivedAt: number;
  /** Epoch ms finished. */
  readonly finishedAt: number;
  readonly request: {
    readonly contentType?: string;
    readonly accept?: string;
    readonly customAttributes?: string;
    readonly inputLocation?: string;
  };
  /** Success: where the output is and its content type. */
  readonly output?: { readonly location: string; readonly contentType: string };
  /** Failure: SageMaker's reason text. */
  readonly failureReason?: string;
  /** The response (or error) body to include, if the topic asks for it. */
  readonly includeBody?: Uint8Array;
}

/**
 * Builds the notification document (to be sent as the SNS `Message` string).
 *
 * @example
 * ```ts
 * import { inferenceNotification } from "@sagemaker-async/toolkit/emulator";
 *
 * const doc = inferenceNotification({
 *   region: "us-east-1", endpointName: "ep", inferenceId: "id-1",
 *   receivedAt: 0, finishedAt: 1000,
 *   request: { contentType: "application/json", inputLocation: "s3://b/in.json" },
 *   output: { location: "s3://b/out/id-1.out", contentType: "application/json" },
 * });
 * if (doc.invocationStatus !== "Completed" || doc.eventName !== "InferenceResult") throw new Error();
 * ```
 */
export function inferenceNotification(
  options: InferenceNotificationOptions,
): Record<string, unknown> {
  const requestParameters: Record<string, string> = {};
  if (options.request.accept !== undefined) requestParameters.accept = options.request.accept;
  requestParameters.contentType = options.request.contentType ?? "application/octet-stream";
  if (options.request.customAttributes !== undefined) {
    requestParameters.customAttributes = options.request.customAttributes;
  }
  requestParameters.endpointName = options.endpointName;
  if (options.request.inputLocation !== undefined) {
    requestParameters.inputLocation = options.request.inputLocation;
  }
  const doc: Record<string, unknown> = {
    awsRegion: options.region,
    eventTime: new Date(options.finishedAt).toISOString(),
    receivedTime: new Date(options.receivedAt).toISOString(),
    invocationStatus: options.output ? "Completed" : "Failed",
    requestParameters,
  };
  if (options.output) {
    doc.responseParameters = {
      contentType: options.output.contentType,
      outputLocation: options.output.location,
    };
  } else {
    doc.failureReason = options.failureReason ?? "ClientError: Inference failed.";
  }
  if (options.includeBody && options.includeBody.length <= MAX_INCLUDED_RESPONSE_BYTES) {
    let content: string;
    let encoding: string;
    try {
      content = new TextDecoder("utf-8", { fatal: true }).decode(options.includeBody);
      encoding = "UTF-8";
    } catch {
      let binary = "";
      for (let i = 0; i < options.includeBody.length; i += 0x8000) {
        binary += String.fromCharCode(...options.includeBody.subarray(i, i + 0x8000));
      }
      content = btoa(binary);
      encoding = "BASE64";
    }
    doc.responseBody = { content, encoding };
  }
  doc.inferenceId = options.inferenceId;
  doc.eventVersion = "1.0";
  doc.eventSource = "aws:sagemaker";
  doc.eventName = "InferenceResult";
  return doc;
}
