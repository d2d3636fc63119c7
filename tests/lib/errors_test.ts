import assert from "node:assert/strict";
import {
  EndpointFailedError,
  InferenceFailedError,
  JumpStartModelNotFoundError,
  ResultNotReadyError,
  UnsupportedInstanceTypeError,
  WaitTimeoutError,
} from "../../lib/errors.ts";

Deno.test("InferenceFailedError carries the inference, both locations and the failure body", () => {
  const cause = new Error("underlying");
  const error = new InferenceFailedError({
    inferenceId: "inf-1",
    failureLocation: "s3://b/failures/inf-1-error.out",
    outputLocation: "s3://b/outputs/inf-1.out",
    failureBody: "CUDA out of memory",
  }, { cause });
  assert.ok(error instanceof Error);
  assert.equal(error.name, "InferenceFailedError");
  assert.equal(error.inferenceId, "inf-1");
  assert.equal(error.failureLocation, "s3://b/failures/inf-1-error.out");
  assert.equal(error.outputLocation, "s3://b/outputs/inf-1.out");
  assert.equal(error.failureBody, "CUDA out of memory");
  assert.equal(error.cause, cause);
  assert.equal(
    error.message,
    "Inference inf-1 failed: CUDA out of memory (failure object s3://b/failures/inf-1-error.out)",
  );
});

Deno.test("InferenceFailedError without an id says so and shortens a long body in the message only", () => {
  const body = "x".repeat(600);
  const error = new InferenceFailedError({
    failureLocation: "s3://b/f.out",
    outputLocation: "s3://b/o.out",
    failureBody: body,
  });
  assert.equal(error.inferenceId, undefined);
  assert.ok(error.message.startsWith("Inference (no id) failed: "));
  assert.ok(error.message.includes(`${"x".repeat(500)}... (failure object s3://b/f.out)`));
  assert.ok(!error.message.includes("x".repeat(501)));
  assert.equal(error.failureBody, body);
  assert.equal(error.cause, undefined);
});

Deno.test("WaitTimeoutError carries what it waited for, how long, and what it saw last", () => {
  const cause = new Error("last poll failed");
  const lastObserved = { at: 1_000, rounds: 7, summary: "no output or failure object yet" };
  const error = new WaitTimeoutError({
    waitingFor: "output s3://b/k.out",
    waitedMs: 90_400,
    lastObserved,
  }, { cause });
  assert.equal(error.name, "WaitTimeoutError");
  assert.equal(error.waitingFor, "output s3://b/k.out");
  assert.equal(error.waitedMs, 90_400);
  assert.deepEqual(error.lastObserved, lastObserved);
  assert.equal(error.cause, cause);
  assert.equal(
    error.message,
    "Timed out after 90 s waiting for output s3://b/k.out; " +
      "last observed after 7 round(s): no output or failure object yet",
  );
});

Deno.test("EndpointFailedError carries the endpoint, its status and SageMaker's reason", () => {
  const error = new EndpointFailedError({
    endpointName: "falcon",
    status: "Failed",
    failureReason: "Image not found",
  });
  assert.equal(error.name, "EndpointFailedError");
  assert.equal(error.endpointName, "falcon");
  assert.equal(error.status, "Failed");
  assert.equal(error.failureReason, "Image not found");
  assert.equal(error.message, 'Endpoint "falcon" is Failed: Image not found');
});

Deno.test("EndpointFailedError without a reason says none was given and keeps its cause", () => {
  const cause = new Error("ValidationException");
  const error = new EndpointFailedError({ endpointName: "gone", status: "Missing" }, { cause });
  assert.equal(error.failureReason, undefined);
  assert.equal(error.message, 'Endpoint "gone" is Missing: no reason given');
  assert.equal(error.cause, cause);
});

