import assert from "node:assert/strict";
import { timeSeriesChart } from "../../../lib/display/chart.ts";
import { show } from "../../../lib/display/show.ts";
import { toTable } from "../../../lib/display/table.ts";
import { ManualClock } from "../../../lib/testing/manual_clock.ts";

function recorder() {
  const calls: { value: unknown; raw: boolean }[] = [];
  return {
    calls,
    display: (value: unknown, { raw }: { raw: boolean }) => calls.push({ value, raw }),
  };
}

Deno.test("show() sends a table as its own MIME bundle", async () => {
  const { calls, display } = recorder();
  const table = toTable([{ endpoint: "falcon", instances: 0 }]);
  await show(table, { display, flushDelayMs: 0 });
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.raw, true);
  const bundle = calls[0]?.value as Record<string, string>;
  assert.equal(bundle["text/plain"], table.toString());
  assert.equal(bundle["text/html"], table.toHtml());
});

Deno.test("show() sends a chart as SVG, text as plain text, and leaves other values to the kernel", async () => {
  const { calls, display } = recorder();
  const chart = timeSeriesChart({
    series: [{ name: "instances", points: [{ time: 0, value: 1 }, { time: 60_000, value: 0 }] }],
  });
  await show(chart, { display, flushDelayMs: 0 });
  await show("3 results", { display, flushDelayMs: 0 });
  const record = { polls: 4 };
  await show(record, { display, flushDelayMs: 0 });
  assert.match((calls[0]?.value as Record<string, string>)["image/svg+xml"]!, /^<svg/);
  assert.deepEqual(calls[1], { value: { "text/plain": "3 results" }, raw: true });
  assert.deepEqual(calls[2], { value: record, raw: false });
});

Deno.test("show() pauses flushDelayMs after the display, and a signal cuts the pause short", async () => {
  const clock = new ManualClock({ start: 0 });
  const { calls, display } = recorder();
  let done = false;
  const shown = show("x", { display, clock, flushDelayMs: 30 }).then(() => done = true);
  await clock.advance(29);
  assert.equal(calls.length, 1, "the display is sent first");
  assert.equal(done, false);
  await clock.advance(1);
  await shown;
  assert.equal(done, true);

  const controller = new AbortController();
  const cut = show("y", { display, clock, flushDelayMs: 1_000, signal: controller.signal });
  controller.abort(new Error("cell interrupted"));
  await cut; // resolves: the display went out, only the pause was cut
  assert.equal(calls.length, 2);
});

Deno.test("show() outside Jupyter, without a display function, shows nothing and does not wait", async () => {
  const clock = new ManualClock({ start: 0 });
  await show(toTable([{ a: 1 }]), { clock });
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("show() rejects with the display function's error and checks its options", async () => {
  const failure = new Error("kernel gone");
  await assert.rejects(
    show("x", {
      display: () => Promise.reject(failure),
      flushDelayMs: 0,
    }),
    (e) => e === failure,
  );
  await assert.rejects(show("x", { flushDelayMs: -1 }), { name: "RangeError" });
  await assert.rejects(show("x", { display: "print" as never }), { name: "TypeError" });
});
