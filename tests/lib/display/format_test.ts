import assert from "node:assert/strict";
import { describeProgress } from "../../../lib/display/format.ts";
import type { ProgressEvent } from "../../../lib/progress.ts";
import { capacity, created, deleted } from "./_events.ts";

Deno.test("describeProgress() shows endpoint status with elapsed time and tones by status", () => {
  const at = (status: string) =>
    describeProgress({
      type: "endpoint-status",
      endpointName: "falcon",
      status,
      elapsedMs: 130_000,
      message: "ignored",
    });
  const creating = at("Creating");
  assert.equal(creating.kind, "status");
  assert.equal(creating.key, "endpoint:falcon");
  assert.equal(creating.state, "Creating");
  assert.equal(creating.line, "Endpoint falcon: Creating (2m 10s)");
  assert.equal(creating.tone, "active");
  assert.equal(creating.settled, false);
  assert.equal(at("InService").tone, "success");
  assert.equal(at("InService").settled, true);
  assert.equal(at("Failed").tone, "failure");
  assert.equal(at("Failed").settled, true);
  assert.equal(at("Deleting").tone, "active");
  assert.equal(at("UpdateRollbackFailed").tone, "failure");
  assert.equal(at("SomethingNew").tone, "neutral");
});

Deno.test("describeProgress() makes created and deleted resources milestones without elapsed time", () => {
  const made = describeProgress({
    ...created("endpoint-config", "falcon-cfg"),
    arn: "arn:aws:sagemaker:us-east-1:000000000000:endpoint-config/falcon-cfg",
    elapsedMs: 2_000,
  });
  assert.equal(made.kind, "milestone");
  assert.equal(made.line, "Created endpoint-config falcon-cfg");
  assert.equal(made.tone, "success");

  const removed = describeProgress({ ...deleted("model", "falcon-model"), elapsedMs: 1 });
  assert.equal(removed.line, "Deleted model falcon-model");
  assert.equal(removed.tone, "success");

  const gone = describeProgress({
    ...deleted("alarm", "falcon-backlog"),
    outcome: "not-found",
    elapsedMs: 1,
  });
  assert.equal(gone.line, "Alarm falcon-backlog was already gone");
  assert.equal(gone.tone, "neutral");
  assert.notEqual(gone.key, removed.key);
});

Deno.test("describeProgress() gives results a done/total fraction and settles when none are pending", () => {
  const results = (succeeded: number, failed: number, pending: number) =>
    describeProgress({
      type: "results",
      total: succeeded + failed + pending,
      succeeded,
      failed,
      pending,
      elapsedMs: 62_000,
      message: "",
    });
  const waiting = results(5, 1, 4);
  assert.equal(waiting.line, "Results 6/10: 5 succeeded, 1 failed, 4 pending (1m 2s)");
  assert.deepEqual(waiting.fraction, { done: 6, total: 10 });
  assert.equal(waiting.state, "waiting");
  assert.equal(waiting.tone, "active");
  assert.equal(results(6, 1, 3).state, waiting.state, "counts alone do not change the state");
  assert.equal(results(10, 0, 0).tone, "success");
  assert.equal(results(10, 0, 0).state, "complete");
  assert.equal(results(9, 1, 0).tone, "warning");
  assert.equal(results(9, 1, 0).settled, true);
});

Deno.test("describeProgress() names each capacity phase with instance counts", () => {
  assert.equal(
    describeProgress(capacity("waiting-for-capacity", 0, 3_000)).line,
    "Endpoint falcon: waiting for capacity (0/1 instances) (3.0s)",
  );
  assert.equal(
    describeProgress(capacity("instance-starting", 0, 3_000)).text,
    "Endpoint falcon: instance starting (0/1 instances)",
  );
  const running = describeProgress(capacity("running", 1, 3_000));
  assert.equal(running.tone, "success");
  assert.equal(running.settled, true);
  assert.equal(running.key, "capacity:falcon");
  assert.notEqual(describeProgress(capacity("instance-starting", 0, 3_000)).state, running.state);
});

Deno.test("describeProgress() shows scaling in as still changing and idle at zero as resting", () => {
  const scalingIn = describeProgress(capacity("scaling-in", 1, 60_000, 0));
  assert.equal(scalingIn.line, "Endpoint falcon: scaling in (1/0 instances) (1m 0s)");
  assert.equal(scalingIn.tone, "active");
  assert.equal(scalingIn.settled, false);
  const idle = describeProgress(capacity("idle", 0, 120_000, 0));
  assert.equal(idle.text, "Endpoint falcon: idle (0/0 instances)");
  assert.equal(idle.tone, "neutral");
  assert.equal(idle.settled, true);
  assert.equal(idle.key, scalingIn.key, "both update the same capacity line");
  assert.notEqual(idle.state, scalingIn.state);
});

Deno.test("describeProgress() shows a capacity phase it does not know by its name", () => {
  const d = describeProgress(capacity("hibernating" as never, 0, 1_000, 0));
  assert.equal(d.text, "Endpoint falcon: hibernating (0/0 instances)");
  assert.equal(d.tone, "active");
});

Deno.test("describeProgress() falls back to the event's own message for an unknown type", () => {
  const d = describeProgress(
    {
      type: "quota-check",
      message: "Checking quota for ml.g5.12xlarge",
      elapsedMs: 500,
    } as unknown as ProgressEvent,
  );
  assert.equal(d.kind, "status");
  assert.equal(d.text, "Checking quota for ml.g5.12xlarge");
  assert.equal(d.key, "other:quota-check");
});
