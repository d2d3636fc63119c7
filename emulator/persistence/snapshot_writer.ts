/**
 * Group commit for a service's state: callers change their in-memory state,
 * then `await writer.commit()`; the writer saves one snapshot of the whole
 * section that covers every change made before the save started, so many
 * concurrent changes cost one write, and each caller resumes only once its
 * change is durable. With a non-durable persistence, commits resolve at once.
 *
 * @module
 */
import type { EmulatorContext, Persistence } from "../context.ts";

/** Options for {@linkcode SnapshotWriter}. */
export interface SnapshotWriterOptions {
  /** Where snapshots go. */
  persistence: Persistence;
  /** Section name (`s3`, `sagemaker`, ...). */
  section: string;
  /** Builds the JSON-serialisable snapshot of the current state; called once per write. */
  snapshot: () => unknown;
}

interface Waiter {
  generation: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Saves a section's snapshot after changes, coalescing concurrent commits.
 *
 * @example
 * ```ts
 * import { FilePersistence, SnapshotWriter } from "@sagemaker-async/toolkit/emulator";
 *
 * const dir = await Deno.makeTempDir();
 * const persistence = await FilePersistence.open(dir);
 * const state = { count: 0 };
 * const writer = new SnapshotWriter({ persistence, section: "counter", snapshot: () => state });
 * state.count++;
 * const first = writer.commit();
 * state.count++;
 * await Promise.all([first, writer.commit()]);
 * const saved = await persistence.load<{ count: number }>("counter");
 * if (saved?.count !== 2) throw new Error(`saved ${JSON.stringify(saved)}`);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class SnapshotWriter {
  readonly #options: SnapshotWriterOptions;
  #requested = 0;
  #saved = 0;
  #waiters: Waiter[] = [];
  #loop: Promise<void> | undefined;

  constructor(options: SnapshotWriterOptions) {
    this.#options = options;
  }

  /** Resolves once a snapshot taken after this call is durable; rejects if that save fails. */
  commit(): Promise<void> {
    if (!this.#options.persistence.durable) return Promise.resolve();
    const generation = ++this.#requested;
    const done = new Promise<void>((resolve, reject) => {
      this.#waiters.push({ generation, resolve, reject });
    });
    this.#loop ??= this.#run();
    return done;
  }

  /**
   * Commits without waiting: the save is tracked on the emulator clock (so a
   * manual clock's `advance()` waits for it) and a failure goes to
   * `reportError`. Nothing to do without a durable persistence.
   */
  commitInBackground(context: Pick<EmulatorContext, "clock" | "reportError">): void {
    if (!this.#options.persistence.durable) return;
    context.clock.track(this.commit().catch((error) => context.reportError(error)));
  }

  /** Resolves once every commit requested so far has settled. */
  async flush(): Promise<void> {
    while (this.#loop) await this.#loop;
  }

  async #run(): Promise<void> {
    // Let changes made in the same tick join this write.
    await Promise.resolve();
    while (this.#saved < this.#requested) {
      const generation = this.#requested;
      let failure: { error: unknown } | undefined;
      try {
        await this.#options.persistence.save(this.#options.section, this.#options.snapshot());
      } catch (error) {
        failure = { error };
      }
      this.#saved = generation;
      const settled = this.#waiters.filter((w) => w.generation <= generation);
      this.#waiters = this.#waiters.filter((w) => w.generation > generation);
      for (const waiter of settled) {
        if (failure) waiter.reject(failure.error);
        else waiter.resolve();
      }
    }
    this.#loop = undefined;
  }
}
