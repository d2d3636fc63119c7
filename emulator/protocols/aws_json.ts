/**
 * awsJson 1.0 / 1.1 services (SageMaker, Application Auto Scaling,
 * CloudWatch): `POST /` with `X-Amz-Target: <Prefix>.<Operation>` and a JSON
 * body; results as JSON with `Date` values rendered as epoch seconds.
 *
 * @module
 */
import { AwsError, toAwsError } from "../errors.ts";
import { type AwsRequest, bodyText, type ServiceHandler } from "../request.ts";

/** One operation: parsed JSON input in, JSON-able result out. */
export type JsonOperation = (
  // deno-lint-ignore no-explicit-any
  input: any,
  request: AwsRequest,
) => unknown | Promise<unknown>;

/** How an awsJson service renders its errors. */
export interface AwsJsonErrorStyle {
  /** awsJson protocol version. */
  version: "1.0" | "1.1";
  /** The member name the service uses for the message (`message` or `Message`). Default `message`. */
  messageKey?: "message" | "Message";
  /** awsQueryCompatible (CloudWatch): also send `x-amzn-query-error`. */
  queryCompatible?: boolean;
}

/** Options for {@linkcode awsJsonService}. */
export interface AwsJsonServiceOptions extends AwsJsonErrorStyle {
  /** `X-Amz-Target` prefix without the dot, e.g. `SageMaker`. */
  targetPrefix: string;
  /** Operations by name. */
  operations: Record<string, JsonOperation>;
  /** Error code for an unknown operation. Default `UnknownOperationException`. */
  unknownOperationCode?: string;
}

/**
 * Renders an error the way awsJson services do: `__type`, the message and
 * any fields in the body; with awsQueryCompatible, the query code and fault
 * in `x-amzn-query-error`.
 */
export function awsJsonErrorResponse(
  error: AwsError,
  options: AwsJsonErrorStyle & { requestId: string },
): Response {
  const body: Record<string, string> = {
    __type: error.code,
    [options.messageKey ?? "message"]: error.message,
    ...error.fields,
  };
  const headers: Record<string, string> = {
    "content-type": `application/x-amz-json-${options.version}`,
    "x-amzn-requestid": options.requestId,
    ...error.headers,
  };
  if (options.queryCompatible) {
    headers["x-amzn-query-error"] = `${error.queryCode ?? error.code};${error.fault}`;
  }
  return new Response(JSON.stringify(body), { status: error.status, headers });
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
  const prefix = `${options.targetPrefix}.`;

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
          input = JSON.parse(bodyText(request));
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
      return awsJsonErrorResponse(toAwsError(error, "InternalFailure"), {
        ...options,
        requestId: request.requestId,
      });
    }
  };
}
