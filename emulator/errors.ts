/**
 * The emulator's one AWS error type. Handlers throw it; each protocol
 * renderer (`protocols/`) turns it into the exact status, headers and body
 * the real service sends for that protocol.
 *
 * @module
 */

/** Options for {@linkcode AwsError}. */
export interface AwsErrorOptions {
  /** HTTP status. Default 400. */
  status?: number;
  /** `Sender` (client fault) or `Receiver` (server fault). Default from status. */
  fault?: "Sender" | "Receiver";
  /**
   * Extra fields rendered next to `Code`/`Message` (S3 `<Key>`, `<BucketName>`;
   * JSON members). Values are strings.
   */
  fields?: Record<string, string>;
  /**
   * For CloudWatch's awsQueryCompatible JSON: the query-protocol code sent in
   * `x-amzn-query-error` when it differs from `code` (e.g. shape
   * `InvalidParameterValueException` has query code `InvalidParameterValue`).
   */
  queryCode?: string;
  /** Extra response headers (e.g. `Retry-After`). */
  headers?: Record<string, string>;
}

/** An error as an AWS service reports it. */
export class AwsError extends Error {
  override name = "AwsError";
  /** The error code (`NoSuchKey`, `ValidationException`, ...). */
  readonly code: string;
  /** HTTP status. */
  readonly status: number;
  /** Client or server fault. */
  readonly fault: "Sender" | "Receiver";
  /** Extra rendered fields. */
  readonly fields: Readonly<Record<string, string>>;
  /** Query-protocol code for CloudWatch JSON, if different. */
  readonly queryCode: string | undefined;
  /** Extra response headers. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: string, message: string, options: AwsErrorOptions = {}) {
    super(message);
    this.code = code;
    this.status = options.status ?? 400;
    this.fault = options.fault ?? (this.status >= 500 ? "Receiver" : "Sender");
    this.fields = options.fields ?? {};
    this.queryCode = options.queryCode;
    this.headers = options.headers ?? {};
  }
}

/** Turns anything thrown into an {@linkcode AwsError} (unknown -> 500 InternalFailure). */
export function toAwsError(
  error: unknown,
  internalCode = "InternalFailure",
): AwsError {
  if (error instanceof AwsError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AwsError(internalCode, `Internal error: ${message}`, {
    status: 500,
  });
}
