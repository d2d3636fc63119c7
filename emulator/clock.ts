/**
 * Emulated time. Every duration in the emulator (endpoint creation, instance
 * launch, inference time, TTLs, metric periods, cooldowns) is measured on an
 * {@linkcode EmulatorClock}: real time by default, faster with a time scale,
 * or moved by hand in tests with {@linkcode ManualEmulatorClock}.
 *
 * The clock is structurally a lib `Clock` too (`now()` + `sleep()`), so a
 * notebook can hand the emulator's clock to the library's waits.
 *
 * @module
 */

/** A scheduled task; cancel it if it is no longer wanted. */
export interface ScheduledTask {
  /** Emulated epoch ms at which it runs. */
  readonly at: number;
  /** Prevents the task from running if it has not yet. */
  cancel(): void;
}

/** Emulated time plus a scheduler of background work. */
export interface EmulatorClock {
  /** Emulated epoch milliseconds. */
  now(): number;
  /** Emulated milliseconds per real millisecond (1 = real time). */
  readonly timeScale: number;
  /**
   * Runs `task` once emulated time reaches `at` (epoch ms). A promise the task
   * returns is tracked (see {@linkcode EmulatorClock.track}), so a manual
   * clock waits for it before moving on.
   */
  schedule(at: number, task: () => void | Promise<void>): ScheduledTask;
  /** Resolves after `ms` emulated milliseconds; rejects with `signal.reason`. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Registers background work so a manual clock can wait for it to finish.
   * Tracked work must finish on real I/O alone: it must never wait on this
   * clock (a `sleep`, or a promise only a scheduled task settles), or a
   * manual clock would wait for it forever. Work with an emulated duration
   * schedules its continuation instead (as the async queue's two-phase
   * inference does).
   */
  track(work: Promise<unknown>): void;
  /** Stops every pending timer (used on shutdown). */
  dispose(): void;
}

/** Called with errors thrown by scheduled tasks, which must never be lost. */
export type TaskErrorHandler = (error: unknown) => void;

interface Entry {
  at: number;
  seq: number;
  task: () => void | Promise<void>;
  cancelled: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

abstract class BaseClock implements EmulatorClock {
  abstract readonly timeScale: number;
  protected seq = 0;
  protected readonly inFlight = new Set<Promise<unknown>>();
  readonly #onError: TaskErrorHandler;

  constructor(onError?: TaskErrorHandler) {
    this.#onError = onError ?? ((error) => {
      queueMicrotask(() => {
        throw error;
      });
    });
  }

  abstract now(): number;
  abstract schedule(
    at: number,
    task: () => void | Promise<void>,
  ): ScheduledTask;
  abstract dispose(): void;

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        handle.cancel();
        reject(signal!.reason);
      };
      const handle = this.schedule(this.now() + Math.max(0, ms), () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      });
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  track(work: Promise<unknown>): void {
    const tracked = work.then(
      () => {},
      (error) => this.#onError(error),
    ).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  protected runTask(entry: Entry): void {
    if (entry.cancelled) return;
    entry.cancelled = true;
    try {
      const result = entry.task();
      if (result instanceof Promise) this.track(result);
    } catch (error) {
      this.#onError(error);
    }
  }
}

/** Options for {@linkcode SystemEmulatorClock}. */
export interface SystemEmulatorClockOptions {
  /** Emulated ms per real ms. Default 1. `60` makes one real second an emulated minute. */
  timeScale?: number;
  /** Where errors from background tasks go. */
  onError?: TaskErrorHandler;
  /**
   * Emulated epoch ms at construction. Default: the real time. A restarted
   * emulator passes the time it had reached, so emulated time never goes
   * backwards across restarts.
   */
  start?: number;
}

/**
 * Real time, optionally sped up. Emulated time starts at the real time of
 * construction and runs `timeScale` times faster.
 */
export class SystemEmulatorClock extends BaseClock {
  readonly timeScale: number;
  readonly #realStart = Date.now();
  readonly #start: number;
  readonly #pending = new Set<Entry>();

  constructor(options: SystemEmulatorClockOptions = {}) {
    super(options.onError);
    const scale = options.timeScale ?? 1;
    if (!(scale > 0) || !Number.isFinite(scale)) {
      throw new RangeError(
        `Invalid time scale ${scale}: must be a finite number > 0`,
      );
    }
    this.timeScale = scale;
    this.#start = options.start ?? this.#realStart;
  }

  now(): number {
    return this.#start + (Date.now() - this.#realStart) * this.timeScale;
  }

  schedule(at: number, task: () => void | Promise<void>): ScheduledTask {
    const entry: Entry = { at, seq: this.seq++, task, cancelled: false };
    const delay = Math.max(0, (at - this.now()) / this.timeScale);
    // setTimeout's limit is 2^31-1 ms; re-arm for longer waits.
    const arm = (ms: number) => {
      entry.timer = setTimeout(() => {
        const left = (entry.at - this.now()) / this.timeScale;
        if (left > 1) return arm(left);
        this.#pending.delete(entry);
        this.runTask(entry);
      }, Math.min(ms, 2 ** 31 - 1));
    };
    this.#pending.add(entry);
    arm(delay);
    return {
      at,
      cancel: () => {
        entry.cancelled = true;
        clearTimeout(entry.timer);
        this.#pending.delete(entry);
      },
    };
  }

  dispose(): void {
    for (const entry of this.#pending) {
      entry.cancelled = true;
      clearTimeout(entry.timer);
    }
    this.#pending.clear();
  }
}

