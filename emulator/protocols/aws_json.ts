/**
 * awsJson 1.0 / 1.1 services (SageMaker, Application Auto Scaling,
 * CloudWatch): `POST /` with `X-Amz-Target: <Prefix>.<Operation>` and a JSON
 * body; results as JSON with `Date` values rendered as epoch seconds.
 *
 * @module
 */
import { AwsError, toAwsError } from "../errors.ts";
import type { AwsRequest, ServiceHandler } from "../request.ts";

/** One operation: parsed JSON input in, JSON-able result out. */
export type JsonOperation = (
  // deno-lint-ignore no-explicit-any
  input: any,
  request: AwsRequest,
) => unknown | Promise<unknown>;

/** Options for {@linkcode awsJsonService}. */
export interface AwsJsonServiceOptions {
  /** `X-Amz-Target` prefix without the dot, e.g. `SageMaker`. */
  targetPrefix: string;
  /** awsJson protocol version. */
  version: "1.0" | "1.1";
  /** Operations by name. */
  operations: Record<string, JsonOperation>;
  /** The member name the service uses for the message (`message` or `Message`). */
  messageKey?: "message" | "Message";
  /** awsQueryCompatible (CloudWatch): also send `x-amzn-query-error`. */
  queryCompatible?: boolean;
  /** Error code for an unknown operation. Default `UnknownOperationException`. */
  unknownOperationCode?: string;
}

/** Serialises a result: `Date` -> epoch seconds, `undefined` members dropped. */
export function jsonStringify(value: unknown): string {
  return JSON.stringify(
    value,
    function (this: Record<string, unknown>, key, v) {
      const raw = this[key];
      return raw instanceof Date ? raw.getTime() / 1000 : v;
    },
  );
}

/** Builds the handler for an awsJson service. */
export function awsJsonService(options: AwsJsonServiceOptions): ServiceHandler {
  const contentType = `application/x-amz-json-${options.version}`;
  const messageKey = options.messageKey ?? "message";
  const prefix = `${options.targetPrefix}.`;

  const renderError = (error: AwsError, requestId: string): Response => {
    const body: Record<string, string> = {
      __type: error.code,
      [messageKey]: error.message,
      ...error.fields,
    };
    const headers: Record<string, string> = {
      "content-type": contentType,
      "x-amzn-requestid": requestId,
      ...error.headers,
    };
    if (options.queryCompatible) {
      headers["x-amzn-query-error"] = `${error.queryCode ?? error.code};${error.fault}`;
    }
    return new Response(JSON.stringify(body), {
      status: error.status,
      headers,
    });
  };

  return async (request) => {
    try {
      const target = request.headers.get("x-amz-target") ?? "";
      const operationName = target.startsWith(prefix) ? target.slice(prefix.length) : "";
      const operation = Object.hasOwn(options.operations, operationName)
        ? options.operations[operationName]
        : undefined;
      if (!operation) {
        throw new AwsError(
          options.unknownOperationCode ?? "UnknownOperationException",
          `Unknown operation ${JSON.stringify(target)}`,
        );
      }
      let input: unknown = {};
      if (request.body.length > 0) {
        try {
          input = JSON.parse(new TextDecoder().decode(request.body));
        } catch {
          throw new AwsError(
            "SerializationException",
            "Request body is not valid JSON",
          );
        }
      }
      if (typeof input !== "object" || input === null || Array.isArray(input)) {
        throw new AwsError(
          "SerializationException",
          "Request body must be a JSON object",
        );
      }
      const result = await operation(input, request);
      return new Response(jsonStringify(result ?? {}), {
        status: 200,
        headers: {
          "content-type": contentType,
          "x-amzn-requestid": request.requestId,
        },
      });
    } catch (error) {
      return renderError(
        toAwsError(error, "InternalFailure"),
        request.requestId,
      );
    }
  };
}
