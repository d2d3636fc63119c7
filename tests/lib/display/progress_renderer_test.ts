import assert from "node:assert/strict";
import { createProgressRenderer } from "../../../lib/display/progress_renderer.ts";
import type { ProgressTarget } from "../../../lib/display/progress_target.ts";
import { JupyterProgressRenderer } from "../../../lib/display/jupyter_progress_renderer.ts";
import { PlainProgressRenderer } from "../../../lib/display/plain_progress_renderer.ts";
import { TerminalProgressRenderer } from "../../../lib/display/terminal_progress_renderer.ts";
import { endpointStatus } from "./_events.ts";

Deno.test("createProgressRenderer() builds the renderer its target names, wired to the given sinks", async () => {
  let text = "";
  const plain = createProgressRenderer({ target: "plain", write: (t) => text += t });
  assert.ok(plain instanceof PlainProgressRenderer);
  plain.onProgress(endpointStatus("Creating", 0));
  await plain.done();
  assert.equal(text, "Endpoint falcon: Creating (0.0s)\nDone\n");

  let live = "";
  const terminal = createProgressRenderer({
    target: "terminal",
    write: (t) => live += t,
    columns: () => 100,
    color: false,
  });
  assert.ok(terminal instanceof TerminalProgressRenderer);
  terminal.onProgress(endpointStatus("Creating", 0));
  assert.equal(live, "\r\x1b[2K⠋ Endpoint falcon: Creating 0.0s");
  terminal[Symbol.dispose]();

  const displays: unknown[] = [];
  const jupyter = createProgressRenderer({
    target: "jupyter",
    display: (bundle) => displays.push(bundle),
    flushDelayMs: 0,
  });
  assert.ok(jupyter instanceof JupyterProgressRenderer);
  await jupyter.done();
  assert.equal(displays.length, 1);
});

Deno.test("createProgressRenderer() rejects an unknown target", () => {
  assert.throws(
    () => createProgressRenderer({ target: "html" as unknown as ProgressTarget }),
    (e: unknown) => e instanceof TypeError && /target "html": must be "auto"/.test(e.message),
  );
});