function macrotask(): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, 0));
}

/** Options for {@linkcode ManualEmulatorClock}. */
export interface ManualEmulatorClockOptions {
  /** Start time, epoch ms. Default 2026-01-01T00:00:00Z. */
  start?: number;
  /** Where errors from background tasks go. */
  onError?: TaskErrorHandler;
}

/**
 * Time that moves only through {@linkcode ManualEmulatorClock.advance}. Tasks
 * run in time order; after each one, the clock waits for the work it started
 * (tracked promises) to settle, so a test that advances ten emulated minutes
 * sees every state change of those minutes, in order, in milliseconds.
 *
 * @example
 * ```ts
 * import { ManualEmulatorClock } from "@sagemaker-async/toolkit/emulator";
 *
 * const clock = new ManualEmulatorClock({ start: 0 });
 * const seen: number[] = [];
 * clock.schedule(60_000, () => { seen.push(clock.now()); });
 * await clock.advance(120_000);
 * if (seen[0] !== 60_000) throw new Error("task ran at the wrong time");
 * ```
 */
export class ManualEmulatorClock extends BaseClock {
  readonly timeScale = 1;
  #now: number;
  #entries: Entry[] = [];

  constructor(options: ManualEmulatorClockOptions = {}) {
    super(options.onError);
    this.#now = options.start ?? Date.UTC(2026, 0, 1);
  }

  now(): number {
    return this.#now;
  }

  /** Timers still waiting to run. */
  get pendingTasks(): number {
    return this.#entries.filter((e) => !e.cancelled).length;
  }

  /** Emulated time of the next pending task, if any. */
  get nextTaskAt(): number | undefined {
    let best: number | undefined;
    for (const e of this.#entries) {
      if (!e.cancelled && (best === undefined || e.at < best)) best = e.at;
    }
    return best;
  }

  schedule(at: number, task: () => void | Promise<void>): ScheduledTask {
    const entry: Entry = { at, seq: this.seq++, task, cancelled: false };
    this.#entries.push(entry);
    return {
      at,
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /**
   * Waits until no tracked background work is in flight, however long its
   * real I/O takes. Tracked work never waits on this clock (see
   * {@linkcode EmulatorClock.track}), so it needs no time to pass to finish.
   */
  async settle(): Promise<void> {
    await macrotask();
    while (this.inFlight.size > 0) {
      // track() hands failures to onError: a tracked promise rejects only if
      // onError throws, and then the caller (advance) sees that error.
      await Promise.all(this.inFlight);
      // Let work that finished I/O just now register what it starts next.
      await macrotask();
    }
  }

  /**
   * Moves time forward by `ms`, running due tasks in (time, insertion) order
   * and settling the work each starts before the next.
   */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) {
      throw new RangeError(
        `Cannot advance the clock by ${ms} ms: must be >= 0`,
      );
    }
    await this.advanceTo(this.#now + ms);
  }

  /** Moves time forward to `target` epoch ms (never backwards). */
  async advanceTo(target: number): Promise<void> {
    await this.settle();
    for (;;) {
      const next = this.#takeDue(target);
      if (!next) break;
      if (next.at > this.#now) this.#now = next.at;
      this.runTask(next);
      await this.settle();
    }
    if (target > this.#now) this.#now = target;
    await this.settle();
  }

  /**
   * Drives time until `work` settles: after each real millisecond in which
   * no tracked work is in flight, jumps to the next pending task, at most
   * `stepMs` ahead. `work` is not tracked work: it may wait on real I/O
   * (loopback HTTP to the emulator) or poll in real time (the SDK's own
   * waiters), which the clock cannot see, so emulated time moves in real
   * steps rather than all at once. Rejects with `work`'s error, or a
   * `RangeError` if `maxMs` of emulated time pass first.
   */
  async run<T>(
    work: Promise<T>,
    options: { stepMs?: number; maxMs?: number } = {},
  ): Promise<T> {
    const stepMs = options.stepMs ?? 60_000;
    const maxMs = options.maxMs ?? 24 * 3_600_000;
    const deadline = this.#now + maxMs;
    let done = false;
    const watched = work.finally(() => {
      done = true;
    });
    watched.catch(() => {});
    for (;;) {
      await this.settle();
      if (done) break;
      // Let real I/O (loopback HTTP) make progress before moving time.
      await new Promise<void>((resolve) => setTimeout(resolve, 1));
      if (done) break;
      // Work started meanwhile is settled (and `done` re-read) before time moves.
      if (this.inFlight.size > 0) continue;
      if (this.#now >= deadline) {
        throw new RangeError(`Work did not settle within ${maxMs} ms of emulated time`);
      }
      const next = this.nextTaskAt ?? Infinity;
      await this.advanceTo(Math.max(this.#now, Math.min(deadline, this.#now + stepMs, next)));
    }
    return await watched;
  }

  dispose(): void {
    for (const entry of this.#entries) entry.cancelled = true;
    this.#entries = [];
  }

  #takeDue(target: number): Entry | undefined {
    this.#entries = this.#entries.filter((e) => !e.cancelled);
    let best: Entry | undefined;
    for (const e of this.#entries) {
      if (e.at > target) continue;
      if (!best || e.at < best.at || (e.at === best.at && e.seq < best.seq)) {
        best = e;
      }
    }
    if (best) this.#entries = this.#entries.filter((e) => e !== best);
    return best;
  }
}
