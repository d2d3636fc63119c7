import assert from "node:assert/strict";
import * as autoscaling from "../../../emulator/autoscaling/parameters.ts";
import * as cloudwatch from "../../../emulator/cloudwatch/parameters.ts";
import { AwsError } from "../../../emulator/errors.ts";
import {
  constraintMessage,
  type MemberKind,
  ParameterReaders,
} from "../../../emulator/protocols/parameters.ts";

/** A dialect that records what it was asked to report. */
function recordingReaders(queryStrings: boolean) {
  return new ParameterReaders({
    missing: (path) => new AwsError("Missing", path),
    constraint: (path, value, rule) => new AwsError("Constraint", `${path}|${value}|${rule}`),
    wrongType: (path, value, kind: MemberKind) =>
      new AwsError("WrongType", `${path}|${JSON.stringify(value)}|${kind}`),
    itemPath: (list, index) => `${list}[${index}]`,
    queryStrings,
  });
}

function failure(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AwsError, String(error));
    return { code: error.code, message: error.message };
  }
  assert.fail("expected the reader to throw");
}

Deno.test("constraintMessage() quotes values and renders a missing one as null", () => {
  assert.equal(
    constraintMessage("a.b", "x", "Member must not be null"),
    "1 validation error detected: Value 'x' at 'a.b' failed to satisfy constraint: " +
      "Member must not be null",
  );
  assert.match(constraintMessage("n", 3, "rule"), /Value '3' at 'n'/);
  assert.match(constraintMessage("n", null, "rule"), /Value null at 'n'/);
});

Deno.test("readers check length, pattern, enum and range, naming the parent path", () => {
  const r = recordingReaders(false);
  assert.equal(r.requiredString({ S: "ab" }, "S", { min: 1, max: 2 }), "ab");
  assert.deepEqual(failure(() => r.requiredString({ S: "" }, "S", { min: 1 }, "P")), {
    code: "Constraint",
    message: "P.S||Member must have length greater than or equal to 1",
  });
  assert.equal(
    failure(() => r.optionalString({ S: "abc" }, "S", { max: 2 })).message,
    "S|abc|Member must have length less than or equal to 2",
  );
  assert.equal(
    failure(() => r.optionalString({ S: "a b" }, "S", { pattern: /^\w+$/ })).message,
    "S|a b|Member must satisfy regular expression pattern: ^\\w+$",
  );
  assert.equal(
    failure(() => r.requiredEnum({ E: "c" }, "E", ["a", "b"])).message,
    "E|c|Member must satisfy enum value set: [a, b]",
  );
  assert.equal(
    failure(() => r.requiredNumber({ N: 0 }, "N", { min: 1 })).message,
    "N|0|Member must have value greater than or equal to 1",
  );
  assert.equal(
    failure(() => r.optionalList({ L: [1, 2] }, "L", { max: 1 })).message,
    "L|[2 items]|Member must have length less than or equal to 1",
  );
  assert.deepEqual(failure(() => r.requiredStruct({}, "T", "P")), {
    code: "Missing",
    message: "P.T",
  });
  assert.deepEqual(failure(() => r.requiredTimestamp({}, "When")), {
    code: "Missing",
    message: "When",
  });
});

