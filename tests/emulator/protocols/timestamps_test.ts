import assert from "node:assert/strict";
import { AwsError } from "../../../emulator/errors.ts";
import { httpDate, parseTimestamp } from "../../../emulator/protocols/timestamps.ts";

Deno.test("parseTimestamp() reads numbers as epoch seconds, fractions included", () => {
  assert.equal(
    parseTimestamp(1_767_225_600, "StartTime").toISOString(),
    "2026-01-01T00:00:00.000Z",
  );
  assert.equal(parseTimestamp(1.5, "StartTime").getTime(), 1_500);
  assert.equal(parseTimestamp(0, "StartTime").getTime(), 0);
});

Deno.test("parseTimestamp() reads numeric strings as epoch seconds", () => {
  assert.equal(parseTimestamp("1767225600", "StartTime").getTime(), 1_767_225_600_000);
  assert.equal(parseTimestamp("1767225600.25", "StartTime").getTime(), 1_767_225_600_250);
});

Deno.test("parseTimestamp() reads ISO 8601 strings", () => {
  assert.equal(
    parseTimestamp("2026-01-01T00:00:00Z", "StartTime").getTime(),
    Date.UTC(2026, 0, 1),
  );
  assert.equal(
    parseTimestamp("2026-01-01T01:30:00.500+01:00", "EndTime").getTime(),
    Date.UTC(2026, 0, 1, 0, 30, 0, 500),
  );
});

Deno.test("parseTimestamp() returns a Date it is given unchanged", () => {
  const date = new Date(42);
  assert.equal(parseTimestamp(date, "StartTime"), date);
});

Deno.test("parseTimestamp() rejects anything else with a ValidationException naming the parameter", () => {
  for (
    const value of ["yesterday", "", "   ", Number.POSITIVE_INFINITY, null, undefined, {}, true]
  ) {
    assert.throws(
      () => parseTimestamp(value, "StartTime"),
      (e: unknown) => {
        assert.ok(e instanceof AwsError);
        assert.equal(e.code, "ValidationException");
        assert.equal(e.status, 400);
        assert.ok(e.message.includes("StartTime"), e.message);
        return true;
      },
      String(value),
    );
  }
  assert.throws(
    () => parseTimestamp("yesterday", "EndTime"),
    (e: unknown) => e instanceof AwsError && e.message.includes('EndTime: "yesterday"'),
  );
});

Deno.test("parseTimestamp() uses the error code it is given", () => {
  assert.throws(
    () => parseTimestamp("soon", "StartTime", "InvalidParameterValue"),
    (e: unknown) => e instanceof AwsError && e.code === "InvalidParameterValue",
  );
});

Deno.test("httpDate() renders RFC 7231 dates", () => {
  assert.equal(httpDate(new Date(0)), "Thu, 01 Jan 1970 00:00:00 GMT");
  assert.equal(httpDate(new Date(Date.UTC(2026, 0, 2, 3, 4, 5))), "Fri, 02 Jan 2026 03:04:05 GMT");
});
