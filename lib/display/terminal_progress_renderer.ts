/**
 * Progress as one live line on a terminal: a spinner (or bar) redrawn in place with `\r`, with
 * milestones printed above it as permanent lines.
 *
 * @module
 */
import { type Clock, systemClock } from "../clock.ts";
import { formatDuration } from "../progress.ts";
import { BaseProgressRenderer, type RendererOutcome } from "./_renderer_base.ts";
import {
  type AnsiColor,
  describeError,
  displayWidth,
  paint,
  singleLine,
  textBar,
  truncate,
} from "./_text.ts";
import { functionOption, millisecondsOption, writeStderr } from "./_options.ts";
import type { ProgressDescription, ProgressTone } from "./format.ts";
import { stderrColumns } from "./progress_target.ts";

/** Options for {@linkcode TerminalProgressRenderer}. */
export interface TerminalProgressRendererOptions {
  /** Receives the text, including `\r` and erase-line sequences. Default: stderr. */
  write?: (text: string) => void;
  /**
   * Current terminal width in columns, read on every redraw. A width of 0 or less (terminals
   * that report no size) is treated as 80. Default: the width of stderr's terminal.
   */
  columns?: () => number;
  /** Use ANSI colours. Default: `!Deno.noColor` (the `NO_COLOR` convention). */
  color?: boolean;
  /** Times redraw throttling. Default: the system clock. */
  clock?: Clock;
  /**
   * Least time between two redraws of the live line when only its counts or time changed;
   * state changes and milestones always redraw. Default 100 ms.
   */
  minIntervalMs?: number;
}

/** Moves to the start of the line and erases it. */
const CLEAR_LINE = "\r\x1b[2K";
const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const FALLBACK_COLUMNS = 80;
const BAR_COLUMNS = 22;

const TONE_SYMBOL: Readonly<Record<Exclude<ProgressTone, "active">, string>> = {
  success: "✔",
  failure: "✖",
  warning: "!",
  neutral: "•",
};

const TONE_COLOR: Readonly<Record<ProgressTone, AnsiColor>> = {
  active: "cyan",
  success: "green",
  failure: "red",
  warning: "yellow",
  neutral: "dim",
};

/**
 * Draws progress on a terminal. The current status is one line that is erased and redrawn
 * (`\r` + `ESC[2K`), cut to the terminal width so it never wraps; result counts get a bar.
 * Milestones and the closing line are printed above it and stay. The spinner advances on each
 * redraw (no timers, so nothing keeps the process alive).
 *
 * @example Captured output
 * ```ts
 * import { TerminalProgressRenderer } from "@sagemaker-async/toolkit/display";
 *
 * let out = "";
 * const progress = new TerminalProgressRenderer({
 *   write: (t) => out += t,
 *   columns: () => 80,
 *   color: false,
 * });
 * progress.onProgress({
 *   type: "results",
 *   total: 4,
 *   succeeded: 2,
 *   failed: 0,
 *   pending: 2,
 *   elapsedMs: 5_000,
 *   message: "",
 * });
 * await progress.done("4 results");
 * if (!out.startsWith("\r\x1b[2K⠋ [##########----------] Results 2/4")) throw new Error(out);
 * if (!out.endsWith("✔ 4 results\n")) throw new Error(out);
 * ```
 */
export class TerminalProgressRenderer extends BaseProgressRenderer {
  readonly #write: (text: string) => void;
  readonly #columns: () => number;
  readonly #color: boolean;
  readonly #clock: Clock;
  readonly #minIntervalMs: number;
  #live: ProgressDescription | undefined;
  #drawn: { key: string; state: string; at: number } | undefined;
  #lineShown = false;
  #frame = 0;

