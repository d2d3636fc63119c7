import assert from "node:assert/strict";
import { PlainProgressRenderer } from "../../../lib/display/plain_progress_renderer.ts";
import { ManualClock } from "../../../lib/testing/manual_clock.ts";
import { capacity, created, deleted, endpointStatus, results } from "./_events.ts";

function capture(
  options: { minIntervalMs?: number; heartbeatMs?: number; autoAdvance?: boolean } = {},
) {
  const clock = new ManualClock({ start: 0, autoAdvance: options.autoAdvance });
  const chunks: string[] = [];
  const renderer = new PlainProgressRenderer({
    clock,
    write: (text) => chunks.push(text),
    ...options,
  });
  return { clock, renderer, lines: () => chunks.join("").split("\n").slice(0, -1), chunks };
}

Deno.test("PlainProgressRenderer prints every milestone and the first line of each status", () => {
  const { renderer, lines } = capture();
  renderer.onProgress(created("model", "falcon-model"));
  renderer.onProgress(endpointStatus("Creating", 0));
  renderer.onProgress(created("endpoint", "falcon"));
  renderer.onProgress(deleted("model", "old-model"));
  assert.deepEqual(lines(), [
    "Created model falcon-model",
    "Endpoint falcon: Creating (0.0s)",
    "Created endpoint falcon",
    "Deleted model old-model",
  ]);
});

Deno.test("PlainProgressRenderer prints a 10-minute wait polled every second in a dozen lines", async () => {
  const { clock, renderer, lines } = capture({ autoAdvance: true });
  for (let s = 0; s < 600; s++) {
    renderer.onProgress(endpointStatus("Creating", s * 1000));
    await clock.sleep(1000);
  }
  renderer.onProgress(endpointStatus("InService", 600_000));
  await renderer.done("falcon deployed");
  const out = lines();
  assert.equal(out.length, 12, out.join("\n"));
  assert.equal(out[0], "Endpoint falcon: Creating (0.0s)");
  assert.equal(out[1], "Endpoint falcon: Creating (1m 0s)", "heartbeat after 60 s");
  assert.equal(out[9], "Endpoint falcon: Creating (9m 0s)");
  assert.equal(out[10], "Endpoint falcon: InService (10m 0s)");
  assert.equal(out[11], "Done: falcon deployed");
});

Deno.test("PlainProgressRenderer prints each capacity phase of an endpoint idling down to zero", async () => {
  const { clock, renderer, lines } = capture();
  renderer.onProgress(capacity("running", 1, 0));
  await clock.advance(15_000);
  renderer.onProgress(capacity("running", 1, 15_000));
  renderer.onProgress(capacity("scaling-in", 1, 15_000, 0));
  renderer.onProgress(capacity("idle", 0, 15_000, 0));
  await renderer.done("At zero");
  assert.deepEqual(lines(), [
    "Endpoint falcon: running (1/1 instances) (0.0s)",
    "Endpoint falcon: scaling in (1/0 instances) (15s)",
    "Endpoint falcon: idle (0/0 instances) (15s)",
    "Done: At zero",
  ]);
});

Deno.test("PlainProgressRenderer prints a state change at once, however recent the last line", async () => {
  const { clock, renderer, lines } = capture();
  renderer.onProgress(endpointStatus("Creating", 0));
  await clock.advance(10);
  renderer.onProgress(endpointStatus("InService", 10));
  assert.deepEqual(lines(), [
    "Endpoint falcon: Creating (0.0s)",
    "Endpoint falcon: InService (0.0s)",
  ]);
});

Deno.test("PlainProgressRenderer throttles ticking result counts to one line per minIntervalMs", async () => {
  const { clock, renderer, lines } = capture({ minIntervalMs: 10_000 });
  for (let done = 0; done < 20; done++) {
    renderer.onProgress(results({ succeeded: done, failed: 0, pending: 20 - done }, done * 1000));
    await clock.advance(1000);
  }
  renderer.onProgress(results({ succeeded: 20, failed: 0, pending: 0 }, 20_000));
  assert.deepEqual(lines(), [
    "Results 0/20: 0 succeeded, 0 failed, 20 pending (0.0s)",
    "Results 10/20: 10 succeeded, 0 failed, 10 pending (10s)",
    "Results 20/20: 20 succeeded, 0 failed, 0 pending (20s)",
  ]);
});

Deno.test("PlainProgressRenderer.done() prints the latest status it held back, then Done", async () => {
  const { clock, renderer, lines } = capture();
  renderer.onProgress(results({ succeeded: 0, failed: 0, pending: 3 }, 0));
  await clock.advance(1000);
  renderer.onProgress(results({ succeeded: 1, failed: 1, pending: 1 }, 1000));
  await renderer.done();
  assert.deepEqual(lines(), [
    "Results 0/3: 0 succeeded, 0 failed, 3 pending (0.0s)",
    "Results 2/3: 1 succeeded, 1 failed, 1 pending (1.0s)",
    "Done",
  ]);
});

Deno.test("PlainProgressRenderer.fail() prints the error's name and message and ignores later events", async () => {
  const { renderer, lines } = capture();
  renderer.onProgress(endpointStatus("Creating", 0));
  await renderer.fail(new RangeError("Endpoint falcon failed:\nCapacity error"));
  renderer.onProgress(endpointStatus("Failed", 1));
  await renderer.done("too late");
  assert.deepEqual(lines(), [
    "Endpoint falcon: Creating (0.0s)",
    "Failed: RangeError: Endpoint falcon failed: Capacity error",
  ]);
});

Deno.test("PlainProgressRenderer disposal prints held-back statuses without a closing line", async () => {
  const { clock, renderer, lines } = capture();
  {
    using progress = renderer;
    progress.onProgress(results({ succeeded: 0, failed: 0, pending: 2 }, 0));
    await clock.advance(500);
    progress.onProgress(results({ succeeded: 1, failed: 0, pending: 1 }, 500));
  }
  renderer.onProgress(results({ succeeded: 2, failed: 0, pending: 0 }, 900));
  assert.deepEqual(lines(), [
    "Results 0/2: 0 succeeded, 0 failed, 2 pending (0.0s)",
    "Results 1/2: 1 succeeded, 0 failed, 1 pending (0.5s)",
  ]);
});

Deno.test("PlainProgressRenderer.onProgress never throws, even when the sink does", () => {
  const renderer = new PlainProgressRenderer({
    write: () => {
      throw new Error("disk full");
    },
  });
  renderer.onProgress(created("model", "m"));
});

Deno.test("PlainProgressRenderer rejects bad options with the option name", () => {
  assert.throws(
    () => new PlainProgressRenderer({ minIntervalMs: -1 }),
    (e: unknown) => e instanceof RangeError && /minIntervalMs -1/.test(e.message),
  );
  assert.throws(
    () => new PlainProgressRenderer({ heartbeatMs: Number.NaN }),
    (e: unknown) => e instanceof RangeError && /heartbeatMs NaN/.test(e.message),
  );
  assert.throws(
    () => new PlainProgressRenderer({ write: "stderr" as unknown as (t: string) => void }),
    (e: unknown) => e instanceof TypeError && /write stderr: must be a function/.test(e.message),
  );
});
