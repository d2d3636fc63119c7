/**
 * Progress in a Jupyter notebook cell (Deno kernel): one display, updated in place.
 *
 * @module
 */
import { type Clock, systemClock } from "../clock.ts";
import { BaseProgressRenderer, type RendererOutcome } from "./_renderer_base.ts";
import { describeError, escapeHtml, singleLine, textBar } from "./_text.ts";
import { DEFAULT_KERNEL_FLUSH_MS, pauseForKernel } from "./_kernel_flush.ts";
import { functionOption, millisecondsOption } from "./_options.ts";
import type { ProgressDescription, ProgressTone } from "./format.ts";
import { isJupyterKernel } from "./progress_target.ts";

/** A MIME bundle as Jupyter displays it: MIME type to content. */
export type JupyterMimeBundle = Record<string, string>;

/**
 * The shape of `Deno.jupyter.display`: shows `bundle` (with `raw: true`) as a new output, or
 * replaces the output with the same `display_id` when `update` is true.
 */
export type JupyterDisplayFunction = (
  bundle: JupyterMimeBundle,
  options: { raw: true; display_id: string; update?: boolean },
) => unknown;

/** Options for {@linkcode JupyterProgressRenderer}. */
export interface JupyterProgressRendererOptions {
  /**
   * Sends displays. Default: `Deno.jupyter.display` (the constructor throws a `TypeError`
   * outside the Deno kernel when none is given).
   */
  display?: JupyterDisplayFunction;
  /** The display's id. Default: a random `sagemaker-async-progress-<uuid>`. */
  displayId?: string;
  /** Times update throttling. Default: the system clock. */
  clock?: Clock;
  /**
   * Least time between two updates when a status only changed its counts or time; milestones
   * and state changes always update. Default 250 ms.
   */
  minIntervalMs?: number;
  /**
   * Real milliseconds `done()` and `fail()` wait after the final display. Deno 2.9 sometimes
   * publishes a cell's last outputs after it reports the cell idle, and Jupyter (nbclient,
   * nbconvert) then drops them; a short pause before the cell ends avoids that. This is a
   * wall-clock wait on purpose (the kernel runs in real time). Default 30; tests pass 0.
   */
  flushDelayMs?: number;
  /** Most milestone lines kept; older ones collapse into `… N earlier`. Default 50. */
  maxMilestones?: number;
  /** Cancels the flush wait of `done()`/`fail()` (the display itself is still sent). */
  signal?: AbortSignal;
}

interface Line {
  readonly tone: ProgressTone;
  readonly text: string;
  readonly elapsed?: string;
  readonly fraction?: { readonly done: number; readonly total: number };
}

const SYMBOL: Readonly<Record<ProgressTone, string>> = {
  active: "⏳",
  success: "✔",
  failure: "✖",
  warning: "⚠",
  neutral: "•",
};

const HTML_COLOR: Readonly<Record<ProgressTone, string>> = {
  active: "inherit",
  success: "#1a7f37",
  failure: "#cf222e",
  warning: "#9a6700",
  neutral: "#6e7781",
};

/**
 * Shows progress as one notebook output that is replaced in place: finished milestones, the
 * latest line of every status (a `<progress>` bar for result counts) and, at the end, the
 * outcome. Each output carries `text/html` and `text/plain`. The first display is sent with
 * `display_id`, later ones with `update: true` and the same id, so the saved notebook holds
 * the final state.
 *
 * Displays are sent in order; `done()`/`fail()` wait for them and reject with the first error
 * the display function raised, if any.
 *
 * @example With a fake display function
 * ```ts
 * import { JupyterProgressRenderer } from "@sagemaker-async/toolkit/display";
 *
 * const calls: { html: string; update?: boolean }[] = [];
 * const progress = new JupyterProgressRenderer({
 *   display: (bundle, options) => calls.push({ html: bundle["text/html"]!, update: options.update }),
 *   flushDelayMs: 0,
 * });
 * progress.onProgress({
 *   type: "endpoint-status",
 *   endpointName: "falcon",
 *   status: "Creating",
 *   elapsedMs: 60_000,
 *   message: "",
 * });
 * await progress.done("falcon is InService");
 * const [first, last] = calls;
 * if (calls.length !== 2 || first?.update || last?.update !== true) throw new Error("ids");
 * if (!last.html.includes("falcon is InService")) throw new Error(last.html);
 * ```
 */
export class JupyterProgressRenderer extends BaseProgressRenderer {
  /** The id of the display this renderer updates. */
  readonly displayId: string;

  readonly #display: JupyterDisplayFunction;
  readonly #clock: Clock;
  readonly #minIntervalMs: number;
  readonly #flushDelayMs: number;
  readonly #maxMilestones: number;
  readonly #signal: AbortSignal | undefined;
  readonly #milestones: Line[] = [];
  #droppedMilestones = 0;
  readonly #statuses = new Map<string, ProgressDescription>();
  #rendered: { states: Map<string, string>; at: number } | undefined;
  #sent = false;
  #queue: Promise<void> = Promise.resolve();
  #error: { readonly value: unknown } | undefined;
  #closed = false;

