import assert from "node:assert/strict";
import {
  assertAwsRegion,
  assertCapacityRange,
  assertContainerEnvironment,
  assertDurationMs,
  assertHeaderValue,
  assertIamRoleArn,
  assertInferenceId,
  assertInlinePayloadSize,
  assertInstanceType,
  assertIntegerInRange,
  assertInvocationTimeoutSeconds,
  assertKmsKeyId,
  assertNumberInRange,
  assertRequestTtlSeconds,
  assertS3PayloadSize,
  assertSageMakerName,
  assertSnsTopicArn,
  INVOCATION_TIMEOUT_SECONDS,
  MAX_INLINE_PAYLOAD_BYTES,
  MAX_S3_PAYLOAD_BYTES,
  REQUEST_TTL_SECONDS,
} from "../../lib/validation.ts";

/** Asserts `fn` throws exactly `type` with a message containing every one of `parts`. */
function rejects(
  fn: () => unknown,
  type: typeof TypeError | typeof RangeError,
  parts: string[],
): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error && e.constructor === type, `expected ${type.name}, got ${e}`);
    for (const part of parts) {
      assert.ok(e.message.includes(part), `message ${JSON.stringify(e.message)} lacks ${part}`);
    }
    return true;
  });
}

Deno.test("assertSageMakerName() accepts 1-63 letters, digits and inner hyphens", () => {
  for (const name of ["a", "falcon-40b-async", "A1--b2", "x".repeat(63), "a" + "-b".repeat(31)]) {
    assertSageMakerName(name, "endpoint name");
  }
});

Deno.test("assertSageMakerName() rejects bad names with a TypeError naming the value and the pattern", () => {
  for (const name of ["", "x y", "-a", "a-", "a_b", "a.b", "x".repeat(64), "é"]) {
    rejects(() => assertSageMakerName(name, "endpoint name"), TypeError, [
      `Invalid endpoint name ${JSON.stringify(name)}`,
      "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$",
      "1-63",
    ]);
  }
  rejects(() => assertSageMakerName(7, "model name"), TypeError, ["Invalid model name 7"]);
});

Deno.test("assertSageMakerName() rejects a 64-character name even when hyphens make it match the pattern", () => {
  const name = "a" + "-".repeat(62) + "b";
  assert.equal(name.length, 64);
  rejects(() => assertSageMakerName(name, "endpoint name"), TypeError, [JSON.stringify(name)]);
});

Deno.test("assertIntegerInRange() accepts integers within the bounds, inclusive", () => {
  for (const value of [2, 3, 5]) assertIntegerInRange(value, "n", { min: 2, max: 5 });
});

Deno.test("assertIntegerInRange() throws TypeError for non-integers and RangeError outside the bounds", () => {
  const range = { min: 2, max: 5 };
  rejects(() => assertIntegerInRange("3", "n", range), TypeError, ['Invalid n "3"', "integer"]);
  rejects(() => assertIntegerInRange(2.5, "n", range), TypeError, ["Invalid n 2.5", "integer"]);
  rejects(() => assertIntegerInRange(Number.NaN, "n", range), TypeError, ["integer"]);
  rejects(() => assertIntegerInRange(1, "n", range), RangeError, [
    "Invalid n 1",
    "between 2 and 5",
  ]);
  rejects(() => assertIntegerInRange(6, "n", range), RangeError, [
    "Invalid n 6",
    "between 2 and 5",
  ]);
});

Deno.test("assertIntegerInRange() names NaN and Infinity as themselves", () => {
  const range = { min: 0, max: 10 };
  rejects(() => assertIntegerInRange(Number.NaN, "n", range), TypeError, ["Invalid n NaN"]);
  rejects(() => assertIntegerInRange(Infinity, "n", range), TypeError, ["Invalid n Infinity"]);
});

Deno.test("assertNumberInRange() allows fractions and rejects non-finite or out-of-range values", () => {
  const range = { min: 0, max: 1 };
  for (const value of [0, 0.25, 1]) assertNumberInRange(value, "ratio", range);
  rejects(() => assertNumberInRange("0.5", "ratio", range), TypeError, [
    'Invalid ratio "0.5"',
    "finite number",
  ]);
  rejects(() => assertNumberInRange(-0.01, "ratio", range), RangeError, [
    "Invalid ratio -0.01",
    "between 0 and 1",
  ]);
  rejects(() => assertNumberInRange(1.5, "ratio", range), RangeError, ["1.5", "between 0 and 1"]);
  rejects(() => assertNumberInRange(Infinity, "ratio", range), TypeError, ["finite number"]);
  rejects(() => assertNumberInRange(Number.NaN, "ratio", range), TypeError, ["finite number"]);
});

