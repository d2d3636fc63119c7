import assert from "node:assert/strict";
import {
  TerminalProgressRenderer,
  type TerminalProgressRendererOptions,
} from "../../../lib/display/terminal_progress_renderer.ts";
import { ManualClock } from "../../../lib/testing/manual_clock.ts";
import { created, endpointStatus, results } from "./_events.ts";

const CLEAR = "\r\x1b[2K";
// deno-lint-ignore no-control-regex
const ANSI_COLOR = /\x1b\[\d+m/g;

function capture(options: TerminalProgressRendererOptions = {}) {
  const clock = new ManualClock({ start: 0 });
  const chunks: string[] = [];
  const renderer = new TerminalProgressRenderer({
    clock,
    columns: () => 80,
    color: false,
    write: (text) => chunks.push(text),
    ...options,
  });
  return { clock, renderer, chunks, out: () => chunks.join("") };
}

/** What the terminal would show: apply `\r` + erase-line, drop colours. */
function screen(out: string): string[] {
  const lines = [""];
  // deno-lint-ignore no-control-regex
  for (const part of out.replace(ANSI_COLOR, "").split(/(\r\x1b\[2K|\n)/)) {
    if (part === CLEAR) lines[lines.length - 1] = "";
    else if (part === "\n") lines.push("");
    else lines[lines.length - 1] += part;
  }
  return lines;
}

Deno.test("TerminalProgressRenderer redraws the live line in place with \\r and erase-line", async () => {
  const { clock, renderer, chunks } = capture();
  renderer.onProgress(endpointStatus("Creating", 0));
  await clock.advance(1000);
  renderer.onProgress(endpointStatus("Creating", 30_000));
  assert.equal(chunks.length, 2);
  for (const chunk of chunks) {
    assert.ok(chunk.startsWith(CLEAR), JSON.stringify(chunk));
    assert.ok(!chunk.includes("\n"), "a live redraw never ends the line");
  }
  assert.equal(chunks[0], `${CLEAR}⠋ Endpoint falcon: Creating 0.0s`);
  assert.equal(chunks[1], `${CLEAR}⠙ Endpoint falcon: Creating 30s`, "the spinner advanced");
});

Deno.test("TerminalProgressRenderer.done() keeps the last status and ends with the summary and a newline", async () => {
  const { renderer, out } = capture();
  renderer.onProgress(endpointStatus("Creating", 0));
  renderer.onProgress(endpointStatus("InService", 400_000));
  await renderer.done("falcon is ready");
  assert.ok(out().endsWith("\n"));
  assert.deepEqual(screen(out()), [
    "✔ Endpoint falcon: InService 6m 40s",
    "✔ falcon is ready",
    "",
  ]);
});

Deno.test("TerminalProgressRenderer prints milestones above the live line and redraws it", () => {
  const { renderer, out } = capture();
  renderer.onProgress(endpointStatus("Creating", 1_000));
  renderer.onProgress(created("endpoint-config", "falcon-cfg"));
  assert.ok(out().includes(`${CLEAR}✔ Created endpoint-config falcon-cfg\n${CLEAR}⠙ Endpoint`));
  assert.deepEqual(screen(out()), [
    "✔ Created endpoint-config falcon-cfg",
    "⠙ Endpoint falcon: Creating 1.0s",
  ]);
});

Deno.test("TerminalProgressRenderer marks a settled live status with its outcome, not a spinner", () => {
  const { renderer, chunks } = capture();
  renderer.onProgress(endpointStatus("InService", 0));
  renderer.onProgress(endpointStatus("Failed", 0, "other"));
  assert.deepEqual(chunks, [
    `${CLEAR}✔ Endpoint falcon: InService 0.0s`,
    `${CLEAR}✖ Endpoint other: Failed 0.0s`,
  ]);
});

Deno.test("TerminalProgressRenderer shows result counts as a done/total bar", () => {
  const { renderer, out } = capture();
  renderer.onProgress(results({ succeeded: 3, failed: 1, pending: 4 }, 2_000));
  assert.deepEqual(screen(out()), [
    "⠋ [##########----------] Results 4/8: 3 succeeded, 1 failed, 4 pending 2.0s",
  ]);
});

Deno.test("TerminalProgressRenderer cuts lines to the terminal width so they never wrap", async () => {
  for (const columns of [20, 40, 60]) {
    const { renderer, out } = capture({ columns: () => columns });
    renderer.onProgress(created("scaling-policy", "falcon-backlog-per-instance-target-tracking"));
    renderer.onProgress(results({ succeeded: 30, failed: 2, pending: 68 }, 125_000));
    await renderer.fail(new Error("x".repeat(200)));
    for (const line of screen(out())) {
      assert.ok(line.length <= columns - 1, `${line.length} > ${columns - 1}: ${line}`);
    }
  }
});

Deno.test("TerminalProgressRenderer treats a terminal reporting 0 columns as 80 wide", () => {
  for (
    const columns of [() => 0, () => Number.NaN, (): number => {
      throw new Error("no tty");
    }]
  ) {
    const { renderer, out } = capture({ columns });
    renderer.onProgress(endpointStatus("Creating", 0, "e".repeat(200)));
    const [line] = screen(out());
    assert.equal(line!.length, 79);
    assert.ok(line!.endsWith("… 0.0s"), line);
  }
});

Deno.test("TerminalProgressRenderer colours symbols unless colour is off", async () => {
  const coloured = capture({ color: true });
  coloured.renderer.onProgress(created("model", "m"));
  await coloured.renderer.done();
  assert.ok(coloured.out().includes("\x1b[32m✔\x1b[39m"));

  const plain = capture({ color: false });
  plain.renderer.onProgress(created("model", "m"));
  await plain.renderer.done();
  assert.equal(plain.out().match(ANSI_COLOR), null);
});

Deno.test("TerminalProgressRenderer throttles redraws of the same state but not state changes", async () => {
  const { clock, renderer, chunks } = capture({ minIntervalMs: 100 });
  renderer.onProgress(results({ succeeded: 0, failed: 0, pending: 3 }, 0));
  await clock.advance(10);
  renderer.onProgress(results({ succeeded: 1, failed: 0, pending: 2 }, 10));
  assert.equal(chunks.length, 1, "a count tick within 100 ms is not drawn");
  await clock.advance(100);
  renderer.onProgress(results({ succeeded: 2, failed: 0, pending: 1 }, 110));
  assert.equal(chunks.length, 2);
  await clock.advance(1);
  renderer.onProgress(results({ succeeded: 3, failed: 0, pending: 0 }, 111));
  assert.equal(chunks.length, 3, "completion is a state change");
});

Deno.test("TerminalProgressRenderer.fail() shows the error and later events are ignored", async () => {
  const { renderer, out } = capture();
  renderer.onProgress(endpointStatus("Creating", 0));
  await renderer.fail(new TypeError('Invalid endpoint name "x y"'));
  renderer.onProgress(endpointStatus("InService", 1));
  await renderer.done();
  assert.deepEqual(screen(out()), [
    "• Endpoint falcon: Creating 0.0s",
    '✖ TypeError: Invalid endpoint name "x y"',
    "",
  ]);
});

Deno.test("TerminalProgressRenderer disposal ends the live line without a summary", () => {
  const { renderer, out } = capture();
  {
    using progress = renderer;
    progress.onProgress(endpointStatus("Creating", 0));
  }
  assert.deepEqual(screen(out()), ["• Endpoint falcon: Creating 0.0s", ""]);
});

Deno.test("TerminalProgressRenderer rejects a non-function columns option", () => {
  assert.throws(
    () => new TerminalProgressRenderer({ columns: 80 as unknown as () => number }),
    (e: unknown) => e instanceof TypeError && /columns 80: must be a function/.test(e.message),
  );
});
