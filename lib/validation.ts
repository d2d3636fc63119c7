/**
 * Checks on user input, run before any AWS call. Each throws a built-in
 * `TypeError` (wrong shape) or `RangeError` (out of bounds) whose message
 * names the value and the rule.
 *
 * @module
 */

/** SageMaker resource names: endpoints, configs, models, variants. */
export const SAGEMAKER_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
/** `RequestTTLSeconds` bounds. */
export const REQUEST_TTL_SECONDS = { min: 60, max: 21_600 } as const;
/** `InvocationTimeoutSeconds` bounds. */
export const INVOCATION_TIMEOUT_SECONDS = { min: 1, max: 3_600 } as const;
/** Largest inline `Body` of `InvokeEndpointAsync`, bytes. */
export const MAX_INLINE_PAYLOAD_BYTES = 128_000;
/** Largest async payload read from S3, bytes (1 GB). */
export const MAX_S3_PAYLOAD_BYTES = 1_000_000_000;
/** SageMaker hosting instance types look like `ml.g5.12xlarge`. */
export const INSTANCE_TYPE_PATTERN = /^ml\.[a-z0-9-]+\.[a-z0-9-]+$/;
/** `InferenceId`: 1-64 printable characters, not starting with whitespace. */
export const INFERENCE_ID_PATTERN = /^[\x21-\x7E][\x20-\x7E]{0,63}$/;

/**
 * Checks a SageMaker resource name (1-63 characters, letters, digits and
 * inner hyphens).
 *
 * @example
 * ```ts
 * import { assertSageMakerName } from "@sagemaker-async/toolkit";
 *
 * assertSageMakerName("falcon-40b-async", "endpoint name");
 * try {
 *   assertSageMakerName("x y", "endpoint name");
 *   throw new Error("should have thrown");
 * } catch (e) {
 *   if (!(e instanceof TypeError)) throw e;
 * }
 * ```
 */
export function assertSageMakerName(name: unknown, what: string): asserts name is string {
  if (typeof name !== "string" || name.length > 63 || !SAGEMAKER_NAME_PATTERN.test(name)) {
    throw new TypeError(
      `Invalid ${what} ${
        JSON.stringify(name)
      }: names must match ${SAGEMAKER_NAME_PATTERN.source} ` +
        "(1-63 letters, digits and inner hyphens)",
    );
  }
}

/** Checks that `value` is an integer within `[min, max]`. */
export function assertIntegerInRange(
  value: unknown,
  what: string,
  range: { readonly min: number; readonly max: number },
): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`Invalid ${what} ${show(value)}: must be an integer`);
  }
  if (value < range.min || value > range.max) {
    throw new RangeError(`Invalid ${what} ${value}: must be between ${range.min} and ${range.max}`);
  }
}

/** Checks a finite number within `[min, max]` (fractions allowed). */
export function assertNumberInRange(
  value: unknown,
  what: string,
  range: { readonly min: number; readonly max: number },
): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(`Invalid ${what} ${show(value)}: must be a finite number`);
  }
  if (value < range.min || value > range.max) {
    throw new RangeError(`Invalid ${what} ${value}: must be between ${range.min} and ${range.max}`);
  }
}

/** Checks `RequestTTLSeconds` (60-21600). */
export function assertRequestTtlSeconds(value: unknown): asserts value is number {
  assertIntegerInRange(value, "requestTtlSeconds", REQUEST_TTL_SECONDS);
}

/** Checks `InvocationTimeoutSeconds` (1-3600). */
export function assertInvocationTimeoutSeconds(value: unknown): asserts value is number {
  assertIntegerInRange(value, "invocationTimeoutSeconds", INVOCATION_TIMEOUT_SECONDS);
}

/** Checks a SageMaker hosting instance type such as `ml.g5.12xlarge`. */
export function assertInstanceType(value: unknown): asserts value is string {
  if (typeof value !== "string" || !INSTANCE_TYPE_PATTERN.test(value)) {
    throw new TypeError(
      `Invalid instance type ${
        JSON.stringify(value)
      }: must look like ml.<family>.<size>, e.g. ml.g5.12xlarge`,
    );
  }
}

/** Checks min <= max capacity, both non-negative integers. */
export function assertCapacityRange(min: unknown, max: unknown): void {
  assertIntegerInRange(min, "minCapacity", { min: 0, max: 10_000 });
  assertIntegerInRange(max, "maxCapacity", { min: 0, max: 10_000 });
  if (min > max) {
    throw new RangeError(
      `Invalid capacity range: minCapacity ${min} must be <= maxCapacity ${max}`,
    );
  }
  if (max === 0) {
    throw new RangeError("Invalid maxCapacity 0: must be at least 1 to ever serve a request");
  }
}

/** Checks an `InferenceId` (1-64 printable ASCII characters, no leading space). */
export function assertInferenceId(value: unknown): asserts value is string {
  if (typeof value !== "string" || !INFERENCE_ID_PATTERN.test(value)) {
    throw new TypeError(
      `Invalid inferenceId ${
        JSON.stringify(value)
      }: must be 1-64 printable ASCII characters, not starting with whitespace`,
    );
  }
}

