import assert from "node:assert/strict";
import { ManualEmulatorClock, SystemEmulatorClock } from "../../emulator/clock.ts";

/** A few real macrotasks: what fake I/O between awaits looks like. */
async function realTicks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setTimeout(resolve, 0));
}

/** Makes every `setTimeout` fire on the next macrotask, whatever its delay, while `body` runs. */
async function withImmediateTimers(body: () => Promise<void>): Promise<void> {
  const realSetTimeout = globalThis.setTimeout;
  // deno-lint-ignore no-explicit-any
  (globalThis as any).setTimeout = (fn: () => void) => realSetTimeout(fn, 0);
  try {
    await body();
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
}

/** Replaces `Date.now` with a controllable value while `body` runs. */
async function withFakeNow(
  start: number,
  body: (set: (t: number) => void) => void | Promise<void>,
): Promise<void> {
  const realNow = Date.now;
  let now = start;
  Date.now = () => now;
  try {
    await body((t) => now = t);
  } finally {
    Date.now = realNow;
  }
}

Deno.test("ManualEmulatorClock starts at 2026-01-01T00:00:00Z unless given a start, at time scale 1", () => {
  assert.equal(new ManualEmulatorClock().now(), Date.UTC(2026, 0, 1));
  const clock = new ManualEmulatorClock({ start: 5 });
  assert.equal(clock.now(), 5);
  assert.equal(clock.timeScale, 1);
  assert.equal(clock.pendingTasks, 0);
  assert.equal(clock.nextTaskAt, undefined);
});

Deno.test("ManualEmulatorClock.advance() runs due tasks by time, then in the order they were scheduled", async () => {
  const clock = new ManualEmulatorClock({ start: 0 });
  const ran: string[] = [];
  for (const [name, at] of [["a", 300], ["b", 100], ["c", 100], ["d", 200]] as const) {
    clock.schedule(at, () => {
      ran.push(`${name}@${clock.now()}`);
    });
  }
  assert.equal(clock.pendingTasks, 4);
  assert.equal(clock.nextTaskAt, 100);
  await clock.advance(250);
  assert.deepEqual(ran, ["b@100", "c@100", "d@200"]);
  assert.equal(clock.now(), 250);
  assert.equal(clock.nextTaskAt, 300);
  await clock.advance(50);
  assert.deepEqual(ran, ["b@100", "c@100", "d@200", "a@300"]);
  assert.equal(clock.pendingTasks, 0);
});

Deno.test("ManualEmulatorClock runs a task scheduled in the past at the next advance, without moving time back", async () => {
  const clock = new ManualEmulatorClock({ start: 1_000 });
  const seen: number[] = [];
  clock.schedule(10, () => {
    seen.push(clock.now());
  });
  await clock.advance(0);
  assert.deepEqual(seen, [1_000]);
  await clock.advanceTo(500);
  assert.equal(clock.now(), 1_000);
});

Deno.test("ManualEmulatorClock task.cancel() keeps the task from running", async () => {
  const clock = new ManualEmulatorClock({ start: 0 });
  const ran: string[] = [];
  const cancelled = clock.schedule(100, () => {
    ran.push("cancelled");
  });
  clock.schedule(200, () => {
    ran.push("kept");
  });
  assert.equal(cancelled.at, 100);
  cancelled.cancel();
  assert.equal(clock.pendingTasks, 1);
  assert.equal(clock.nextTaskAt, 200);
  await clock.advance(1_000);
  assert.deepEqual(ran, ["kept"]);
});

Deno.test("ManualEmulatorClock.advance() also runs tasks that due tasks schedule within the same span", async () => {
  const clock = new ManualEmulatorClock({ start: 0 });
  const ran: number[] = [];
  const tick = () => {
    ran.push(clock.now());
    clock.schedule(clock.now() + 100, tick);
  };
  clock.schedule(100, tick);
  await clock.advance(350);
  assert.deepEqual(ran, [100, 200, 300]);
  assert.equal(clock.nextTaskAt, 400);
  clock.dispose();
});

Deno.test("ManualEmulatorClock.advance() waits for the async work a task starts before the next task", async () => {
  const clock = new ManualEmulatorClock({ start: 0 });
  const log: string[] = [];
  clock.schedule(100, async () => {
    log.push("first started");
    await realTicks(3);
    log.push("first finished");
  });
  clock.schedule(100, () => {
    log.push("second");
  });
  await clock.advance(100);
  assert.deepEqual(log, ["first started", "first finished", "second"]);
});

Deno.test("ManualEmulatorClock.advance() settles tracked background work before returning", async () => {
  const clock = new ManualEmulatorClock({ start: 0 });
  let done = false;
  clock.schedule(10, () => {
    clock.track(realTicks(3).then(() => done = true));
  });
  await clock.advance(10);
  assert.equal(done, true);
});

Deno.test("ManualEmulatorClock.settle() waits for tracked work however long its I/O takes", async () => {
  const clock = new ManualEmulatorClock({ start: 0 });
  clock.schedule(60_000, () => {});
  const io = Promise.withResolvers<void>();
  let finished = false;
  clock.track(io.promise.then(() => finished = true));
  let settled = false;
  const settling = clock.settle().then(() => settled = true);
  // Every timer armed meanwhile fires at once, as if any fixed wait for the I/O had run out.
  await withImmediateTimers(() => realTicks(20));
  assert.equal(settled, false, "settle() returned while tracked I/O was still running");
  io.resolve();
  await settling;
  assert.equal(finished, true);
  assert.equal(clock.now(), 0);
  assert.equal(clock.pendingTasks, 1);
});

Deno.test("ManualEmulatorClock.advance() runs the continuation tracked work schedules, at its time", async () => {
  const clock = new ManualEmulatorClock({ start: 0 });
  const log: string[] = [];
  clock.schedule(100, async () => {
    await realTicks(2);
    log.push(`read input@${clock.now()}`);
    clock.schedule(clock.now() + 1_000, () => {
      log.push(`delivered@${clock.now()}`);
    });
  });
  clock.schedule(500, () => {
    log.push(`other@${clock.now()}`);
  });
  await clock.advance(2_000);
  assert.deepEqual(log, ["read input@100", "other@500", "delivered@1100"]);
  assert.equal(clock.now(), 2_000);
});

Deno.test("ManualEmulatorClock.advance() rejects negative and NaN durations with a RangeError", async () => {
  const clock = new ManualEmulatorClock({ start: 0 });
  for (const ms of [-1, Number.NaN]) {
    await assert.rejects(
      clock.advance(ms),
      (e: unknown) => e instanceof RangeError && e.message.includes(`${ms} ms`),
    );
  }
  assert.equal(clock.now(), 0);
});

Deno.test("ManualEmulatorClock.sleep() resolves once its time has passed", async () => {
  const clock = new ManualEmulatorClock({ start: 0 });
  let woke = false;
  const sleeping = clock.sleep(1_000).then(() => woke = true);
  await clock.advance(999);
  assert.equal(woke, false);
  await clock.advance(1);
  await sleeping;
  assert.equal(woke, true);
});

Deno.test("ManualEmulatorClock.sleep() rejects with signal.reason and cancels its timer when aborted", async () => {
  const clock = new ManualEmulatorClock({ start: 0 });
  const controller = new AbortController();
  const reason = { aborted: "by test" };
  const sleeping = clock.sleep(1_000, controller.signal);
  assert.equal(clock.pendingTasks, 1);
  controller.abort(reason);
  await assert.rejects(sleeping, (e: unknown) => e === reason);
  assert.equal(clock.pendingTasks, 0);

  const early = new Error("already aborted");
  await assert.rejects(clock.sleep(1_000, AbortSignal.abort(early)), (e: unknown) => e === early);
  assert.equal(clock.pendingTasks, 0);
});

Deno.test("ManualEmulatorClock.run() drives time until the work settles and returns its value", async () => {
  const clock = new ManualEmulatorClock({ start: 0 });
  const work = (async () => {
    await clock.sleep(60_000);
    await clock.sleep(3_600_000);
    return 42;
  })();
  assert.equal(await clock.run(work), 42);
  assert.equal(clock.now(), 3_660_000);
});

Deno.test("ManualEmulatorClock.run() rejects with the work's own error", async () => {
  const clock = new ManualEmulatorClock({ start: 0 });
  const failure = new Error("endpoint failed");
  const work = (async () => {
    await clock.sleep(10_000);
    throw failure;
  })();
  await assert.rejects(clock.run(work), (e: unknown) => e === failure);
  assert.equal(clock.now(), 10_000);
});

Deno.test("ManualEmulatorClock.run() rejects with a RangeError when maxMs of emulated time pass first", async () => {
  const clock = new ManualEmulatorClock({ start: 0 });
  const controller = new AbortController();
  const never = clock.sleep(10 * 3_600_000, controller.signal);
  never.catch(() => {});
  await assert.rejects(
    clock.run(never, { maxMs: 3_600_000, stepMs: 600_000 }),
    (e: unknown) => e instanceof RangeError && e.message.includes("3600000 ms"),
  );
  assert.equal(clock.now(), 3_600_000);
  controller.abort();
});

Deno.test("ManualEmulatorClock sends errors thrown or rejected by tasks and tracked work to onError", async () => {
  const errors: unknown[] = [];
  const clock = new ManualEmulatorClock({ start: 0, onError: (e) => errors.push(e) });
  const syncError = new Error("sync");
  const asyncError = new Error("async");
  const trackedError = new Error("tracked");
  let later = false;
  clock.schedule(10, () => {
    throw syncError;
  });
  clock.schedule(20, async () => {
    await realTicks(1);
    throw asyncError;
  });
  clock.schedule(30, () => {
    later = true;
  });
  clock.track(Promise.reject(trackedError));
  await clock.advance(30);
  assert.deepEqual(errors, [trackedError, syncError, asyncError]);
  assert.equal(later, true);
});

Deno.test("ManualEmulatorClock.dispose() drops every pending task", async () => {
  const clock = new ManualEmulatorClock({ start: 0 });
  let ran = false;
  clock.schedule(10, () => {
    ran = true;
  });
  clock.dispose();
  assert.equal(clock.pendingTasks, 0);
  await clock.advance(100);
  assert.equal(ran, false);
});

Deno.test("SystemEmulatorClock rejects a time scale that is not a finite number > 0", () => {
  for (const timeScale of [0, -2, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(
      () => new SystemEmulatorClock({ timeScale }),
      (e: unknown) =>
        e instanceof RangeError && e.message.includes(`time scale ${timeScale}`) &&
        e.message.includes("finite number > 0"),
    );
  }
});

Deno.test("SystemEmulatorClock starts at the real time and runs at real speed by default", async () => {
  await withFakeNow(1_000_000, (set) => {
    const clock = new SystemEmulatorClock();
    assert.equal(clock.timeScale, 1);
    assert.equal(clock.now(), 1_000_000);
    set(1_000_250);
    assert.equal(clock.now(), 1_000_250);
  });
});

Deno.test("SystemEmulatorClock starts at `start` and runs timeScale times faster", async () => {
  await withFakeNow(1_000_000, (set) => {
    const clock = new SystemEmulatorClock({ timeScale: 60, start: 5_000 });
    assert.equal(clock.now(), 5_000);
    set(1_001_000);
    assert.equal(clock.now(), 5_000 + 60_000);
  });
});

Deno.test("SystemEmulatorClock runs a scheduled task after the scaled real delay", async () => {
  const clock = new SystemEmulatorClock({ timeScale: 10_000 });
  const start = clock.now();
  let ranAt: number | undefined;
  await new Promise<void>((resolve) => {
    clock.schedule(start + 20_000, () => {
      ranAt = clock.now();
      resolve();
    });
  });
  assert.ok(ranAt !== undefined && ranAt >= start + 20_000 - 10_000, `ran at ${ranAt}`);
  clock.dispose();
});

Deno.test("SystemEmulatorClock sleeps arm a timer of ms / timeScale real milliseconds", async () => {
  const realSetTimeout = globalThis.setTimeout;
  const delays: number[] = [];
  // deno-lint-ignore no-explicit-any
  (globalThis as any).setTimeout = (fn: () => void, ms = 0) => {
    delays.push(ms);
    return realSetTimeout(fn, 0);
  };
  try {
    await withFakeNow(0, async (set) => {
      const clock = new SystemEmulatorClock({ timeScale: 60, start: 0 });
      const sleeping = clock.sleep(120_000);
      assert.deepEqual(delays, [2_000]);
      set(2_000);
      await sleeping;
      assert.equal(clock.now(), 120_000);
    });
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
});

Deno.test("SystemEmulatorClock sleeps reject with signal.reason when aborted", async () => {
  const clock = new SystemEmulatorClock({ timeScale: 60 });
  const controller = new AbortController();
  const reason = new Error("shutting down");
  const sleeping = clock.sleep(3_600_000, controller.signal);
  controller.abort(reason);
  await assert.rejects(sleeping, (e: unknown) => e === reason);
  const early = new Error("already aborted");
  await assert.rejects(clock.sleep(1_000, AbortSignal.abort(early)), (e: unknown) => e === early);
  clock.dispose();
});

Deno.test("SystemEmulatorClock cancel() and dispose() stop pending timers", async () => {
  const clock = new SystemEmulatorClock();
  let ran = 0;
  const task = clock.schedule(clock.now() + 1, () => {
    ran++;
  });
  task.cancel();
  clock.schedule(clock.now() + 1, () => {
    ran++;
  });
  clock.schedule(clock.now() + 60_000, () => {
    ran++;
  });
  clock.dispose();
  await realTicks(1);
  await new Promise<void>((resolve) => setTimeout(resolve, 5));
  assert.equal(ran, 0);
});

Deno.test("SystemEmulatorClock re-arms timers longer than setTimeout's limit", async () => {
  const realSetTimeout = globalThis.setTimeout;
  const armed: Array<{ fn: () => void; ms: number }> = [];
  // deno-lint-ignore no-explicit-any
  (globalThis as any).setTimeout = (fn: () => void, ms = 0) => {
    armed.push({ fn, ms });
    return 0;
  };
  try {
    await withFakeNow(0, (set) => {
      const clock = new SystemEmulatorClock({ start: 0 });
      let ran = false;
      const limit = 2 ** 31 - 1;
      clock.schedule(limit + 1_000, () => {
        ran = true;
      });
      assert.deepEqual(armed.map((a) => a.ms), [limit]);
      set(limit);
      armed[0]!.fn();
      assert.equal(ran, false);
      assert.deepEqual(armed.map((a) => a.ms), [limit, 1_000]);
      set(limit + 1_000);
      armed[1]!.fn();
      assert.equal(ran, true);
    });
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
});

Deno.test("SystemEmulatorClock sends task errors to onError", async () => {
  const errors: unknown[] = [];
  const clock = new SystemEmulatorClock({ onError: (e) => errors.push(e) });
  const failure = new Error("task failed");
  await new Promise<void>((resolve) => {
    clock.schedule(clock.now(), () => {
      queueMicrotask(resolve);
      throw failure;
    });
  });
  assert.deepEqual(errors, [failure]);
});