Deno.test("strict readers refuse strings for numbers and booleans; query readers accept them", () => {
  const strict = recordingReaders(false);
  const query = recordingReaders(true);
  assert.equal(failure(() => strict.optionalNumber({ N: "5" }, "N")).message, 'N|"5"|number');
  assert.equal(query.optionalNumber({ N: "5" }, "N"), 5);
  assert.equal(failure(() => query.optionalNumber({ N: " " }, "N")).message, 'N|" "|number');
  assert.equal(
    failure(() => query.optionalNumber({ N: "1.5" }, "N", { integer: true })).message,
    'N|"1.5"|integer',
  );
  assert.equal(
    failure(() => strict.optionalBoolean({ B: "true" }, "B")).message,
    'B|"true"|boolean',
  );
  assert.equal(query.optionalBoolean({ B: "false" }, "B"), false);
  assert.equal(failure(() => strict.optionalList({ L: "" }, "L")).message, 'L|""|list');
  assert.deepEqual(query.optionalList({ L: "" }, "L"), []);
  assert.equal(failure(() => strict.optionalStruct({ T: "" }, "T")).message, 'T|""|structure');
  assert.equal(query.optionalStruct({ T: "" }, "T"), undefined);
  assert.equal(
    query.optionalTimestamp({ At: "1700000000" }, "At")?.toISOString(),
    "2023-11-14T22:13:20.000Z",
  );
  assert.equal(
    failure(() => query.optionalTimestamp({ At: "soon" }, "At")).message,
    'At|"soon"|timestamp',
  );
});

Deno.test("optionalStringList() checks each item under the dialect's item path", () => {
  const r = recordingReaders(false);
  assert.deepEqual(r.optionalStringList({ L: ["a", "b"] }, "L", { item: { min: 1 } }), ["a", "b"]);
  assert.equal(
    failure(() => r.optionalStringList({ L: ["a", ""] }, "L", { item: { min: 1 } }, "P")).message,
    "P.L[1]||Member must have length greater than or equal to 1",
  );
  assert.deepEqual(failure(() => r.optionalStringList({ L: [null] }, "L")), {
    code: "Missing",
    message: "L[0]",
  });
  assert.equal(failure(() => r.optionalStringList({ L: [3] }, "L")).message, "L[0]|3|string");
});

Deno.test("Application Auto Scaling words violations in lower camel case and types plainly", () => {
  assert.deepEqual(
    failure(() => autoscaling.requiredString({}, "PolicyName", {}, "")),
    {
      code: "ValidationException",
      message: "1 validation error detected: Value null at 'policyName' failed to satisfy " +
        "constraint: Member must not be null",
    },
  );
  assert.equal(
    failure(() =>
      autoscaling.optionalStringList({ ResourceIds: [""] }, "ResourceIds", { item: { min: 1 } })
    ).message,
    "1 validation error detected: Value '' at 'resourceIds.1' failed to satisfy constraint: " +
      "Member must have length greater than or equal to 1",
  );
  assert.equal(
    failure(() => autoscaling.optionalNumber({ MinCapacity: "1" }, "MinCapacity")).message,
    "MinCapacity must be a number, got 1",
  );
  assert.equal(
    failure(() => autoscaling.optionalNumber({ N: 1.5 }, "N", { integer: true })).message,
    "N must be an integer, got 1.5",
  );
  assert.equal(
    failure(() => autoscaling.optionalStruct({ S: [] }, "S", "Config")).message,
    "Config.S must be a structure",
  );
});

Deno.test("CloudWatch reports MissingParameter, ValidationError and InvalidParameterValue", () => {
  const missing = failure(() => cloudwatch.requiredString({}, "AlarmName"));
  assert.equal(missing.code, "com.amazonaws.cloudwatch#MissingRequiredParameterException");
  assert.equal(missing.message, "The parameter AlarmName is required.");
  const constraint = failure(() =>
    cloudwatch.optionalStringList({ AlarmNames: [""] }, "AlarmNames", { item: { min: 1 } })
  );
  assert.equal(constraint.code, "com.amazonaws.cloudwatch#ValidationException");
  assert.equal(
    constraint.message,
    "1 validation error detected: Value '' at 'AlarmNames.member.1' failed to satisfy " +
      "constraint: Member must have length greater than or equal to 1",
  );
  const wrong = failure(() => cloudwatch.optionalNumber({ Period: "x" }, "Period"));
  assert.equal(wrong.code, "com.amazonaws.cloudwatch#InvalidParameterValueException");
  assert.equal(
    wrong.message,
    "The value x for parameter Period is invalid: must be a finite number",
  );
  assert.equal(cloudwatch.requiredNumber({ Period: "60" }, "Period", { integer: true }), 60);
});
