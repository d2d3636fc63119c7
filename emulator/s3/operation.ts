/**
 * What every S3 operation handler receives, and the response helpers they
 * share: S3's request-id headers and XML bodies.
 *
 * @module
 */
import { toXml } from "../protocols/xml.ts";
import type { AwsRequest } from "../request.ts";
import type { S3Store } from "./store.ts";

/** The namespace of S3's XML documents. */
export const S3_XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";

/** One routed S3 request. */
export interface S3Call {
  readonly request: AwsRequest;
  readonly store: S3Store;
  /** Bucket name from the path (`""` for the service root). */
  readonly bucket: string;
  /** Decoded object key from the raw path (`""` for bucket operations). */
  readonly key: string;
  /** The account's canonical user id, for `<Owner>`. */
  readonly ownerId: string;
}

/** An S3 operation handler. */
export type S3Operation = (call: S3Call) => Promise<Response> | Response;

/** The headers every S3 response carries. */
export function s3Headers(request: AwsRequest): Record<string, string> {
  return { "x-amz-request-id": request.requestId, "x-amz-id-2": request.requestId };
}

/** An XML response in S3's namespace, arrays rendered as repeated elements. */
export function s3XmlResponse(
  request: AwsRequest,
  root: string,
  body: unknown,
  extraHeaders: Record<string, string> = {},
): Response {
  return new Response(toXml(root, body, { lists: "flat", attributes: { xmlns: S3_XMLNS } }), {
    status: 200,
    headers: { ...s3Headers(request), "content-type": "application/xml", ...extraHeaders },
  });
}
