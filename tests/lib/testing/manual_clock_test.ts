import assert from "node:assert/strict";
import { ManualClock } from "../../../lib/testing/manual_clock.ts";
import { countedSignal } from "../abort_listeners.ts";

/** Resolves `true` if `promise` has settled by the time pending continuations ran. */
async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(() => settled = true, () => settled = true);
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  return settled;
}

Deno.test("ManualClock starts at 2026-01-01T00:00:00Z unless given a start", () => {
  assert.equal(new ManualClock().now(), Date.UTC(2026, 0, 1));
  assert.equal(new ManualClock({ start: 42 }).now(), 42);
});

Deno.test("ManualClock.advance() wakes sleepers in time order, then in the order they slept", async () => {
  const clock = new ManualClock({ start: 0 });
  const woke: string[] = [];
  const sleep = (name: string, ms: number) =>
    clock.sleep(ms).then(() => woke.push(`${name}@${clock.now()}`));
  const all = Promise.all([sleep("a", 300), sleep("b", 100), sleep("c", 100), sleep("d", 200)]);
  assert.equal(clock.pendingSleeps, 4);
  await clock.advance(1_000);
  await all;
  assert.deepEqual(woke, ["b@100", "c@100", "d@200", "a@300"]);
  assert.equal(clock.now(), 1_000);
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("ManualClock.advance() leaves a sleeper that is not yet due asleep", async () => {
  const clock = new ManualClock({ start: 0 });
  const sleeping = clock.sleep(500);
  await clock.advance(499);
  assert.equal(await hasSettled(sleeping), false);
  assert.equal(clock.pendingSleeps, 1);
  await clock.advance(1);
  assert.equal(await hasSettled(sleeping), true);
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("ManualClock.advance() also wakes sleeps started by woken code that fall due within it", async () => {
  const clock = new ManualClock({ start: 0 });
  const ticks: number[] = [];
  const loop = (async () => {
    for (let i = 0; i < 5; i++) {
      await clock.sleep(100);
      ticks.push(clock.now());
    }
  })();
  await clock.advance(350);
  assert.deepEqual(ticks, [100, 200, 300]);
  assert.equal(clock.now(), 350);
  assert.equal(clock.pendingSleeps, 1);
  await clock.advance(150);
  await loop;
  assert.deepEqual(ticks, [100, 200, 300, 400, 500]);
});

Deno.test("ManualClock.advance(0) wakes sleeps of zero or negative length", async () => {
  const clock = new ManualClock({ start: 10 });
  const sleeping = Promise.all([clock.sleep(0), clock.sleep(-50)]);
  await clock.advance(0);
  assert.equal(await hasSettled(sleeping), true);
  assert.equal(clock.now(), 10);
});

Deno.test("ManualClock.advance() rejects a negative duration without moving time", async () => {
  const clock = new ManualClock({ start: 0 });
  await assert.rejects(
    clock.advance(-1),
    (e: unknown) =>
      e instanceof RangeError && e.message.includes("-1") && e.message.includes(">= 0"),
  );
  assert.equal(clock.now(), 0);
});

Deno.test("ManualClock.advance() rejects NaN and Infinity without waking anyone", async () => {
  const clock = new ManualClock({ start: 0 });
  const sleeping = clock.sleep(1_000);
  for (const ms of [Number.NaN, Infinity]) {
    await assert.rejects(clock.advance(ms), {
      name: "RangeError",
      message: new RegExp(`by ${ms} ms: must be a finite number >= 0`),
    });
  }
  assert.equal(clock.now(), 0);
  assert.equal(await hasSettled(sleeping), false);
  assert.equal(clock.pendingSleeps, 1);
});

Deno.test("ManualClock rejects a start that is not a finite number", () => {
  for (const start of [Number.NaN, Infinity]) {
    assert.throws(() => new ManualClock({ start }), {
      name: "RangeError",
      message: new RegExp(`start ${start}`),
    });
  }
});

Deno.test("ManualClock.sleep() treats NaN as zero, as setTimeout does", async () => {
  const clock = new ManualClock({ start: 10 });
  const sleeping = clock.sleep(Number.NaN);
  await clock.advance(0);
  assert.equal(await hasSettled(sleeping), true);
  assert.equal(clock.now(), 10);
  const auto = new ManualClock({ start: 10, autoAdvance: true });
  await auto.sleep(Number.NaN);
  assert.equal(auto.now(), 10);
});

Deno.test("ManualClock.sleep() rejects with signal.reason and forgets the sleeper when aborted", async () => {
  const clock = new ManualClock({ start: 0 });
  const controller = new AbortController();
  const reason = { cancelled: true };
  const sleeping = clock.sleep(1_000, controller.signal);
  const other = clock.sleep(1_000);
  assert.equal(clock.pendingSleeps, 2);
  controller.abort(reason);
  await assert.rejects(sleeping, (e: unknown) => e === reason);
  assert.equal(clock.pendingSleeps, 1);
  await clock.advance(1_000);
  await other;
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("ManualClock.sleep() rejects at once when the signal is already aborted", async () => {
  const clock = new ManualClock({ start: 0 });
  const reason = new Error("already aborted");
  await assert.rejects(clock.sleep(1_000, AbortSignal.abort(reason)), (e: unknown) => e === reason);
  assert.equal(clock.pendingSleeps, 0);
  const auto = new ManualClock({ start: 0, autoAdvance: true });
  await assert.rejects(auto.sleep(1_000, AbortSignal.abort(reason)), (e: unknown) => e === reason);
  assert.equal(auto.now(), 0);
});

Deno.test("ManualClock.sleep() stops listening to its signal once it wakes", async () => {
  const clock = new ManualClock({ start: 0 });
  const { signal, listeners } = countedSignal();
  const sleeping = clock.sleep(10, signal);
  assert.equal(listeners(), 1);
  await clock.advance(10);
  await sleeping;
  assert.equal(listeners(), 0);
});

Deno.test("ManualClock with autoAdvance moves time by each sleep and resolves it at once", async () => {
  const clock = new ManualClock({ start: 1_000, autoAdvance: true });
  await clock.sleep(5_000);
  assert.equal(clock.now(), 6_000);
  await clock.sleep(-100);
  assert.equal(clock.now(), 6_000);
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("ManualClock.advanceUntil() steps time until the condition holds and returns true", async () => {
  const clock = new ManualClock({ start: 0 });
  let done = false;
  clock.sleep(2_500).then(() => done = true);
  const held = await clock.advanceUntil(() => done, { stepMs: 1_000 });
  assert.equal(held, true);
  assert.equal(clock.now(), 3_000);
});

Deno.test("ManualClock.advanceUntil() returns false after maxMs when the condition never holds", async () => {
  const clock = new ManualClock({ start: 0 });
  const held = await clock.advanceUntil(() => false, { stepMs: 2_000, maxMs: 5_000 });
  assert.equal(held, false);
  assert.equal(clock.now(), 5_000);
});

Deno.test("ManualClock.advanceUntil() returns true without moving time when the condition already holds", async () => {
  const clock = new ManualClock({ start: 0 });
  assert.equal(await clock.advanceUntil(() => true), true);
  assert.equal(clock.now(), 0);
});

Deno.test("ManualClock.advanceUntil() rejects a step that would never move time, and a bad maxMs", async () => {
  const clock = new ManualClock({ start: 0 });
  for (const stepMs of [0, -1, Number.NaN, Infinity]) {
    await assert.rejects(clock.advanceUntil(() => false, { stepMs }), {
      name: "RangeError",
      message: new RegExp(`stepMs ${stepMs}: must be a finite number > 0`),
    });
  }
  for (const maxMs of [-1, Number.NaN, Infinity]) {
    await assert.rejects(clock.advanceUntil(() => false, { maxMs }), {
      name: "RangeError",
      message: new RegExp(`maxMs ${maxMs}: must be a finite number >= 0`),
    });
  }
  assert.equal(clock.now(), 0);
});
