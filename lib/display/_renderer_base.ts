/**
 * What every progress renderer does the same way: a bound `onProgress` that never throws and
 * ignores events once ended, and one end (`done`, `fail` or disposal) that writes the final
 * state once. Private to `lib/display/`.
 *
 * @module
 */
import type { ProgressCallback } from "../progress.ts";
import { describeProgress, type ProgressDescription } from "./format.ts";
import type { ProgressRenderer } from "./progress_renderer.ts";

/** How a renderer ended: `done` (with its summary, if any) or `failed` (with the error). */
export type RendererOutcome =
  | { readonly kind: "done"; readonly summary?: string }
  | { readonly kind: "failed"; readonly error: unknown };

/** A renderer's shared life cycle; subclasses say how a line is shown and how it ends. */
export abstract class BaseProgressRenderer implements ProgressRenderer {
  /** Receives events; bound, never throws, ignored once the renderer has ended. */
  readonly onProgress: ProgressCallback = (event) => {
    if (this.#ended) return;
    try {
      this.show(describeProgress(event));
    } catch {
      // Rendering must never break the operation it reports on.
    }
  };

  #ended = false;

  /** Ends with a success line (`summary`, or `Done`) and resolves once it is written. */
  done(summary?: string): Promise<void> {
    return this.#end({ kind: "done", ...(summary !== undefined && { summary }) });
  }

  /** Ends with a failure line naming the error, and resolves once it is written. */
  fail(error: unknown): Promise<void> {
    return this.#end({ kind: "failed", error });
  }

  /** Ends without a closing line, keeping the last state visible. */
  [Symbol.dispose](): void {
    if (this.#ended) return;
    this.#ended = true;
    this.close(undefined);
  }

  /** Like `[Symbol.dispose]`, but resolves once the last output is written. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#end(undefined);
  }

  /** Shows one described event; never called once ended. */
  protected abstract show(description: ProgressDescription): void;

  /** Writes the final state and, unless disposed, the outcome; called once. */
  protected abstract close(outcome: RendererOutcome | undefined): void;

  /** Resolves once what `close` wrote is out (rejecting with a write error); default at once. */
  protected flushed(): Promise<void> {
    return Promise.resolve();
  }

  #end(outcome: RendererOutcome | undefined): Promise<void> {
    if (this.#ended) return Promise.resolve();
    this.#ended = true;
    this.close(outcome);
    return this.flushed();
  }
}