Deno.test("ResultNotReadyError carries the inference and where its output will appear", () => {
  const cause = new Error("NoSuchKey");
  const error = new ResultNotReadyError({
    inferenceId: "inf-2",
    outputLocation: "s3://b/o/inf-2.out",
  }, { cause });
  assert.equal(error.name, "ResultNotReadyError");
  assert.equal(error.inferenceId, "inf-2");
  assert.equal(error.outputLocation, "s3://b/o/inf-2.out");
  assert.equal(error.cause, cause);
  assert.ok(error.message.includes("inf-2"));
  assert.ok(error.message.includes("s3://b/o/inf-2.out"));
  assert.ok(error.message.includes("queued or running"));
  const anonymous = new ResultNotReadyError({ outputLocation: "s3://b/x.out" });
  assert.ok(anonymous.message.startsWith("Inference (no id) has no result yet at s3://b/x.out"));
});

Deno.test("JumpStartModelNotFoundError for a model lists the known models", () => {
  const cause = new Error("manifest");
  const error = new JumpStartModelNotFoundError({
    modelId: "falcon-41b",
    version: "*",
    available: ["a", "b"],
    what: "model",
  }, { cause });
  assert.equal(error.name, "JumpStartModelNotFoundError");
  assert.equal(error.modelId, "falcon-41b");
  assert.equal(error.version, "*");
  assert.deepEqual(error.available, ["a", "b"]);
  assert.equal(error.cause, cause);
  assert.equal(error.message, 'Unknown JumpStart model "falcon-41b". Known models: a, b');
});

Deno.test("JumpStartModelNotFoundError for a version lists the versions, or (none)", () => {
  const error = new JumpStartModelNotFoundError({
    modelId: "m",
    version: "9.9.9",
    available: ["1.0.0", "2.0.0"],
    what: "version",
  });
  assert.equal(error.message, 'JumpStart model "m" has no version "9.9.9". Versions: 1.0.0, 2.0.0');
  const none = new JumpStartModelNotFoundError({
    modelId: "m",
    version: "1",
    available: [],
    what: "version",
  });
  assert.equal(none.message, 'JumpStart model "m" has no version "1". Versions: (none)');
  const noModels = new JumpStartModelNotFoundError({
    modelId: "m",
    version: "*",
    available: [],
    what: "model",
  });
  assert.equal(noModels.message, 'Unknown JumpStart model "m". Known models: (none)');
});

Deno.test("JumpStartModelNotFoundError names at most 20 entries in its message, keeping all in the field", () => {
  const twenty = Array.from({ length: 20 }, (_, i) => `m${i}`);
  const exact = new JumpStartModelNotFoundError({
    modelId: "x",
    version: "*",
    available: twenty,
    what: "model",
  });
  assert.ok(exact.message.endsWith(`Known models: ${twenty.join(", ")}`));
  assert.ok(!exact.message.includes("in all"));

  const many = Array.from({ length: 25 }, (_, i) => `m${i}`);
  const truncated = new JumpStartModelNotFoundError({
    modelId: "x",
    version: "*",
    available: many,
    what: "model",
  });
  assert.ok(truncated.message.endsWith(`Known models: ${twenty.join(", ")}, ... (25 in all)`));
  assert.ok(!truncated.message.includes("m20"));
  assert.deepEqual(truncated.available, many);
});

Deno.test("UnsupportedInstanceTypeError names the model, the instance type and the supported ones", () => {
  const cause = new Error("spec");
  const error = new UnsupportedInstanceTypeError({
    modelId: "falcon",
    instanceType: "ml.t3.medium",
    supported: ["ml.g5.12xlarge", "ml.p4d.24xlarge"],
  }, { cause });
  assert.equal(error.name, "UnsupportedInstanceTypeError");
  assert.equal(error.modelId, "falcon");
  assert.equal(error.instanceType, "ml.t3.medium");
  assert.deepEqual(error.supported, ["ml.g5.12xlarge", "ml.p4d.24xlarge"]);
  assert.equal(error.cause, cause);
  assert.equal(
    error.message,
    'JumpStart model "falcon" does not support instance type "ml.t3.medium". ' +
      "Supported: ml.g5.12xlarge, ml.p4d.24xlarge",
  );
});