Deno.test("assertNumberInRange() names NaN and Infinity as themselves", () => {
  const range = { min: 0, max: 1 };
  rejects(() => assertNumberInRange(Infinity, "ratio", range), TypeError, [
    "Invalid ratio Infinity",
  ]);
  rejects(() => assertNumberInRange(Number.NaN, "ratio", range), TypeError, ["Invalid ratio NaN"]);
});

Deno.test("assertRequestTtlSeconds() accepts 60..21600 and rejects 59 and 21601 with a RangeError", () => {
  assert.deepEqual(REQUEST_TTL_SECONDS, { min: 60, max: 21_600 });
  assertRequestTtlSeconds(60);
  assertRequestTtlSeconds(21_600);
  rejects(() => assertRequestTtlSeconds(59), RangeError, [
    "requestTtlSeconds 59",
    "between 60 and 21600",
  ]);
  rejects(() => assertRequestTtlSeconds(21_601), RangeError, [
    "requestTtlSeconds 21601",
    "between 60 and 21600",
  ]);
  rejects(() => assertRequestTtlSeconds(60.5), TypeError, ["requestTtlSeconds 60.5", "integer"]);
});

Deno.test("assertInvocationTimeoutSeconds() accepts 1..3600 and rejects 0 and 3601 with a RangeError", () => {
  assert.deepEqual(INVOCATION_TIMEOUT_SECONDS, { min: 1, max: 3_600 });
  assertInvocationTimeoutSeconds(1);
  assertInvocationTimeoutSeconds(3_600);
  rejects(() => assertInvocationTimeoutSeconds(0), RangeError, [
    "invocationTimeoutSeconds 0",
    "between 1 and 3600",
  ]);
  rejects(() => assertInvocationTimeoutSeconds(3_601), RangeError, [
    "invocationTimeoutSeconds 3601",
    "between 1 and 3600",
  ]);
  rejects(() => assertInvocationTimeoutSeconds(undefined), TypeError, ["integer"]);
});

Deno.test("assertInstanceType() accepts ml.<family>.<size> and rejects anything else", () => {
  for (const type of ["ml.g5.12xlarge", "ml.p4d.24xlarge", "ml.inf2.xlarge", "ml.c7i.48xlarge"]) {
    assertInstanceType(type);
  }
  for (const type of ["g5.12xlarge", "ml.g5", "ML.G5.12XLARGE", "ml.g5.12xlarge ", ""]) {
    rejects(() => assertInstanceType(type), TypeError, [
      `Invalid instance type ${JSON.stringify(type)}`,
      "ml.<family>.<size>",
    ]);
  }
});

Deno.test("assertCapacityRange() accepts 0..max and 1..1", () => {
  assertCapacityRange(0, 1);
  assertCapacityRange(1, 1);
  assertCapacityRange(0, 10_000);
});

Deno.test("assertCapacityRange() rejects min > max, max 0, negatives and non-integers", () => {
  rejects(() => assertCapacityRange(3, 2), RangeError, ["minCapacity 3", "<= maxCapacity 2"]);
  rejects(() => assertCapacityRange(0, 0), RangeError, ["maxCapacity 0", "at least 1"]);
  rejects(() => assertCapacityRange(-1, 2), RangeError, ["minCapacity -1"]);
  rejects(() => assertCapacityRange(0, 10_001), RangeError, ["maxCapacity 10001"]);
  rejects(() => assertCapacityRange(0, 1.5), TypeError, ["maxCapacity 1.5", "integer"]);
  rejects(() => assertCapacityRange("0", 1), TypeError, ['minCapacity "0"', "integer"]);
});

Deno.test("assertInferenceId() accepts 1-64 printable ASCII characters", () => {
  for (const id of ["a", "req 1 / batch:7", "x".repeat(64), "~!@#$%^&*()"]) assertInferenceId(id);
});

