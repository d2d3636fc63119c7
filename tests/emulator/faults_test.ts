import assert from "node:assert/strict";
import { defaultFaultCode, FaultInjector } from "../../emulator/faults.ts";

Deno.test("FaultInjector matches by service and operation, first rule first", () => {
  const faults = new FaultInjector();
  faults.add({ operation: "GetObject", status: 500 });
  faults.add({ service: "sagemaker", status: 400, code: "ThrottlingException", count: 2 });
  assert.equal(faults.take("sagemaker", "GetObject")?.status, 500);
  assert.equal(faults.take("s3", "GetObject"), undefined);
  assert.equal(faults.take("sagemaker", "DescribeEndpoint")?.code, "ThrottlingException");
  assert.equal(faults.active, true);
  assert.equal(faults.take("sagemaker", "ListEndpoints")?.remaining, 0);
  assert.equal(faults.active, false);
});

Deno.test("FaultInjector.add() rejects invalid rules naming the field and the rule", () => {
  const faults = new FaultInjector();
  assert.throws(
    () => faults.add({ status: 302 }),
    /Invalid fault status 302: must be an integer from 400 to 599/,
  );
  assert.throws(() => faults.add({ count: 0 }), /Invalid fault count 0: must be an integer >= 1/);
  assert.throws(
    () => faults.add({ service: "dynamodb" as never }),
    (error: unknown) =>
      error instanceof RangeError && /Invalid fault service "dynamodb"/.test(error.message),
  );
  assert.throws(() => faults.add({ code: "" }), TypeError);
  assert.throws(
    () => faults.add({ message: 42 as never }),
    (error: unknown) =>
      error instanceof TypeError && error.message === "Invalid fault message 42: must be a string",
  );
  assert.deepEqual(faults.list(), []);
});

Deno.test("defaultFaultCode() picks the code each service uses for a status", () => {
  assert.equal(defaultFaultCode(503, "s3"), "SlowDown");
  assert.equal(defaultFaultCode(503, "sagemaker"), "ServiceUnavailable");
  assert.equal(defaultFaultCode(500, "s3"), "InternalError");
  assert.equal(defaultFaultCode(500, "sts"), "InternalFailure");
  assert.equal(defaultFaultCode(429, "sns"), "ThrottlingException");
});
