/**
 * An accepted async inference request, as the queue keeps (and persists) it.
 *
 * @module
 */

/** Persistence blob ids of inline payloads start with this. */
export const ASYNC_INPUT_BLOB_PREFIX = "sagemaker-input-";

/** One accepted `InvokeEndpointAsync` request. */
export interface AsyncRequestRecord {
  /** Internal unique id (callers may reuse an `InferenceId`). */
  readonly id: string;
  readonly inferenceId: string;
  readonly endpointName: string;
  /** Epoch ms accepted. */
  readonly acceptedAt: number;
  /** `s3://` or `https://` input location, unless the payload was inline. */
  readonly inputLocation: string | undefined;
  /** Persistence blob id of an inline payload (durable persistence only). */
  readonly inlineBlobId: string | undefined;
  readonly contentType: string | undefined;
  readonly accept: string | undefined;
  readonly customAttributes: string | undefined;
  readonly requestTtlSeconds: number;
  readonly invocationTimeoutSeconds: number;
  readonly outputLocation: string;
  readonly failureLocation: string | undefined;
  readonly failureWriteLocation: string;
  /** Epoch ms it started on an instance (in progress). */
  startedAt: number | undefined;
}