  /** Checks the options (`TypeError`/`RangeError` naming a bad one) and sets up the sink. */
  constructor(options: TerminalProgressRendererOptions = {}) {
    super();
    functionOption(options.write, "write");
    functionOption(options.columns, "columns");
    this.#minIntervalMs = millisecondsOption(options.minIntervalMs, {
      name: "minIntervalMs",
      fallback: 100,
    });
    this.#write = options.write ?? writeStderr;
    this.#columns = options.columns ?? stderrColumns;
    this.#color = options.color ?? !Deno.noColor;
    this.#clock = options.clock ?? systemClock;
  }

  /** Prints a milestone above the live line; redraws the live line when it is due. */
  protected override show(d: ProgressDescription): void {
    if (d.kind === "milestone") {
      this.#permanent(d.tone, d.text);
      if (this.#live) this.#draw(this.#live);
      return;
    }
    this.#live = d;
    const now = this.#clock.now();
    const last = this.#drawn;
    if (
      !last || last.key !== d.key || last.state !== d.state ||
      now - last.at >= this.#minIntervalMs
    ) {
      this.#draw(d);
    }
  }

  /** Keeps the last status as a permanent line, then prints `✔ <summary>` or `✖ <error>`. */
  protected override close(outcome: RendererOutcome | undefined): void {
    if (this.#live) {
      const symbol = this.#live.tone === "active" ? "•" : TONE_SYMBOL[this.#live.tone];
      this.#write((this.#lineShown ? CLEAR_LINE : "") + this.#format(this.#live, symbol) + "\n");
      this.#lineShown = false;
    }
    if (outcome?.kind === "done") {
      this.#permanent("success", outcome.summary ? singleLine(outcome.summary) : "Done");
    } else if (outcome?.kind === "failed") {
      this.#permanent("failure", describeError(outcome.error));
    }
  }

  #draw(d: ProgressDescription): void {
    this.#drawn = { key: d.key, state: d.state, at: this.#clock.now() };
    const symbol = d.tone === "active"
      ? SPINNER[this.#frame++ % SPINNER.length]!
      : TONE_SYMBOL[d.tone];
    this.#write(CLEAR_LINE + this.#format(d, symbol));
    this.#lineShown = true;
  }

  /** Erases the live line, writes `line` as a permanent line; the live line is redrawn later. */
  #permanent(tone: ProgressTone, text: string): void {
    const symbol = tone === "active" ? "•" : TONE_SYMBOL[tone];
    const width = this.#width();
    const body = truncate(text, width - displayWidth(symbol) - 1);
    this.#write(
      (this.#lineShown ? CLEAR_LINE : "") +
        `${paint(symbol, TONE_COLOR[tone], this.#color)} ${body}\n`,
    );
    this.#lineShown = false;
  }

  /** `<symbol> [bar] <text> <elapsed>`, cut to the terminal width. */
  #format(d: ProgressDescription, symbol: string): string {
    const width = this.#width();
    const elapsed = formatDuration(d.elapsedMs);
    let room = width - displayWidth(symbol) - 1 - displayWidth(elapsed) - 1;
    let bar = "";
    if (d.fraction && room - BAR_COLUMNS - 1 >= 20) {
      bar = textBar({ ...d.fraction, width: BAR_COLUMNS });
      room -= BAR_COLUMNS + 1;
    }
    const showElapsed = room >= 10;
    const text = truncate(d.text, showElapsed ? room : room + displayWidth(elapsed) + 1);
    const color = TONE_COLOR[d.tone];
    return [
      paint(symbol, color, this.#color),
      bar ? paint(bar, color, this.#color) : undefined,
      text,
      showElapsed ? paint(elapsed, "dim", this.#color) : undefined,
    ].filter((part) => part !== undefined).join(" ");
  }

  #width(): number {
    let columns = 0;
    try {
      columns = this.#columns();
    } catch {
      columns = 0;
    }
    // Leave the last column free: writing into it makes some terminals wrap, breaking `\r`.
    return (Number.isFinite(columns) && columns > 0 ? columns : FALLBACK_COLUMNS) - 1;
  }
}
