/**
 * SigV4 verification. The signature is recomputed with the AWS SDK's own
 * signer pieces (`@smithy/signature-v4`: canonical headers, query, path and
 * string to sign; `@smithy/hash-node` for SHA-256/HMAC) over exactly the
 * headers the client named in `SignedHeaders`, with the request's own
 * `x-amz-date`, and compared with the one sent. Rejections carry the code
 * and status of the service's protocol (S3 XML, query, JSON).
 *
 * Per request the verifier builds one canonical request and computes two
 * hashes; signing keys are derived once per date/region/service and cached.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createHash, timingSafeEqual } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { getCanonicalHeaders, getSigningKey, SignatureV4Base } from "@smithy/signature-v4";
import type { EmulatorConfig } from "../context.ts";
import { AwsError } from "../errors.ts";
import type { AwsRequest } from "../request.ts";
import type { ParsedAuthorization } from "../routing.ts";

/** How a service reports authentication failures. */
export type AuthErrorStyle = "s3" | "query" | "json";

/** The most a request's time may differ from the server's: 15 minutes. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

const ALGORITHM = "AWS4-HMAC-SHA256";
const STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const Sha256 = Hash.bind(null, "sha256");

/**
 * Which error shapes a request gets: S3's XML, the query protocol's
 * (STS, SNS, CloudWatch from form-encoded clients) or the JSON protocols'.
 */
export function authErrorStyle(request: AwsRequest): AuthErrorStyle {
  switch (request.service) {
    case "s3":
      return "s3";
    case "sts":
    case "sns":
      return "query";
    case "monitoring":
      return (request.headers.get("content-type") ?? "").startsWith(
          "application/x-www-form-urlencoded",
        )
        ? "query"
        : "json";
    default:
      return "json";
  }
}

const MISMATCH_MESSAGE = "The request signature we calculated does not match the signature " +
  "you provided. Check your AWS Secret Access Key and signing method. Consult the service " +
  "documentation for details.";
const S3_MISMATCH_MESSAGE = "The request signature we calculated does not match the signature " +
  "you provided. Check your key and signing method.";
const INVALID_TOKEN_MESSAGE = "The security token included in the request is invalid.";

/** The rejection for a request that carries no SigV4 credentials at all. */
export function missingAuthenticationError(request: AwsRequest): AwsError {
  switch (authErrorStyle(request)) {
    case "s3":
      return new AwsError("AccessDenied", "Access Denied", { status: 403 });
    case "query":
      return new AwsError(
        "MissingAuthenticationToken",
        "Request is missing Authentication Token",
        { status: 403 },
      );
    case "json":
      return new AwsError(
        "MissingAuthenticationTokenException",
        "Missing Authentication Token",
        { status: 403 },
      );
  }
}

/** The rejection for an `Authorization` header that is not SigV4 as AWS parses it. */
export function malformedAuthorizationError(request: AwsRequest): AwsError {
  const detail = "Authorization header requires 'Credential', 'SignedHeaders' and " +
    "'Signature' parameters in the form AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/" +
    "<service>/aws4_request, SignedHeaders=<a;b>, Signature=<hex>.";
  switch (authErrorStyle(request)) {
    case "s3":
      return new AwsError(
        "AuthorizationHeaderMalformed",
        `The authorization header is malformed; ${detail}`,
        { status: 400 },
      );
    case "query":
      return new AwsError("IncompleteSignature", detail, { status: 400 });
    case "json":
      return new AwsError("IncompleteSignatureException", detail, { status: 403 });
  }
}

/** Options for {@linkcode createSigV4Verifier}. */
export interface SigV4VerifierOptions {
  /**
   * Real time in epoch ms for the skew check. Default `Date.now`. This is
   * wall-clock time, never emulated time: clients sign with their own clock
   * and correct it from the real `Date` response header.
   */
  now?: () => number;
}

/** Verifies one signed request; returns the rejection, or `undefined` if the signature holds. */
export type SigV4Verifier = (
  request: AwsRequest,
  authorization: ParsedAuthorization,
  config: EmulatorConfig,
) => Promise<AwsError | undefined>;

/**
 * The SDK's canonicalisation with the protected steps made reachable: one
 * instance for S3 (raw path) and one for every other service (normalised,
 * double-encoded path).
 */
class Canonicalizer extends SignatureV4Base {
  constructor(uriEscapePath: boolean) {
    super({
      service: "emulator",
      region: "emulator",
      credentials: { accessKeyId: "", secretAccessKey: "" },
      sha256: Sha256,
      uriEscapePath,
      applyChecksum: false,
    });
  }