/** Checks an HTTP header value SageMaker accepts (<= 1024 ASCII characters). */
export function assertHeaderValue(value: unknown, what: string): asserts value is string {
  if (typeof value !== "string" || value.length > 1024 || !/^[\x20-\x7E]*$/.test(value)) {
    throw new TypeError(
      `Invalid ${what} ${show(value)}: must be at most 1024 printable ASCII characters`,
    );
  }
}

/** Checks an inline `InvokeEndpointAsync` `Body` size (at most 128,000 bytes). */
export function assertInlinePayloadSize(bytes: number): void {
  if (bytes > MAX_INLINE_PAYLOAD_BYTES) {
    throw new RangeError(
      `Invalid inline payload of ${bytes} bytes: an inline Body is at most ` +
        `${MAX_INLINE_PAYLOAD_BYTES} bytes; upload it to S3 instead`,
    );
  }
}

/** Checks an asynchronous payload stored in S3 (at most 1 GB). */
export function assertS3PayloadSize(bytes: number): void {
  if (bytes > MAX_S3_PAYLOAD_BYTES) {
    throw new RangeError(
      `Invalid payload of ${bytes} bytes: asynchronous inference reads at most ` +
        `${MAX_S3_PAYLOAD_BYTES} bytes (1 GB) from S3`,
    );
  }
}

/** Checks a duration in milliseconds: a number >= 0 (`Infinity` means no limit). */
export function assertDurationMs(value: unknown, what: string): asserts value is number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`Invalid ${what} ${show(value)}: must be a number of ms`);
  }
  if (value < 0) {
    throw new RangeError(`Invalid ${what} ${value}: must be >= 0 ms (Infinity for no limit)`);
  }
}

/** AWS region names such as `us-east-1`, `eu-central-2` or `us-gov-west-1`. */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Checks an AWS region name such as `us-east-1`. */
export function assertAwsRegion(value: unknown, what = "region"): asserts value is string {
  if (typeof value !== "string" || !AWS_REGION_PATTERN.test(value)) {
    throw new TypeError(
      `Invalid ${what} ${show(value)}: must be an AWS region name such as us-east-1`,
    );
  }
}

/** IAM role ARNs as `CreateModel` accepts them for `ExecutionRoleArn`. */
export const IAM_ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;

/** Checks an IAM role ARN (20-2048 characters, `arn:aws:iam::<account>:role/<name>`). */
export function assertIamRoleArn(
  value: unknown,
  what = "executionRoleArn",
): asserts value is string {
  if (
    typeof value !== "string" || value.length < 20 || value.length > 2048 ||
    !IAM_ROLE_ARN_PATTERN.test(value)
  ) {
    throw new TypeError(
      `Invalid ${what} ${
        JSON.stringify(value)
      }: must be an IAM role ARN like arn:aws:iam::123456789012:role/SageMakerExecution`,
    );
  }
}

/** SNS topic ARNs (`arn:aws:sns:<region>:<account>:<name>`). */
export const SNS_TOPIC_ARN_PATTERN =
  /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/** Checks an SNS topic ARN (at most 2048 characters). */
export function assertSnsTopicArn(value: unknown, what: string): asserts value is string {
  if (typeof value !== "string" || value.length > 2048 || !SNS_TOPIC_ARN_PATTERN.test(value)) {
    throw new TypeError(
      `Invalid ${what} ${
        JSON.stringify(value)
      }: must be an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:my-topic`,
    );
  }
}

/** Checks a KMS key id, alias or ARN as `AsyncInferenceOutputConfig.KmsKeyId` takes it. */
export function assertKmsKeyId(value: unknown, what = "kmsKeyId"): asserts value is string {
  if (
    typeof value !== "string" || value.length < 1 || value.length > 2048 ||
    !/^[a-zA-Z0-9:/_-]+$/.test(value)
  ) {
    throw new TypeError(
      `Invalid ${what} ${
        JSON.stringify(value)
      }: must be 1-2048 characters of letters, digits and ":/_-" (a key id, alias or ARN)`,
    );
  }
}

/**
 * Checks a container environment (`ContainerDefinition.Environment`): at most
 * 100 variables, names like `[a-zA-Z_][a-zA-Z0-9_]*` up to 1024 characters,
 * string values up to 1024 characters.
 */
export function assertContainerEnvironment(
  value: unknown,
  what = "environment",
): asserts value is Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`Invalid ${what} ${show(value)}: must be an object of strings`);
  }
  const entries = Object.entries(value);
  if (entries.length > 100) {
    throw new RangeError(`Invalid ${what}: ${entries.length} variables, at most 100 allowed`);
  }
  for (const [name, v] of entries) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) || name.length > 1024) {
      throw new TypeError(
        `Invalid ${what} variable name ${
          JSON.stringify(name)
        }: must match [a-zA-Z_][a-zA-Z0-9_]* (at most 1024 characters)`,
      );
    }
    if (typeof v !== "string" || v.length > 1024) {
      throw new TypeError(
        `Invalid ${what} value of ${name} ${
          JSON.stringify(v)
        }: must be a string of at most 1024 characters`,
      );
    }
  }
}

/** Renders a rejected value for a message: numbers as themselves (`NaN`, `Infinity`), the rest as JSON. */
function show(value: unknown): string {
  return typeof value === "number" || typeof value === "bigint"
    ? String(value)
    : JSON.stringify(value);
}
