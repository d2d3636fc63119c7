import assert from "node:assert/strict";
import { emitProgress, formatDuration, type ProgressEvent } from "../../lib/progress.ts";

const event: ProgressEvent = {
  type: "endpoint-status",
  message: "Endpoint falcon is Creating (2m 10s)",
  elapsedMs: 130_000,
  endpointName: "falcon",
  status: "Creating",
};

Deno.test("emitProgress() hands the event to the callback unchanged", () => {
  const seen: ProgressEvent[] = [];
  emitProgress((e) => seen.push(e), event);
  assert.equal(seen.length, 1);
  assert.equal(seen[0], event);
});

Deno.test("emitProgress() does nothing without a callback", () => {
  assert.doesNotThrow(() => emitProgress(undefined, event));
});

Deno.test("emitProgress() swallows whatever the callback throws", () => {
  let calls = 0;
  assert.doesNotThrow(() =>
    emitProgress(() => {
      calls++;
      throw new Error("renderer broke");
    }, event)
  );
  assert.doesNotThrow(() =>
    emitProgress(() => {
      throw "not even an Error";
    }, event)
  );
  assert.equal(calls, 1);
});

Deno.test("formatDuration() shows tenths of a second below 10 s", () => {
  assert.equal(formatDuration(0), "0.0s");
  assert.equal(formatDuration(4_200), "4.2s");
  assert.equal(formatDuration(9_900), "9.9s");
});

Deno.test("formatDuration() shows whole seconds from 10 s to 59 s", () => {
  assert.equal(formatDuration(10_000), "10s");
  assert.equal(formatDuration(42_000), "42s");
  assert.equal(formatDuration(59_000), "59s");
  assert.equal(formatDuration(59_499), "59s");
});

Deno.test("formatDuration() shows minutes and seconds from 60 s", () => {
  assert.equal(formatDuration(59_500), "1m 0s");
  assert.equal(formatDuration(60_000), "1m 0s");
  assert.equal(formatDuration(130_000), "2m 10s");
  assert.equal(formatDuration(3_599_000), "59m 59s");
});

Deno.test("formatDuration() shows hours, minutes and seconds from one hour", () => {
  assert.equal(formatDuration(3_600_000), "1h 0m 0s");
  assert.equal(formatDuration(3_723_000), "1h 2m 3s");
  assert.equal(formatDuration(26 * 3_600_000 + 5_000), "26h 0m 5s");
});