  canonicalRequest(
    method: string,
    path: string,
    query: Record<string, string | string[]>,
    canonicalHeaders: Record<string, string>,
    payloadHash: string,
  ): string {
    return this.createCanonicalRequest(
      // Only these fields are read by the canonicalisation.
      { method, path, query, headers: {}, protocol: "http:", hostname: "" } as never,
      canonicalHeaders,
      payloadHash,
    );
  }

  stringToSign(longDate: string, scope: string, canonicalRequest: string): Promise<string> {
    return this.createStringToSign(longDate, scope, canonicalRequest, ALGORITHM);
  }
}

const s3Canonicalizer = new Canonicalizer(false);
const defaultCanonicalizer = new Canonicalizer(true);

/** Splits a raw query into decoded parameters the way SigV4 canonicalises them. */
function signingQuery(rawQuery: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  if (rawQuery === "") return query;
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = decodeLoosely(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? "" : decodeLoosely(part.slice(eq + 1));
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[key] = [existing, value];
  }
  return query;
}

function decodeLoosely(text: string): string {
  if (!text.includes("%")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function parseAmzDate(text: string | null): number | undefined {
  const m = text === null ? null : AMZ_DATE.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * A `Date` header (SigV4 accepts it in place of `x-amz-date`) in `x-amz-date`
 * form; an unparseable one as sent, so the rejection quotes it.
 */
function httpDateAsAmzDate(header: string | null): string {
  if (header === null) return "";
  const ms = Date.parse(header);
  return Number.isNaN(ms) ? header : amzDate(ms);
}

function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** Constant-time comparison of two hex signatures. */
function sameText(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * Creates the verifier the core uses when `auth` is on.
 *
 * @example A request signed with the SDK's signer passes; a wrong secret does not
 * ```ts
 * import { SignatureV4 } from "@smithy/signature-v4";
 * import { Hash } from "@smithy/hash-node";
 * import { createEmulator, ManualEmulatorClock } from "@sagemaker-async/toolkit/emulator";
 *
 * const emulator = await createEmulator({ clock: new ManualEmulatorClock() });
 * const { credentials } = emulator.context.config;
 * const send = async (secretAccessKey: string) => {
 *   const signer = new SignatureV4({
 *     service: "sts", region: "us-east-1", sha256: Hash.bind(null, "sha256"),
 *     credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey },
 *   });
 *   const body = "Action=GetCallerIdentity&Version=2011-06-15";
 *   const signed = await signer.sign({
 *     method: "POST", protocol: "http:", hostname: "127.0.0.1", path: "/", query: {}, body,
 *     headers: { host: "127.0.0.1", "content-type": "application/x-www-form-urlencoded" },
 *   });
 *   const response = await emulator.fetch(
 *     new Request("http://127.0.0.1/", { method: "POST", headers: signed.headers, body }),
 *   );
 *   await response.body?.cancel();
 *   return response.status;
 * };
 * if (await send(credentials.secretAccessKey) !== 200) throw new Error("rejected a good signature");
 * if (await send("wrong") !== 403) throw new Error("accepted a wrong secret");
 * await emulator.close();
 * ```
 */
export function createSigV4Verifier(options: SigV4VerifierOptions = {}): SigV4Verifier {
  const now = options.now ?? Date.now;
  const keys = new Map<string, Promise<Uint8Array>>();

  const signingKey = (
    config: EmulatorConfig,
    date: string,
    region: string,
    service: string,
  ): Promise<Uint8Array> => {
    const cacheKey = `${config.credentials.secretAccessKey}\n${date}/${region}/${service}`;
    let key = keys.get(cacheKey);
    if (!key) {
      if (keys.size >= 256) keys.clear();
      key = getSigningKey(Sha256, config.credentials, date, region, service);
      keys.set(cacheKey, key);
    }
    return key;
  };

  return async (request, authorization, config) => {
    const style = authErrorStyle(request);
    if (authorization.accessKeyId !== config.credentials.accessKeyId) {
      return unknownKeyError(style, authorization.accessKeyId);
    }
    const headers = request.headers;
    let longDate: string;
    let expiresMs: number | undefined;
    if (authorization.presigned) {
      longDate = request.query.get("X-Amz-Date") ?? "";
      const expires = Number(request.query.get("X-Amz-Expires") ?? "");
      if (!Number.isInteger(expires) || expires < 1 || expires > 604_800) {
        return new AwsError(
          style === "s3" ? "AuthorizationQueryParametersError" : "InvalidParameterValue",
          `X-Amz-Expires must be an integer from 1 to 604800 seconds; got ${
            JSON.stringify(request.query.get("X-Amz-Expires"))
          }`,
          { status: 400 },
        );
      }
      expiresMs = expires * 1000;
    } else {
      longDate = headers.get("x-amz-date") ?? httpDateAsAmzDate(headers.get("date"));
    }
    const signedAt = parseAmzDate(longDate);
    if (signedAt === undefined) {
      return mismatchError(style, {
        accessKeyId: authorization.accessKeyId,
        message: `Invalid or missing x-amz-date (or Date) ${
          JSON.stringify(longDate)
        }: expected YYYYMMDDTHHMMSSZ`,
      });
    }
    const serverTime = now();
    const skewError = expiresMs === undefined
      ? checkSkew(style, signedAt, serverTime)
      : checkExpiry(style, signedAt, expiresMs, serverTime);
    if (skewError) return skewError;
    if (longDate.slice(0, 8) !== authorization.date) {
      return mismatchError(style, {
        accessKeyId: authorization.accessKeyId,
        message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of ` +
          `date from HTTP: '${authorization.date}' != '${longDate.slice(0, 8)}'`,
      });
    }

    const signedHeaders: Record<string, string> = {};
    for (const name of authorization.signedHeaders) {
      const value = headers.get(name);
      if (value === null) {
        return mismatchError(style, {
          accessKeyId: authorization.accessKeyId,
          message: `The header ${JSON.stringify(name)} is listed in SignedHeaders but was not sent`,
        });
      }
      signedHeaders[name] = value;
    }
    const canonicalHeaders = getCanonicalHeaders(
      { headers: signedHeaders } as never,
      undefined,
      new Set(authorization.signedHeaders),
    ) as Record<string, string>;

    const isS3 = request.service === "s3";
    const payloadHash = payloadHashOf(request, isS3, authorization.presigned);
    if (payloadHash instanceof AwsError) return payloadHash;
    const query = signingQuery(request.rawQuery);
    const canonicalizer = isS3 ? s3Canonicalizer : defaultCanonicalizer;
    const canonicalRequest = canonicalizer.canonicalRequest(
      request.method,
      request.rawPath,
      query,
      canonicalHeaders,
      payloadHash,
    );
    const scope =
      `${authorization.date}/${authorization.region}/${authorization.service}/aws4_request`;
    const stringToSign = await canonicalizer.stringToSign(longDate, scope, canonicalRequest);
    const hmac = new Sha256(
      await signingKey(config, authorization.date, authorization.region, authorization.service),
    );
    hmac.update(stringToSign);
    const expected = hex(await hmac.digest());
    if (sameText(expected, authorization.signature)) return undefined;
    return mismatchError(style, {
      accessKeyId: authorization.accessKeyId,
      signatureProvided: authorization.signature,
      stringToSign,
      canonicalRequest,
    });
  };
}

/**
 * The payload hash the client signed: S3 takes `x-amz-content-sha256` as
 * sent (a hex hash, `UNSIGNED-PAYLOAD` or a streaming marker; presigned S3
 * URLs sign `UNSIGNED-PAYLOAD`); other services sign the body's SHA-256.
 * A hex value that does not match the body is rejected either way.
 */
function payloadHashOf(
  request: AwsRequest,
  isS3: boolean,
  presigned: boolean,
): string | AwsError {
  const declared = request.headers.get("x-amz-content-sha256");
  if (isS3 && declared === null) {
    return presigned
      ? request.query.get("X-Amz-Content-Sha256") ?? "UNSIGNED-PAYLOAD"
      : bodyHash(request.body);
  }
  if (isS3 && declared === STREAMING_SIGNED) {
    return new AwsError(
      "NotImplemented",
      `x-amz-content-sha256 ${STREAMING_SIGNED} (per-chunk signatures) is not supported by ` +
        "this emulator; send STREAMING-UNSIGNED-PAYLOAD-TRAILER, UNSIGNED-PAYLOAD or a hex SHA-256",
      { status: 501 },
    );
  }
  if (isS3 && declared !== null && !HEX_SHA256.test(declared)) return declared;
  const actual = bodyHash(request.body);
  if (declared !== null && HEX_SHA256.test(declared) && declared !== actual) {
    return isS3
      ? new AwsError(
        "XAmzContentSHA256Mismatch",
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        {
          status: 400,
          fields: { ClientComputedContentSHA256: declared, S3ComputedContentSHA256: actual },
        },
      )
      : new AwsError(
        request.service === "sts" || request.service === "sns"
          ? "SignatureDoesNotMatch"
          : "InvalidSignatureException",
        "The provided 'x-amz-content-sha256' header does not match the request body",
        { status: 403 },
      );
  }
  return actual;
}

const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

function bodyHash(body: Uint8Array): string {
  if (body.length === 0) return EMPTY_SHA256;
  return createHash("sha256").update(body).digest("hex");
}

function unknownKeyError(style: AuthErrorStyle, accessKeyId: string): AwsError {
  switch (style) {
    case "s3":
      return new AwsError(
        "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records.",
        { status: 403, fields: { AWSAccessKeyId: accessKeyId } },
      );
    case "query":
      return new AwsError("InvalidClientTokenId", INVALID_TOKEN_MESSAGE, { status: 403 });
    case "json":
      return new AwsError("UnrecognizedClientException", INVALID_TOKEN_MESSAGE, { status: 403 });
  }
}

function mismatchError(
  style: AuthErrorStyle,
  detail: {
    accessKeyId: string;
    message?: string;
    signatureProvided?: string;
    stringToSign?: string;
    canonicalRequest?: string;
  },
): AwsError {
  if (style === "s3") {
    const fields: Record<string, string> = { AWSAccessKeyId: detail.accessKeyId };
    if (detail.stringToSign !== undefined) fields.StringToSign = detail.stringToSign;
    if (detail.signatureProvided !== undefined) {
      fields.SignatureProvided = detail.signatureProvided;
    }
    if (detail.canonicalRequest !== undefined) fields.CanonicalRequest = detail.canonicalRequest;
    return new AwsError("SignatureDoesNotMatch", detail.message ?? S3_MISMATCH_MESSAGE, {
      status: 403,
      fields,
    });
  }
  const code = style === "query" ? "SignatureDoesNotMatch" : "InvalidSignatureException";
  const message = detail.message ??
    (detail.canonicalRequest === undefined ? MISMATCH_MESSAGE : `${MISMATCH_MESSAGE}\n\n` +
      `The Canonical String for this request should have been\n'${detail.canonicalRequest}'\n\n` +
      `The String-to-Sign should have been\n'${detail.stringToSign}'\n`);
  return new AwsError(code, message, { status: 403 });
}

function checkSkew(
  style: AuthErrorStyle,
  signedAt: number,
  serverTime: number,
): AwsError | undefined {
  const skew = signedAt - serverTime;
  if (Math.abs(skew) <= MAX_CLOCK_SKEW_MS) return undefined;
  if (style === "s3") {
    return new AwsError(
      "RequestTimeTooSkewed",
      "The difference between the request time and the current time is too large.",
      {
        status: 403,
        fields: {
          RequestTime: new Date(signedAt).toUTCString(),
          ServerTime: new Date(serverTime).toISOString(),
          MaxAllowedSkewMilliseconds: String(MAX_CLOCK_SKEW_MS),
        },
      },
    );
  }
  const code = style === "query" ? "SignatureDoesNotMatch" : "InvalidSignatureException";
  const message = skew < 0
    ? `Signature expired: ${amzDate(signedAt)} is now earlier than ${
      amzDate(serverTime - MAX_CLOCK_SKEW_MS)
    } (${amzDate(serverTime)} - 15 min.)`
    : `Signature not yet current: ${amzDate(signedAt)} is still later than ${
      amzDate(serverTime + MAX_CLOCK_SKEW_MS)
    } (${amzDate(serverTime)} + 15 min.)`;
  return new AwsError(code, message, { status: 403 });
}

function checkExpiry(
  style: AuthErrorStyle,
  signedAt: number,
  expiresMs: number,
  serverTime: number,
): AwsError | undefined {
  if (signedAt - serverTime > MAX_CLOCK_SKEW_MS) return checkSkew(style, signedAt, serverTime);
  if (serverTime <= signedAt + expiresMs) return undefined;
  if (style === "s3") {
    return new AwsError("AccessDenied", "Request has expired", {
      status: 403,
      fields: {
        "X-Amz-Expires": String(expiresMs / 1000),
        Expires: new Date(signedAt + expiresMs).toISOString(),
        ServerTime: new Date(serverTime).toISOString(),
      },
    });
  }
  return new AwsError(
    style === "query" ? "SignatureDoesNotMatch" : "InvalidSignatureException",
    `Signature expired: ${amzDate(signedAt + expiresMs)} is now earlier than ${
      amzDate(serverTime)
    } (X-Amz-Date + X-Amz-Expires)`,
    { status: 403 },
  );
}
