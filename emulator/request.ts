/**
 * The request as every service handler sees it: the raw path (never
 * normalised, S3 keys depend on it), the query, the buffered body and who
 * signed it.
 *
 * @module
 */

/** One HTTP request, routed to a service. */
export interface AwsRequest {
  /** The original Fetch request (its body is already consumed into `body`). */
  readonly request: Request;
  /** HTTP method, upper case. */
  readonly method: string;
  /** Path exactly as sent, still percent-encoded, without the query. */
  readonly rawPath: string;
  /** Query string without `?`, exactly as sent. */
  readonly rawQuery: string;
  /** Decoded query parameters. */
  readonly query: URLSearchParams;
  /** Request headers. */
  readonly headers: Headers;
  /** The whole body (aws-chunked framing, if any, is still in place). */
  readonly body: Uint8Array;
  /** SigV4 service name from the credential scope, or inferred when unsigned. */
  readonly service: string;
  /** Region from the credential scope, or the emulator's region when unsigned. */
  readonly region: string;
  /** The access key that signed the request, if it was signed. */
  readonly accessKeyId: string | undefined;
  /** The id echoed in `x-amzn-requestid` / `x-amz-request-id`. */
  readonly requestId: string;
}

/** A handler for one service: request in, response out. */
export type ServiceHandler = (request: AwsRequest) => Promise<Response>;

const decoder = new TextDecoder();

/** Decodes a body as UTF-8 text. */
export function bodyText(request: AwsRequest): string {
  return decoder.decode(request.body);
}
