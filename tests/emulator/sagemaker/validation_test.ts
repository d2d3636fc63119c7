import assert from "node:assert/strict";
import { AwsError } from "../../../emulator/errors.ts";
import {
  ENDPOINT_NAME_PATTERN,
  endpointNotFound,
  RequestValidator,
} from "../../../emulator/sagemaker/validation.ts";

function thrown(fn: () => void): AwsError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AwsError);
    return error;
  }
  throw new Error("did not throw");
}

Deno.test("RequestValidator collects violations into one message with AWS's counting", () => {
  const v = new RequestValidator();
  v.string(undefined, "endpointName", { required: true });
  v.string("x".repeat(64), "endpointConfigName", { max: 63 });
  const error = thrown(() => v.throwIfInvalid());
  assert.equal(error.code, "ValidationException");
  assert.equal(error.status, 400);
  assert.equal(
    error.message,
    "2 validation errors detected: Value null at 'endpointName' failed to satisfy constraint: Member must not be null; " +
      `Value '${
        "x".repeat(64)
      }' at 'endpointConfigName' failed to satisfy constraint: Member must have length less than or equal to 63`,
  );
});

Deno.test("patterns must match the whole value", () => {
  const v = new RequestValidator();
  v.string("ok-name-", "endpointName", { pattern: ENDPOINT_NAME_PATTERN });
  assert.match(
    thrown(() => v.throwIfInvalid()).message,
    /^1 validation error detected: Value 'ok-name-'/,
  );
  const fine = new RequestValidator();
  fine.string("ok--name", "endpointName", { pattern: ENDPOINT_NAME_PATTERN });
  fine.throwIfInvalid();
});

Deno.test("numbers, enums, lists and maps are checked; wrong JSON types are SerializationException", () => {
  const v = new RequestValidator();
  v.number(0, "count", { min: 1 });
  v.string("Sideways", "sortOrder", { values: ["Ascending", "Descending"] });
  v.list([], "variants", { min: 1 });
  v.stringMap({ "1BAD": "v" }, "environment", { key: { pattern: "[a-zA-Z_][a-zA-Z0-9_]*" } });
  const error = thrown(() => v.throwIfInvalid("ValidationError"));
  assert.equal(error.code, "ValidationError");
  assert.match(error.message, /^4 validation errors detected: /);
  assert.match(error.message, /Member must satisfy enum value set: \[Ascending, Descending\]/);
  assert.match(error.message, /Map keys must satisfy constraint/);
  const typed = thrown(() => new RequestValidator().number("3", "count"));
  assert.equal(typed.code, "SerializationException");
});

Deno.test("tags are limited to 50 and follow the key and value rules", () => {
  const v = new RequestValidator();
  v.tags(Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" })), "tags");
  v.tags([{ Key: "", Value: "v" }], "more");
  const error = thrown(() => v.throwIfInvalid());
  assert.match(
    error.message,
    /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50/,
  );
  assert.match(
    error.message,
    /at 'more\.1\.member\.key' failed to satisfy constraint: Member must have length greater than or equal to 1/,
  );
});

Deno.test("endpointNotFound is the ValidationException the SDK waiters look for", () => {
  const error = endpointNotFound("ep");
  assert.equal(error.code, "ValidationException");
  assert.equal(error.message, 'Could not find endpoint "ep".');
});