Deno.test("assertInferenceId() rejects empty, too long, leading space and control characters", () => {
  for (const id of ["", "x".repeat(65), " leading", "\tleading", "a\nb", "a\u007fb"]) {
    rejects(() => assertInferenceId(id), TypeError, [
      `Invalid inferenceId ${JSON.stringify(id)}`,
      "1-64 printable ASCII",
    ]);
  }
  rejects(() => assertInferenceId(12), TypeError, ["Invalid inferenceId 12"]);
});

Deno.test("assertInferenceId() rejects a non-ASCII first character", () => {
  rejects(() => assertInferenceId("é-1"), TypeError, ['Invalid inferenceId "é-1"', "ASCII"]);
});

Deno.test("assertHeaderValue() accepts up to 1024 printable ASCII characters", () => {
  assertHeaderValue("", "customAttributes");
  assertHeaderValue("a=1; b=2", "customAttributes");
  assertHeaderValue("x".repeat(1024), "customAttributes");
});

Deno.test("assertHeaderValue() rejects long, non-ASCII or control-character values", () => {
  for (const value of ["x".repeat(1025), "caf\u00e9", "a\r\nInjected: 1", 5]) {
    rejects(() => assertHeaderValue(value, "customAttributes"), TypeError, [
      `Invalid customAttributes ${JSON.stringify(value)}`,
      "at most 1024 printable ASCII",
    ]);
  }
});

Deno.test("assertInlinePayloadSize() allows 128,000 bytes and rejects one more with a RangeError", () => {
  assert.equal(MAX_INLINE_PAYLOAD_BYTES, 128_000);
  assertInlinePayloadSize(0);
  assertInlinePayloadSize(128_000);
  rejects(() => assertInlinePayloadSize(128_001), RangeError, [
    "128001 bytes",
    "at most 128000 bytes",
    "S3",
  ]);
});

Deno.test("assertS3PayloadSize() allows 1 GB and rejects one byte more with a RangeError", () => {
  assert.equal(MAX_S3_PAYLOAD_BYTES, 1_000_000_000);
  assertS3PayloadSize(1_000_000_000);
  rejects(() => assertS3PayloadSize(1_000_000_001), RangeError, [
    "1000000001 bytes",
    "1 GB",
  ]);
});

Deno.test("assertDurationMs() accepts 0, fractions and Infinity", () => {
  for (const ms of [0, 0.5, 60_000, Infinity]) assertDurationMs(ms, "timeoutMs");
});

Deno.test("assertDurationMs() rejects negatives with RangeError and non-numbers with TypeError", () => {
  rejects(() => assertDurationMs(-1, "timeoutMs"), RangeError, ["Invalid timeoutMs -1", ">= 0"]);
  rejects(() => assertDurationMs(-Infinity, "timeoutMs"), RangeError, ["-Infinity"]);
  rejects(() => assertDurationMs("5s", "timeoutMs"), TypeError, [
    'Invalid timeoutMs "5s"',
    "number of ms",
  ]);
  rejects(() => assertDurationMs(Number.NaN, "timeoutMs"), TypeError, ["number of ms"]);
});

Deno.test("assertDurationMs() names NaN as NaN", () => {
  rejects(() => assertDurationMs(Number.NaN, "timeoutMs"), TypeError, ["Invalid timeoutMs NaN"]);
});

Deno.test("assertAwsRegion() accepts region names and rejects anything else", () => {
  for (const region of ["us-east-1", "eu-central-2", "us-gov-west-1", "ap-southeast-12"]) {
    assertAwsRegion(region);
  }
  for (const region of ["US-EAST-1", "us-east", "useast1", "us-east-123", "", "us_east_1"]) {
    rejects(() => assertAwsRegion(region), TypeError, [
      `Invalid region ${JSON.stringify(region)}`,
      "AWS region name",
    ]);
  }
  rejects(() => assertAwsRegion(1, "target region"), TypeError, ["Invalid target region 1"]);
});

Deno.test("assertIamRoleArn() accepts role ARNs in any partition, with paths", () => {
  for (
    const arn of [
      "arn:aws:iam::123456789012:role/SageMakerExecution",
      "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20240101T000000",
      "arn:aws-cn:iam::123456789012:role/r",
      "arn:aws-us-gov:iam::123456789012:role/r",
    ]
  ) assertIamRoleArn(arn);
});

