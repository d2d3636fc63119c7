/**
 * Progress as plain lines for CI logs, pipes and files: one line per meaningful change, with
 * repetitive updates throttled.
 *
 * @module
 */
import { type Clock, systemClock } from "../clock.ts";
import { BaseProgressRenderer, type RendererOutcome } from "./_renderer_base.ts";
import { describeError, singleLine } from "./_text.ts";
import { functionOption, millisecondsOption, writeStderr } from "./_options.ts";
import type { ProgressDescription } from "./format.ts";

/** Options for {@linkcode PlainProgressRenderer}. */
export interface PlainProgressRendererOptions {
  /** Receives the text, whole lines ending in `\n`. Default: stderr. */
  write?: (text: string) => void;
  /** Times the throttling. Default: the system clock. */
  clock?: Clock;
  /**
   * Least time between two lines for the same status when only its counts changed (e.g.
   * `Results 3/10` then `Results 4/10`). Default 10 000 ms.
   */
  minIntervalMs?: number;
  /**
   * A status that does not change is repeated (with its growing elapsed time) after this long,
   * to show the wait is alive. Default 60 000 ms.
   */
  heartbeatMs?: number;
}

interface Printed {
  readonly state: string;
  readonly text: string;
  readonly at: number;
}

/**
 * Writes progress as plain lines, without colours or control characters.
 *
 * - Milestones (a resource created or deleted) always get a line.
 * - A status gets a line when it first appears and whenever its state changes (e.g. `Creating`
 *   to `InService`, or the last result arriving).
 * - Counts that tick within one state get at most one line per `minIntervalMs`.
 * - A status that stays the same is repeated every `heartbeatMs`.
 * - `done()`, `fail()` and disposal first print any status whose latest text was held back.
 *
 * So a 10-minute endpoint creation polled every second prints about a dozen lines, not 600.
 *
 * @example
 * ```ts
 * import { PlainProgressRenderer } from "@sagemaker-async/toolkit/display";
 * import { ManualClock } from "@sagemaker-async/toolkit/testing";
 *
 * const clock = new ManualClock({ start: 0, autoAdvance: true });
 * let out = "";
 * const progress = new PlainProgressRenderer({ clock, write: (t) => out += t });
 * for (let s = 0; s <= 600; s += 5) {
 *   progress.onProgress({
 *     type: "endpoint-status",
 *     endpointName: "falcon",
 *     status: s < 600 ? "Creating" : "InService",
 *     elapsedMs: s * 1000,
 *     message: "",
 *   });
 *   await clock.sleep(5000);
 * }
 * await progress.done();
 * const lines = out.trimEnd().split("\n");
 * if (lines.length !== 12) throw new Error(`expected 12 lines, got ${lines.length}`);
 * if (lines.at(-2) !== "Endpoint falcon: InService (10m 0s)") throw new Error(lines.at(-2));
 * ```
 */
export class PlainProgressRenderer extends BaseProgressRenderer {
  readonly #write: (text: string) => void;
  readonly #clock: Clock;
  readonly #minIntervalMs: number;
  readonly #heartbeatMs: number;
  readonly #printed = new Map<string, Printed>();
  readonly #latest = new Map<string, ProgressDescription>();

  /** Checks the options (`TypeError`/`RangeError` naming a bad one) and sets up the sink. */
  constructor(options: PlainProgressRendererOptions = {}) {
    super();
    functionOption(options.write, "write");
    this.#minIntervalMs = millisecondsOption(options.minIntervalMs, {
      name: "minIntervalMs",
      fallback: 10_000,
    });
    this.#heartbeatMs = millisecondsOption(options.heartbeatMs, {
      name: "heartbeatMs",
      fallback: 60_000,
    });
    this.#write = options.write ?? writeStderr;
    this.#clock = options.clock ?? systemClock;
  }

  /** Prints a milestone at once, a status when it is due (see the class description). */
  protected override show(d: ProgressDescription): void {
    if (d.kind === "milestone") {
      this.#write(`${d.line}\n`);
      return;
    }
    this.#latest.set(d.key, d);
    const now = this.#clock.now();
    const last = this.#printed.get(d.key);
    const due = !last ||
      d.state !== last.state ||
      (d.text !== last.text && now - last.at >= this.#minIntervalMs) ||
      now - last.at >= this.#heartbeatMs;
    if (due) this.#print(d, now);
  }

  /** Prints held-back statuses, then `Done`, `Done: <summary>` or `Failed: <error>`. */
  protected override close(outcome: RendererOutcome | undefined): void {
    const now = this.#clock.now();
    for (const [key, d] of this.#latest) {
      const printed = this.#printed.get(key);
      if (!printed || printed.text !== d.text) this.#print(d, now);
    }
    if (outcome?.kind === "done") {
      this.#write(outcome.summary ? `Done: ${singleLine(outcome.summary)}\n` : "Done\n");
    } else if (outcome?.kind === "failed") {
      this.#write(`Failed: ${describeError(outcome.error)}\n`);
    }
  }

  #print(d: ProgressDescription, now: number): void {
    this.#printed.set(d.key, { state: d.state, text: d.text, at: now });
    this.#write(`${d.line}\n`);
  }
}
