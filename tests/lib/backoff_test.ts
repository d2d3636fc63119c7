import assert from "node:assert/strict";
import { Backoff } from "../../lib/backoff.ts";

/** Returns the given numbers in turn, then repeats the last. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)]!;
}

Deno.test("Backoff without jitter grows by the multiplier up to the cap", () => {
  const backoff = new Backoff({ initialMs: 100, maxMs: 1_000, multiplier: 3, jitter: "none" });
  const delays = Array.from({ length: 5 }, () => backoff.next());
  assert.deepEqual(delays, [100, 300, 900, 1_000, 1_000]);
  assert.equal(backoff.attempt, 5);
});

Deno.test("Backoff.reset() starts the schedule over", () => {
  const backoff = new Backoff({ initialMs: 100, maxMs: 1_000, jitter: "none" });
  backoff.next();
  backoff.next();
  backoff.reset();
  assert.equal(backoff.attempt, 0);
  assert.equal(backoff.next(), 100);
});

Deno.test("Backoff with full jitter draws below the exponential ceiling", () => {
  const backoff = new Backoff({
    initialMs: 100,
    maxMs: 1_000,
    jitter: "full",
    random: sequence(0.5, 0, 0.999, 0.5, 0.5),
  });
  // Ceilings 100, 200, 400, 800, then the 1,000 cap.
  assert.deepEqual(Array.from({ length: 5 }, () => backoff.next()), [50, 0, 399, 400, 500]);
});

Deno.test("Backoff with decorrelated jitter starts at initialMs and stays within [initialMs, 3 x previous)", () => {
  const backoff = new Backoff({
    initialMs: 1_000,
    maxMs: 20_000,
    jitter: "decorrelated",
    random: sequence(0.5, 0.5, 0.999, 0.999, 0.999),
  });
  // 1000; then 1000 + 0.5 x (3000 - 1000) = 2000; 1000 + 0.5 x (6000 - 1000) = 3500;
  // 1000 + 0.999 x (10500 - 1000) = 10490; then capped at 20000.
  assert.deepEqual(
    Array.from({ length: 5 }, () => backoff.next()),
    [1_000, 2_000, 3_500, 10_490, 20_000],
  );
});

Deno.test("Backoff with decorrelated jitter never goes below initialMs", () => {
  const backoff = new Backoff({ initialMs: 500, random: () => 0 });
  assert.deepEqual(Array.from({ length: 4 }, () => backoff.next()), [500, 500, 500, 500]);
});

Deno.test("Backoff defaults to decorrelated jitter from 1 s with a 20 s cap", () => {
  const backoff = new Backoff({ random: () => 0.999999 });
  const delays = Array.from({ length: 8 }, () => backoff.next());
  assert.equal(delays[0], 1_000);
  assert.equal(Math.max(...delays), 20_000);
});

Deno.test("Backoff rejects bad options with TypeError or RangeError naming the value", () => {
  assert.throws(() => new Backoff({ initialMs: 0 }), /initialMs 0: must be a finite number > 0/);
  assert.throws(() => new Backoff({ initialMs: 100, maxMs: 50 }), /maxMs 50: must be >= initialMs/);
  assert.throws(() => new Backoff({ multiplier: 0.5 }), RangeError);
  assert.throws(() => new Backoff({ jitter: "random" as never }), TypeError);
  assert.throws(() => new Backoff({ random: 3 as never }), TypeError);
});

Deno.test("Backoff.next() rejects a random() outside [0, 1)", () => {
  const backoff = new Backoff({ jitter: "full", random: () => 1 });
  assert.throws(
    () => backoff.next(),
    (e: unknown) => e instanceof RangeError && /returned 1/.test(e.message),
  );
});
