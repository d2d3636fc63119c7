import assert from "node:assert/strict";
import type { AwsError } from "../../../emulator/errors.ts";
import {
  optionalString,
  pageStart,
  pageToken,
  requiredString,
  stringMap,
} from "../../../emulator/sns/parameters.ts";

function thrown(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (error) {
    return error as AwsError;
  }
  assert.fail("expected a throw");
}

Deno.test("a missing required parameter is SNS's ValidationError naming the member in camel case", () => {
  const error = thrown(() => requiredString({}, "TopicArn"));
  assert.equal(error.code, "ValidationError");
  assert.equal(
    error.message,
    "1 validation error detected: Value null at 'topicArn' failed to satisfy constraint: " +
      "Member must not be null",
  );
  assert.equal(requiredString({ TopicArn: "arn" }, "TopicArn"), "arn");
});

Deno.test("a parameter that is not a string is InvalidParameter naming it", () => {
  const error = thrown(() => optionalString({ Subject: ["a"] }, "Subject"));
  assert.equal(error.code, "InvalidParameter");
  assert.equal(error.message, "Invalid parameter: Subject");
  assert.equal(optionalString({}, "Subject"), undefined);
});

Deno.test("stringMap reads entry maps; an empty value is an empty map; non-strings are rejected", () => {
  assert.deepEqual(stringMap({ Attributes: { RawMessageDelivery: "true" } }, "Attributes"), {
    RawMessageDelivery: "true",
  });
  assert.deepEqual(stringMap({ Attributes: "" }, "Attributes"), {});
  assert.equal(
    thrown(() => stringMap({ Attributes: { A: ["x"] } }, "Attributes")).message,
    "Invalid parameter: Attributes",
  );
});

Deno.test("page tokens round-trip and a malformed NextToken is InvalidParameter", () => {
  assert.equal(pageStart(undefined), 0);
  assert.equal(pageStart(pageToken(100, 101)), 100);
  assert.equal(pageToken(101, 101), undefined);
  assert.equal(thrown(() => pageStart("x")).message, "Invalid parameter: NextToken");
});
