/**
 * S3's error rendering: `<Error><Code>..</Code><Message>..</Message>...`
 * with `x-amz-request-id`; HEAD errors carry only the status.
 *
 * @module
 */
import type { AwsError } from "../errors.ts";
import { toXml } from "./xml.ts";

/** Renders an error the way S3 does. */
export function s3ErrorResponse(
  error: AwsError,
  requestId: string,
  method: string,
): Response {
  const headers: Record<string, string> = {
    "x-amz-request-id": requestId,
    "x-amz-id-2": requestId,
    ...error.headers,
  };
  if (method === "HEAD") {
    return new Response(null, { status: error.status, headers });
  }
  headers["content-type"] = "application/xml";
  const body = toXml("Error", {
    Code: error.code,
    Message: error.message,
    ...error.fields,
    RequestId: requestId,
    HostId: requestId,
  });
  return new Response(body, { status: error.status, headers });
}
