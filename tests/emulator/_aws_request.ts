/**
 * An {@linkcode AwsRequest} as the core hands it to a service, for tests that
 * call protocol handlers or the signature verifier directly.
 *
 * @module
 */
import type { AwsRequest } from "../../emulator/request.ts";

/** Options for {@linkcode awsRequest}. */
export interface AwsRequestOptions {
  /** SigV4 service name (`sts`, `s3`, ...). */
  readonly service: string;
  /** Default `POST`. */
  readonly method?: string;
  /** Raw path and query exactly as on the wire. Default `/`. */
  readonly target?: string;
  readonly headers?: HeadersInit;
  readonly body?: string;
  /** Default `AKID`. */
  readonly accessKeyId?: string;
  /** Default `req-1`. */
  readonly requestId?: string;
}

/** Builds the request; the query and raw path are split from `target` as the core splits them. */
export function awsRequest(options: AwsRequestOptions): AwsRequest {
  const target = options.target ?? "/";
  const queryStart = target.indexOf("?");
  const rawPath = queryStart === -1 ? target : target.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? "" : target.slice(queryStart + 1);
  const method = options.method ?? "POST";
  return {
    request: new Request(`http://127.0.0.1:4566${target}`, { method }),
    method,
    rawPath,
    rawQuery,
    query: new URLSearchParams(rawQuery),
    headers: new Headers(options.headers),
    body: new TextEncoder().encode(options.body ?? ""),
    service: options.service,
    region: "us-east-1",
    accessKeyId: options.accessKeyId ?? "AKID",
    requestId: options.requestId ?? "req-1",
  };
}
