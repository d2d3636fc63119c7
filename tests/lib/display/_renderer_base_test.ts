import assert from "node:assert/strict";
import { BaseProgressRenderer, type RendererOutcome } from "../../../lib/display/_renderer_base.ts";
import type { ProgressDescription } from "../../../lib/display/format.ts";
import { created, endpointStatus } from "./_events.ts";

/** Records what the base asks of a renderer. */
class Recording extends BaseProgressRenderer {
  readonly shown: string[] = [];
  readonly closed: (RendererOutcome | undefined)[] = [];
  flushes = 0;
  failOn: string | undefined;

  protected override show(d: ProgressDescription): void {
    if (d.text === this.failOn) throw new Error("renderer bug");
    this.shown.push(d.line);
  }

  protected override close(outcome: RendererOutcome | undefined): void {
    this.closed.push(outcome);
  }

  protected override flushed(): Promise<void> {
    this.flushes++;
    return Promise.resolve();
  }
}

Deno.test("BaseProgressRenderer describes events, swallows renderer errors and ends once", async () => {
  const r = new Recording();
  const { onProgress } = r; // bound: usable on its own
  onProgress(endpointStatus("Creating", 1_000));
  r.failOn = "Created model m";
  onProgress(created("model", "m"));
  assert.deepEqual(r.shown, ["Endpoint falcon: Creating (1.0s)"]);
  await r.done("Deployed");
  await r.fail(new Error("later"));
  await r[Symbol.asyncDispose]();
  r[Symbol.dispose]();
  onProgress(endpointStatus("InService", 2_000));
  assert.deepEqual(r.closed, [{ kind: "done", summary: "Deployed" }]);
  assert.equal(r.flushes, 1);
  assert.equal(r.shown.length, 1, "events after the end are ignored");
});

Deno.test("BaseProgressRenderer closes without an outcome on disposal, and with the error on fail()", async () => {
  const disposed = new Recording();
  disposed[Symbol.dispose]();
  assert.deepEqual(disposed.closed, [undefined]);
  assert.equal(disposed.flushes, 0, "synchronous disposal does not wait");

  const failed = new Recording();
  const error = new Error("boom");
  await failed.fail(error);
  assert.deepEqual(failed.closed, [{ kind: "failed", error }]);
  assert.equal(failed.flushes, 1);
});
