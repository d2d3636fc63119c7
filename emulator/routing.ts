/**
 * Which service a request is for, on a port that serves them all: the SigV4
 * credential scope names the service; `X-Amz-Target`, the path and the query
 * protocol's `Version` tell the rest (and route unsigned requests).
 *
 * @module
 */
import type { ServiceKey } from "./service.ts";

/** The parts of a SigV4 `Authorization` header (or presigned query). */
export interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  /** Whether the signature came in the query string (presigned URL). */
  readonly presigned: boolean;
}

const AUTH_RE =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)\s*$/;

/**
 * Parses SigV4 credentials from the `Authorization` header or a presigned
 * query. Returns `undefined` for unsigned requests and `null` for a header
 * that is present but malformed.
 */
export function parseAuthorization(
  headers: Headers,
  query: URLSearchParams,
): ParsedAuthorization | undefined | null {
  const header = headers.get("authorization");
  if (header !== null) {
    const m = AUTH_RE.exec(header);
    if (!m) return null;
    return {
      accessKeyId: m[1]!,
      date: m[2]!,
      region: m[3]!,
      service: m[4]!,
      signedHeaders: m[5]!.split(";"),
      signature: m[6]!,
      presigned: false,
    };
  }
  const credential = query.get("X-Amz-Credential");
  if (credential === null) return undefined;
  const parts = credential.split("/");
  const signedHeaders = query.get("X-Amz-SignedHeaders");
  const signature = query.get("X-Amz-Signature");
  if (
    parts.length !== 5 || parts[4] !== "aws4_request" || !signedHeaders ||
    !signature
  ) return null;
  return {
    accessKeyId: parts[0]!,
    date: parts[1]!,
    region: parts[2]!,
    service: parts[3]!,
    signedHeaders: signedHeaders.split(";"),
    signature,
    presigned: true,
  };
}

const TARGET_PREFIXES: ReadonlyArray<[string, ServiceKey]> = [
  ["SageMaker.", "sagemaker"],
  ["AnyScaleFrontendService.", "application-autoscaling"],
  ["GraniteServiceVersion20100801.", "monitoring"],
];

const QUERY_VERSIONS: Readonly<Record<string, ServiceKey>> = {
  "2011-06-15": "sts",
  "2010-03-31": "sns",
  "2010-08-01": "monitoring",
};

/**
 * Picks the service. `signingService` is the credential scope's service, if
 * signed; `formVersion` the query protocol's `Version`, if the body is a form.
 */
export function routeService(
  input: {
    signingService?: string;
    target: string | null;
    rawPath: string;
    formVersion?: string | null;
  },
): ServiceKey | undefined {
  const isRuntimePath = input.rawPath.startsWith("/endpoints/");
  switch (input.signingService) {
    case "s3":
      return "s3";
    case "sagemaker":
      return isRuntimePath ? "sagemaker-runtime" : "sagemaker";
    case "application-autoscaling":
    case "monitoring":
    case "sts":
    case "sns":
      return input.signingService;
    case undefined:
      break;
    default:
      return undefined;
  }
  if (input.target) {
    for (const [prefix, key] of TARGET_PREFIXES) {
      if (input.target.startsWith(prefix)) return key;
    }
    return undefined;
  }
  if (isRuntimePath) return "sagemaker-runtime";
  if (input.formVersion) {
    return Object.hasOwn(QUERY_VERSIONS, input.formVersion)
      ? QUERY_VERSIONS[input.formVersion]
      : undefined;
  }
  return "s3";
}
