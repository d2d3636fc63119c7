/**
 * restJson1 error rendering (SageMaker Runtime): the code in
 * `x-amzn-errortype`, the message in the JSON body.
 *
 * @module
 */
import type { AwsError } from "../errors.ts";

/** Renders an error the way restJson1 services do. */
export function restJsonErrorResponse(
  error: AwsError,
  requestId: string,
): Response {
  return new Response(
    JSON.stringify({ message: error.message, ...error.fields }),
    {
      status: error.status,
      headers: {
        "content-type": "application/json",
        "x-amzn-errortype": error.code,
        "x-amzn-requestid": requestId,
        ...error.headers,
      },
    },
  );
}
