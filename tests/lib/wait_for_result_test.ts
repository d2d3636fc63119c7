import assert from "node:assert/strict";
import { InferenceFailedError, WaitTimeoutError } from "../../lib/errors.ts";
import { ManualClock } from "../../lib/testing/manual_clock.ts";
import { waitForResult } from "../../lib/wait_for_result.ts";
import { FakeS3 } from "./fake_s3.ts";

const TARGET = {
  inferenceId: "q1",
  outputLocation: "s3://out-bucket/out/q1.out",
  failureLocation: "s3://out-bucket/fail/q1-error.out",
};

function setup() {
  const clock = new ManualClock({ start: 0 });
  return { clock, s3: new FakeS3({ clock }) };
}

Deno.test("waitForResult() resolves with the output once it appears", async () => {
  const { clock, s3 } = setup();
  const waiting = waitForResult(TARGET, { clients: { s3: s3.client }, clock });
  await clock.advance(0);
  s3.put(TARGET.outputLocation, '{"answer":42}', "application/json");
  await clock.advance(1_000);
  const result = await waiting;
  assert.deepEqual(result.value, { answer: 42 });
  assert.equal(result.inferenceId, "q1");
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("waitForResult() rejects with InferenceFailedError when the failure object appears", async () => {
  const { clock, s3 } = setup();
  s3.put(TARGET.failureLocation, "Received server error (500) from model");
  await assert.rejects(
    waitForResult(TARGET, { clients: { s3: s3.client }, clock }),
    (e: unknown) =>
      e instanceof InferenceFailedError && e.inferenceId === "q1" &&
      e.failureBody === "Received server error (500) from model",
  );
});

Deno.test("waitForResult() rejects with WaitTimeoutError after timeoutMs and leaves no timer", async () => {
  const { clock, s3 } = setup();
  const waiting = waitForResult(TARGET, { clients: { s3: s3.client }, clock, timeoutMs: 10_000 });
  const outcome = waiting.then(() => undefined, (e) => e);
  await clock.advance(10_000);
  const error = await outcome;
  assert.ok(error instanceof WaitTimeoutError);
  assert.equal(error.waitedMs, 10_000);
  assert.ok(error.lastObserved.rounds >= 1);
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("waitForResult() rejects with the signal's reason unchanged", async () => {
  const { clock, s3 } = setup();
  const controller = new AbortController();
  const waiting = waitForResult(TARGET, {
    clients: { s3: s3.client },
    clock,
    signal: controller.signal,
  });
  await clock.advance(0);
  const reason = new Error("cancelled");
  controller.abort(reason);
  await assert.rejects(waiting, (e) => e === reason);
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("waitForResult() rejects an invalid target before any call", async () => {
  const { clock, s3 } = setup();
  await assert.rejects(
    waitForResult({ outputLocation: "out/q1.out" }, { clients: { s3: s3.client }, clock }),
    TypeError,
  );
  assert.equal(s3.calls.length, 0);
});
