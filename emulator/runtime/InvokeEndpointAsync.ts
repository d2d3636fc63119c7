/**
 * SageMaker Runtime `InvokeEndpointAsync`
 * (`POST /endpoints/<name>/async-invocations`): validates the
 * `X-Amzn-SageMaker-*` headers, accepts the request into the endpoint's
 * queue (durably, when persistence is on) and answers 202 with
 * `{"InferenceId"}` and the `X-Amzn-SageMaker-OutputLocation` /
 * `-FailureLocation` headers. The payload is in S3 (`InputLocation`) or
 * inline in the body (at most 128,000 bytes), exactly one of the two.
 *
 * @module
 */
import { ASYNC_INPUT_BLOB_PREFIX, type AsyncRequestRecord } from "../async_queue/request.ts";
import { resultLocations } from "../async_queue/locations.ts";
import type { EmulatorContext } from "../context.ts";
import { AwsError } from "../errors.ts";
import type { AwsRequest } from "../request.ts";
import { RequestValidator, S3_URI_PATTERN } from "../sagemaker/validation.ts";
import {
  CUSTOM_ATTRIBUTES_RULE,
  sageMakerBackend,
  servingEndpoint,
  validateEndpointName,
} from "./endpoint_access.ts";

/** Largest inline async payload. */
export const MAX_INLINE_ASYNC_BODY_BYTES = 128_000;
/** Default `RequestTTLSeconds` (6 hours). */
export const DEFAULT_REQUEST_TTL_SECONDS = 21_600;
/** Default `InvocationTimeoutSeconds` (15 minutes). */
export const DEFAULT_INVOCATION_TIMEOUT_SECONDS = 900;

const ASCII = "\\p{ASCII}*";
const PRINTABLE_ID = "[\\x21-\\x7e][\\x20-\\x7e]*";

function integerHeader(
  v: RequestValidator,
  raw: string | null,
  path: string,
  range: { min: number; max: number },
): number | undefined {
  if (raw === null) return undefined;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value)) {
    v.fail(raw, path, "Member must be an integer");
    return undefined;
  }
  return v.number(value, path, range);
}

/** Handles `InvokeEndpointAsync` for the endpoint named in the path. */
export async function InvokeEndpointAsync(
  request: AwsRequest,
  context: EmulatorContext,
  endpointName: string,
): Promise<Response> {
  const h = request.headers;
  const v = new RequestValidator();
  validateEndpointName(v, endpointName);
  const inputLocation = v.string(
    h.get("x-amzn-sagemaker-inputlocation") ?? undefined,
    "inputLocation",
    { min: 1, max: 1024, pattern: S3_URI_PATTERN },
  );
  const contentType = v.string(h.get("x-amzn-sagemaker-content-type") ?? undefined, "contentType", {
    max: 1024,
    pattern: ASCII,
  });
  const accept = v.string(h.get("x-amzn-sagemaker-accept") ?? undefined, "accept", {
    max: 1024,
    pattern: ASCII,
  });
  const customAttributes = v.string(
    h.get("x-amzn-sagemaker-custom-attributes") ?? undefined,
    "customAttributes",
    CUSTOM_ATTRIBUTES_RULE,
  );
  const inferenceIdHeader = v.string(
    h.get("x-amzn-sagemaker-inference-id") ?? undefined,
    "inferenceId",
    { min: 1, max: 64, pattern: PRINTABLE_ID },
  );
  const ttl = integerHeader(v, h.get("x-amzn-sagemaker-requestttlseconds"), "requestTTLSeconds", {
    min: 60,
    max: 21_600,
  });
  const timeout = integerHeader(
    v,
    h.get("x-amzn-sagemaker-invocationtimeoutseconds"),
    "invocationTimeoutSeconds",
    { min: 1, max: 3600 },
  );
  const extension = v.string(
    h.get("x-amzn-sagemaker-s3outputpathextension") ?? undefined,
    "s3OutputPathExtension",
    { min: 1, max: 1024, pattern: "[A-Za-z0-9!_.*'()/-]+" },
  );
  const filename = v.string(h.get("x-amzn-sagemaker-filename") ?? undefined, "filename", {
    min: 1,
    max: 1024,
    pattern: "[A-Za-z0-9!_.*'()-]+",
  });
  const body = request.body;
  v.blob(body, "body", { max: MAX_INLINE_ASYNC_BODY_BYTES });
  if (inputLocation === undefined && body.length === 0) {
    v.fail(undefined, "inputLocation", "Member must not be null");
  }
  v.throwIfInvalid("ValidationError");
  if (inputLocation !== undefined && body.length > 0) {
    throw new AwsError(
      "ValidationError",
      "InputLocation and Body cannot both be provided: send the payload inline or in S3, not both.",
    );
  }
  const backend = sageMakerBackend(context);
  const endpoint = servingEndpoint(backend, { name: endpointName, kind: "async" });
  const config = endpoint.asyncConfig!;
  const inferenceId = inferenceIdHeader ?? context.newId();
  const locations = resultLocations({
    inferenceId,
    s3OutputPath: config.s3OutputPath,
    s3FailurePath: config.s3FailurePath,
    outputPathExtension: extension,
    filename,
  });
  const id = context.newId();
  const inline = body.length > 0 ? body : undefined;
  const record: AsyncRequestRecord = {
    id,
    inferenceId,
    endpointName: endpoint.name,
    acceptedAt: context.clock.now(),
    inputLocation,
    inlineBlobId: inline ? `${ASYNC_INPUT_BLOB_PREFIX}${id}` : undefined,
    contentType,
    accept,
    customAttributes,
    requestTtlSeconds: ttl ?? DEFAULT_REQUEST_TTL_SECONDS,
    invocationTimeoutSeconds: timeout ?? DEFAULT_INVOCATION_TIMEOUT_SECONDS,
    outputLocation: locations.outputLocation,
    failureLocation: locations.failureLocation,
    failureWriteLocation: locations.failureWriteLocation,
    startedAt: undefined,
  };
  await backend.queue.accept(record, inline);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-amzn-requestid": request.requestId,
    "x-amzn-sagemaker-outputlocation": locations.outputLocation,
  };
  if (locations.failureLocation !== undefined) {
    headers["x-amzn-sagemaker-failurelocation"] = locations.failureLocation;
  }
  return new Response(JSON.stringify({ InferenceId: inferenceId }), { status: 202, headers });
}