Deno.test("assertIamRoleArn() rejects users, short accounts, other services and over-long ARNs", () => {
  const bad = [
    "arn:aws:iam::123456789012:user/alice",
    "arn:aws:iam::12345678901:role/r",
    "arn:aws:sts::123456789012:role/r",
    "SageMakerExecution",
    `arn:aws:iam::123456789012:role/${"r".repeat(2020)}`,
  ];
  for (const arn of bad) {
    rejects(() => assertIamRoleArn(arn), TypeError, [
      `Invalid executionRoleArn ${JSON.stringify(arn)}`,
      "IAM role ARN",
    ]);
  }
});

Deno.test("assertSnsTopicArn() accepts standard and FIFO topics with names up to 256 characters", () => {
  assertSnsTopicArn("arn:aws:sns:us-east-1:123456789012:my-topic", "successTopic");
  assertSnsTopicArn("arn:aws:sns:us-east-1:123456789012:orders.fifo", "successTopic");
  assertSnsTopicArn(`arn:aws:sns:us-east-1:123456789012:${"t".repeat(256)}`, "successTopic");
});

Deno.test("assertSnsTopicArn() rejects other ARNs, long names and bad characters", () => {
  const bad = [
    "arn:aws:sqs:us-east-1:123456789012:queue",
    "arn:aws:sns:us-east-1:123456789012:",
    "arn:aws:sns:us-east-1:123456789012:my.topic",
    "arn:aws:sns:us-east-1:1234:my-topic",
    `arn:aws:sns:us-east-1:123456789012:${"t".repeat(257)}`,
  ];
  for (const arn of bad) {
    rejects(() => assertSnsTopicArn(arn, "errorTopic"), TypeError, [
      `Invalid errorTopic ${JSON.stringify(arn)}`,
      "SNS topic ARN",
    ]);
  }
});

Deno.test("assertKmsKeyId() accepts key ids, aliases and ARNs", () => {
  for (
    const key of [
      "1234abcd-12ab-34cd-56ef-1234567890ab",
      "alias/my_key-1",
      "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      "k".repeat(2048),
    ]
  ) assertKmsKeyId(key);
});

Deno.test("assertKmsKeyId() rejects empty, over-long and badly formed values", () => {
  for (const key of ["", "k".repeat(2049), "my key", "alias/ünicode", null]) {
    rejects(() => assertKmsKeyId(key), TypeError, [
      `Invalid kmsKeyId ${JSON.stringify(key)}`,
      "1-2048 characters",
    ]);
  }
});

Deno.test("assertContainerEnvironment() accepts up to 100 string variables", () => {
  assertContainerEnvironment({});
  assertContainerEnvironment({ HF_MODEL_ID: "tiiuae/falcon-40b", _X1: "", SM_NUM_GPUS: "4" });
  assertContainerEnvironment(
    Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`V${i}`, "x".repeat(1024)])),
  );
});

Deno.test("assertContainerEnvironment() rejects non-objects with a TypeError", () => {
  for (const env of [null, [], "A=1", 3]) {
    rejects(() => assertContainerEnvironment(env), TypeError, [
      `Invalid environment ${JSON.stringify(env)}`,
      "object of strings",
    ]);
  }
});

Deno.test("assertContainerEnvironment() rejects more than 100 variables with a RangeError", () => {
  const env = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`V${i}`, "x"]));
  rejects(() => assertContainerEnvironment(env, "env"), RangeError, [
    "Invalid env: 101 variables",
    "at most 100",
  ]);
});

Deno.test("assertContainerEnvironment() rejects bad names and values, naming the variable", () => {
  rejects(() => assertContainerEnvironment({ "1X": "a" }), TypeError, [
    'variable name "1X"',
    "[a-zA-Z_][a-zA-Z0-9_]*",
  ]);
  rejects(() => assertContainerEnvironment({ "A-B": "a" }), TypeError, ['"A-B"']);
  rejects(() => assertContainerEnvironment({ N: 4 }), TypeError, [
    "value of N 4",
    "string of at most 1024",
  ]);
  rejects(() => assertContainerEnvironment({ LONG: "x".repeat(1025) }), TypeError, [
    "value of LONG",
  ]);
});