  /** Checks the options (`TypeError`/`RangeError` naming a bad one) and sets up the sink. */
  constructor(options: JupyterProgressRendererOptions = {}) {
    super();
    functionOption(options.display, "display");
    if (
      options.displayId !== undefined &&
      (typeof options.displayId !== "string" || !options.displayId)
    ) {
      throw new TypeError(
        `Invalid displayId ${JSON.stringify(options.displayId)}: must be a non-empty string`,
      );
    }
    this.#minIntervalMs = millisecondsOption(options.minIntervalMs, {
      name: "minIntervalMs",
      fallback: 250,
    });
    this.#flushDelayMs = millisecondsOption(options.flushDelayMs, {
      name: "flushDelayMs",
      fallback: DEFAULT_KERNEL_FLUSH_MS,
    });
    const maxMilestones = options.maxMilestones ?? 50;
    if (!Number.isInteger(maxMilestones) || maxMilestones < 0) {
      throw new RangeError(
        `Invalid maxMilestones ${String(maxMilestones)}: must be an integer >= 0`,
      );
    }
    this.#maxMilestones = maxMilestones;
    if (options.display) {
      this.#display = options.display;
    } else if (isJupyterKernel()) {
      this.#display = (bundle, displayOptions) => Deno.jupyter.display(bundle, displayOptions);
    } else {
      throw new TypeError(
        "Cannot show Jupyter progress: Deno.jupyter is only available in `deno jupyter`; " +
          "pass options.display or use another renderer",
      );
    }
    this.displayId = options.displayId ?? `sagemaker-async-progress-${crypto.randomUUID()}`;
    this.#clock = options.clock ?? systemClock;
    this.#signal = options.signal;
  }

  /** Adds a milestone, or updates a status when it changed state or is due. */
  protected override show(d: ProgressDescription): void {
    if (d.kind === "milestone") {
      this.#milestones.push({ tone: d.tone, text: d.text });
      if (this.#milestones.length > this.#maxMilestones) {
        this.#droppedMilestones += this.#milestones.length - this.#maxMilestones;
        this.#milestones.splice(0, this.#milestones.length - this.#maxMilestones);
      }
      this.#render(undefined);
      return;
    }
    this.#statuses.set(d.key, d);
    const last = this.#rendered;
    if (
      !last || last.states.get(d.key) !== d.state ||
      this.#clock.now() - last.at >= this.#minIntervalMs
    ) {
      this.#render(undefined);
    }
  }

  /** Shows the final state with `✔ <summary>` (or `✔ Done`) or `✖ <error name>: <message>`. */
  protected override close(outcome: RendererOutcome | undefined): void {
    this.#closed = true;
    this.#render(
      outcome === undefined
        ? undefined
        : outcome.kind === "done"
        ? { tone: "success", text: outcome.summary ? singleLine(outcome.summary) : "Done" }
        : { tone: "failure", text: describeError(outcome.error) },
    );
  }

  /**
   * Waits until every display is sent, then `flushDelayMs` so the kernel publishes the last
   * one; rejects with the first error the display function raised.
   */
  protected override async flushed(): Promise<void> {
    await this.#queue;
    // Real time on purpose: the kernel publishes in real time, whatever clock throttles.
    await pauseForKernel(this.#flushDelayMs, { clock: systemClock, signal: this.#signal });
    if (this.#error) throw this.#error.value;
  }

  #render(outcome: Line | undefined): void {
    const lines: Line[] = [];
    if (this.#droppedMilestones > 0) {
      lines.push({ tone: "neutral", text: `… ${this.#droppedMilestones} earlier` });
    }
    lines.push(...this.#milestones);
    for (const d of this.#statuses.values()) {
      lines.push({
        tone: this.#closed && d.tone === "active" ? "neutral" : d.tone,
        text: d.text,
        elapsed: d.line.slice(d.text.length).trim(),
        fraction: d.fraction,
      });
    }
    if (outcome) lines.push(outcome);
    this.#rendered = {
      states: new Map([...this.#statuses].map(([key, d]) => [key, d.state])),
      at: this.#clock.now(),
    };
    const bundle: JupyterMimeBundle = {
      "text/plain": lines.map(plainLine).join("\n"),
      "text/html": `<div class="sagemaker-async-progress" style="font-family:` +
        `var(--jp-code-font-family,monospace);font-size:12px;line-height:1.6">` +
        lines.map(htmlLine).join("") + "</div>",
    };
    const options = this.#sent
      ? { raw: true as const, display_id: this.displayId, update: true }
      : { raw: true as const, display_id: this.displayId };
    this.#sent = true;
    this.#queue = this.#queue
      .then(() => this.#display(bundle, options))
      .then(() => undefined, (error: unknown) => {
        this.#error ??= { value: error };
      });
  }
}

function plainLine(line: Line): string {
  const bar = line.fraction && line.fraction.total > 0
    ? `${textBar({ ...line.fraction, width: 22 })} `
    : "";
  const elapsed = line.elapsed ? ` ${line.elapsed}` : "";
  return `${SYMBOL[line.tone]} ${bar}${line.text}${elapsed}`;
}

function htmlLine(line: Line): string {
  const bar = line.fraction && line.fraction.total > 0
    ? `<progress max="${line.fraction.total}" value="${line.fraction.done}" ` +
      `style="width:12em;vertical-align:middle;margin-right:0.5em"></progress>`
    : "";
  const elapsed = line.elapsed
    ? ` <span style="opacity:0.6">${escapeHtml(line.elapsed)}</span>`
    : "";
  return `<div style="color:${HTML_COLOR[line.tone]}">${SYMBOL[line.tone]} ${bar}` +
    `${escapeHtml(line.text)}${elapsed}</div>`;
}
