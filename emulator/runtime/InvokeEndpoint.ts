/**
 * SageMaker Runtime `InvokeEndpoint` (`POST /endpoints/<name>/invocations`)
 * for real-time endpoints: the body goes to a variant's container (by
 * `X-Amzn-SageMaker-Target-Variant` or by weight) and its answer comes back
 * with `x-Amzn-Invoked-Production-Variant`. A container 4xx/5xx becomes
 * `ModelError` (424) with `OriginalStatusCode`, `OriginalMessage` and
 * `LogStreamArn`; no answer within 60 s of emulated time is a `ModelError`
 * too. Asynchronous endpoints reject real-time calls with `ValidationError`.
 *
 * @module
 */
import type { EmulatorContext } from "../context.ts";
import { AwsError } from "../errors.ts";
import type { AwsRequest } from "../request.ts";
import { ENDPOINT_NAME_PATTERN, RequestValidator } from "../sagemaker/validation.ts";
import {
  CUSTOM_ATTRIBUTES_RULE,
  sageMakerBackend,
  servingEndpoint,
  validateEndpointName,
} from "./endpoint_access.ts";

/** Largest real-time payload (6 MB). */
export const MAX_REALTIME_BODY_BYTES = 6 * 1024 * 1024;
/** How long a real-time invocation may take. */
export const REALTIME_TIMEOUT_MS = 60_000;

function modelError(
  context: EmulatorContext,
  requestId: string,
  endpointName: string,
  details: { status: number; message: string; original: string },
): Response {
  const { region, accountId } = context.config;
  return new Response(
    JSON.stringify({
      message: details.message,
      OriginalStatusCode: details.status,
      OriginalMessage: details.original,
      LogStreamArn:
        `arn:aws:logs:${region}:${accountId}:log-group:/aws/sagemaker/Endpoints/${endpointName}`,
    }),
    {
      status: 424,
      headers: {
        "content-type": "application/json",
        "x-amzn-errortype": "ModelError",
        "x-amzn-requestid": requestId,
      },
    },
  );
}

function timedOut(context: EmulatorContext, requestId: string, endpointName: string): Response {
  return modelError(context, requestId, endpointName, {
    status: 0,
    original: "",
    message:
      "Your invocation timed out while waiting for a response from container primary. Review the latency metrics for each container in Amazon CloudWatch, resolve the issue, and try again.",
  });
}

/** Handles `InvokeEndpoint` for the endpoint named in the path. */
export async function InvokeEndpoint(
  request: AwsRequest,
  context: EmulatorContext,
  endpointName: string,
): Promise<Response> {
  const h = request.headers;
  const v = new RequestValidator();
  validateEndpointName(v, endpointName);
  const customAttributes = v.string(
    h.get("x-amzn-sagemaker-custom-attributes") ?? undefined,
    "customAttributes",
    CUSTOM_ATTRIBUTES_RULE,
  );
  const targetVariant = v.string(
    h.get("x-amzn-sagemaker-target-variant") ?? undefined,
    "targetVariant",
    { max: 63, pattern: ENDPOINT_NAME_PATTERN },
  );
  v.blob(request.body, "body", { max: MAX_REALTIME_BODY_BYTES });
  v.throwIfInvalid("ValidationError");
  const backend = sageMakerBackend(context);
  const endpoint = servingEndpoint(backend, { name: endpointName, kind: "realtime" });
  const slot = backend.lifecycle.acquireRealtime(endpoint.name, targetVariant);
  if (!slot) {
    throw new AwsError(
      "ServiceUnavailable",
      `No instance of endpoint ${endpoint.name} is in service.`,
      { status: 503 },
    );
  }
  const abort = new AbortController();
  const timer = context.clock.schedule(
    context.clock.now() + REALTIME_TIMEOUT_MS,
    () => abort.abort(new Error("timeout")),
  );
  try {
    let response;
    try {
      response = await slot.container.invoke({
        body: request.body,
        contentType: h.get("content-type") ?? "application/octet-stream",
        accept: h.get("accept") ?? undefined,
        customAttributes,
        signal: abort.signal,
      });
    } catch (error) {
      if (abort.signal.aborted) return timedOut(context, request.requestId, endpoint.name);
      const text = error instanceof Error ? error.message : String(error);
      return modelError(context, request.requestId, endpoint.name, {
        status: 0,
        original: text,
        message: `Received server error (0) from primary with message "${text}".`,
      });
    }
    if ((response.durationMs ?? 0) > 0) {
      try {
        await context.clock.sleep(response.durationMs!, abort.signal);
      } catch {
        return timedOut(context, request.requestId, endpoint.name);
      }
    }
    if (response.status < 200 || response.status >= 300) {
      const original = new TextDecoder().decode(response.body);
      const kind = response.status < 500 ? "client" : "server";
      const { region, accountId } = context.config;
      return modelError(context, request.requestId, endpoint.name, {
        status: response.status,
        original,
        message:
          `Received ${kind} error (${response.status}) from primary with message "${original}". See https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logEventViewer:group=/aws/sagemaker/Endpoints/${endpoint.name} in account ${accountId} for more information.`,
      });
    }
    const headers: Record<string, string> = {
      "content-type": response.contentType,
      "x-amzn-invoked-production-variant": slot.variantName,
      "x-amzn-requestid": request.requestId,
    };
    if (response.customAttributes !== undefined) {
      headers["x-amzn-sagemaker-custom-attributes"] = response.customAttributes;
    }
    return new Response(response.body as Uint8Array<ArrayBuffer>, { status: 200, headers });
  } finally {
    timer.cancel();
    slot.release();
  }
}
