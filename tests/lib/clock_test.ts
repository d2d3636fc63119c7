import assert from "node:assert/strict";
import { createScaledClock, systemClock } from "../../lib/clock.ts";
import { countedSignal } from "./abort_listeners.ts";

/** Replaces `Date.now` with a controllable value while `body` runs. */
function withFakeNow<T>(start: number, body: (set: (t: number) => void) => T): T {
  const realNow = Date.now;
  let now = start;
  Date.now = () => now;
  try {
    return body((t) => now = t);
  } finally {
    Date.now = realNow;
  }
}

/** Records the delays `setTimeout` is armed with; timers fire at once. */
async function recordTimerDelays(body: () => Promise<unknown>): Promise<number[]> {
  const realSetTimeout = globalThis.setTimeout;
  const delays: number[] = [];
  // deno-lint-ignore no-explicit-any
  (globalThis as any).setTimeout = (fn: () => void, ms?: number) => {
    delays.push(ms ?? 0);
    return realSetTimeout(fn, 0);
  };
  try {
    await body();
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
  return delays;
}

Deno.test("systemClock.now() reads the wall clock", () => {
  const before = Date.now();
  const now = systemClock.now();
  const after = Date.now();
  assert.ok(before <= now && now <= after, `${now} not within [${before}, ${after}]`);
});

Deno.test("systemClock.sleep() rejects with the signal's reason unchanged when it aborts", async () => {
  const controller = new AbortController();
  const reason = { why: "no longer needed" };
  const sleeping = systemClock.sleep(60_000, controller.signal);
  controller.abort(reason);
  await assert.rejects(sleeping, (e: unknown) => {
    assert.equal(e, reason);
    return true;
  });
});

Deno.test("systemClock.sleep() rejects at once, arming no timer, when the signal is already aborted", async () => {
  const reason = new Error("already cancelled");
  let sleeping: Promise<void> | undefined;
  const delays = await recordTimerDelays(() => {
    sleeping = systemClock.sleep(60_000, AbortSignal.abort(reason));
    return Promise.resolve();
  });
  assert.deepEqual(delays, []);
  await assert.rejects(sleeping!, (e: unknown) => e === reason);
});

Deno.test("systemClock.sleep() arms a timer of the requested length, negative as zero", async () => {
  const delays = await recordTimerDelays(async () => {
    await systemClock.sleep(1_234);
    await systemClock.sleep(-5);
  });
  assert.deepEqual(delays, [1_234, 0]);
});

Deno.test("systemClock.sleep() stops listening to the signal once it resolves", async () => {
  const { controller, signal, listeners } = countedSignal();
  await systemClock.sleep(0, signal);
  assert.equal(listeners(), 0);
  controller.abort(new Error("late abort is harmless"));
});

Deno.test("createScaledClock() starts at `start` and runs timeScale times faster than real time", () => {
  withFakeNow(1_000_000, (set) => {
    const clock = createScaledClock({ timeScale: 60, start: 0, realStart: 1_000_000 });
    assert.equal(clock.now(), 0);
    set(1_001_000);
    assert.equal(clock.now(), 60_000);
    set(1_000_250);
    assert.equal(clock.now(), 15_000);
  });
});

Deno.test("createScaledClock() defaults `start` to `realStart` and `realStart` to now", () => {
  withFakeNow(5_000, (set) => {
    const fromRealStart = createScaledClock({ timeScale: 2, realStart: 4_000 });
    assert.equal(fromRealStart.now(), 4_000 + 1_000 * 2);
    const fromNow = createScaledClock({ timeScale: 10 });
    assert.equal(fromNow.now(), 5_000);
    set(5_100);
    assert.equal(fromNow.now(), 5_000 + 100 * 10);
  });
});

Deno.test("createScaledClock() sleeps 1/timeScale of the requested time in real time", async () => {
  const clock = createScaledClock({ timeScale: 60, start: 0 });
  const delays = await recordTimerDelays(() => clock.sleep(60_000));
  assert.deepEqual(delays, [1_000]);
});

Deno.test("createScaledClock() sleeps reject with the signal's reason unchanged", async () => {
  const clock = createScaledClock({ timeScale: 60 });
  const reason = new Error("stop");
  await assert.rejects(
    clock.sleep(60_000, AbortSignal.abort(reason)),
    (e: unknown) => e === reason,
  );
  const controller = new AbortController();
  const sleeping = clock.sleep(600_000, controller.signal);
  controller.abort(reason);
  await assert.rejects(sleeping, (e: unknown) => e === reason);
});

Deno.test("createScaledClock() rejects a timeScale that is not a finite number > 0", () => {
  for (const timeScale of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(
      () => createScaledClock({ timeScale }),
      (e: unknown) =>
        e instanceof RangeError && e.message.includes(`timeScale ${timeScale}`) &&
        e.message.includes("finite number > 0"),
      `timeScale ${timeScale}`,
    );
  }
});
