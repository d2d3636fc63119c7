import assert from "node:assert/strict";
import {
  type JupyterDisplayFunction,
  type JupyterMimeBundle,
  JupyterProgressRenderer,
  type JupyterProgressRendererOptions,
} from "../../../lib/display/jupyter_progress_renderer.ts";
import { ManualClock } from "../../../lib/testing/manual_clock.ts";
import { capacity, created, endpointStatus, results } from "./_events.ts";

interface DisplayCall {
  bundle: JupyterMimeBundle;
  options: Parameters<JupyterDisplayFunction>[1];
}

function capture(options: JupyterProgressRendererOptions = {}) {
  const clock = new ManualClock({ start: 0 });
  const calls: DisplayCall[] = [];
  const renderer = new JupyterProgressRenderer({
    clock,
    flushDelayMs: 0,
    display: (bundle, displayOptions) => {
      calls.push({ bundle, options: displayOptions });
    },
    ...options,
  });
  const last = () => calls.at(-1)!.bundle;
  return { clock, renderer, calls, last };
}

Deno.test("JupyterProgressRenderer shows one display, then updates it in place with the same id", async () => {
  const { renderer, calls } = capture({ displayId: "deploy-1" });
  renderer.onProgress(created("model", "falcon-model"));
  renderer.onProgress(endpointStatus("Creating", 0));
  await renderer.done();
  assert.equal(calls.length, 3);
  assert.deepEqual(calls[0]!.options, { raw: true, display_id: "deploy-1" });
  for (const call of calls.slice(1)) {
    assert.deepEqual(call.options, { raw: true, display_id: "deploy-1", update: true });
  }
  assert.equal(renderer.displayId, "deploy-1");
});

Deno.test("JupyterProgressRenderer uses a fresh random display id per renderer by default", () => {
  const a = capture().renderer.displayId;
  const b = capture().renderer.displayId;
  assert.match(a, /^sagemaker-async-progress-[0-9a-f-]{36}$/);
  assert.notEqual(a, b);
});

Deno.test("JupyterProgressRenderer bundles HTML and plain text with milestones, statuses and outcome", async () => {
  const { renderer, last } = capture();
  renderer.onProgress(created("model", "falcon-model"));
  renderer.onProgress(endpointStatus("InService", 420_000));
  renderer.onProgress(results({ succeeded: 6, failed: 1, pending: 3 }, 5_000));
  await renderer.done("falcon answered 7 of 10");
  assert.deepEqual(Object.keys(last()).sort(), ["text/html", "text/plain"]);
  assert.equal(
    last()["text/plain"],
    [
      "✔ Created model falcon-model",
      "✔ Endpoint falcon: InService (7m 0s)",
      "• [##############------] Results 7/10: 6 succeeded, 1 failed, 3 pending (5.0s)",
      "✔ falcon answered 7 of 10",
    ].join("\n"),
  );
  const html = last()["text/html"]!;
  assert.match(html, /<progress max="10" value="7"/);
  assert.match(html, /✔ Created model falcon-model<\/div>/);
  assert.match(html, /falcon answered 7 of 10<\/div><\/div>$/);
});

Deno.test("JupyterProgressRenderer escapes HTML in names, summaries and errors", async () => {
  const { renderer, last } = capture();
  renderer.onProgress(endpointStatus("Creating", 0, "<img src=x onerror=alert(1)>"));
  await renderer.fail(new Error("bad <script>"));
  const html = last()["text/html"]!;
  assert.ok(!html.includes("<img"), html);
  assert.ok(!html.includes("<script>"), html);
  assert.ok(html.includes("&lt;img src=x onerror=alert(1)&gt;"));
  assert.ok(html.includes("✖ Error: bad &lt;script&gt;"));
  assert.ok(last()["text/plain"]!.includes("✖ Error: bad <script>"));
});

Deno.test("JupyterProgressRenderer throttles count ticks but not state changes or milestones", async () => {
  const { clock, renderer, calls, last } = capture({ minIntervalMs: 250 });
  /** Lets queued display calls run. */
  const sent = async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    return calls.length;
  };
  renderer.onProgress(results({ succeeded: 0, failed: 0, pending: 4 }, 0));
  await clock.advance(50);
  renderer.onProgress(results({ succeeded: 1, failed: 0, pending: 3 }, 50));
  renderer.onProgress(results({ succeeded: 2, failed: 0, pending: 2 }, 60));
  assert.equal(await sent(), 1, "ticks within 250 ms are held back");
  renderer.onProgress(capacity("instance-starting", 0, 70));
  assert.equal(await sent(), 2, "a new status shows at once");
  assert.match(last()["text/plain"]!, /Results 2\/4/, "held-back counts ride along");
  renderer.onProgress(created("alarm", "falcon-backlog"));
  assert.equal(await sent(), 3, "a milestone shows at once");
  await clock.advance(250);
  renderer.onProgress(results({ succeeded: 3, failed: 0, pending: 1 }, 320));
  assert.equal(await sent(), 4, "after the interval a tick shows");
  await clock.advance(1);
  renderer.onProgress(capacity("running", 1, 321));
  assert.equal(await sent(), 5, "a changed state shows at once");
  renderer.onProgress(capacity("running", 1, 322));
  assert.equal(await sent(), 5, "an unchanged state within the interval is held back");
});

Deno.test("JupyterProgressRenderer.done() waits for slow displays, sent in order", async () => {
  const order: string[] = [];
  const releases: (() => void)[] = [];
  const renderer = new JupyterProgressRenderer({
    flushDelayMs: 0,
    display: (bundle) =>
      new Promise<void>((resolve) => {
        releases.push(() => {
          order.push(bundle["text/plain"]!.split("\n").at(-1)!);
          resolve();
        });
      }),
  });
  renderer.onProgress(created("model", "m"));
  let finished = false;
  const done = renderer.done("all set").then(() => finished = true);
  await Promise.resolve();
  assert.equal(releases.length, 1, "the second display waits for the first");
  releases[0]!();
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(finished, false);
  assert.equal(releases.length, 2);
  releases[1]!();
  await done;
  assert.deepEqual(order, ["✔ Created model m", "✔ all set"]);
});

Deno.test("JupyterProgressRenderer.done() rejects with the display's error; onProgress does not throw", async () => {
  const failure = new Error("iopub closed");
  const renderer = new JupyterProgressRenderer({
    flushDelayMs: 0,
    display: () => Promise.reject(failure),
  });
  renderer.onProgress(endpointStatus("Creating", 0));
  await assert.rejects(renderer.done(), (e: unknown) => e === failure);
});

Deno.test("JupyterProgressRenderer.done() pauses flushDelayMs of real time after the final display", async () => {
  const controller = new AbortController();
  let finals = 0;
  const renderer = new JupyterProgressRenderer({
    flushDelayMs: 60_000,
    signal: controller.signal,
    display: () => {
      finals++;
      // Release the pause soon after the final display; done() must still be waiting then.
      setTimeout(() => controller.abort(new Error("stop waiting")), 0);
    },
  });
  await renderer.done();
  assert.equal(finals, 1);
  assert.equal(controller.signal.aborted, true, "done() resolved only once the pause was cut");
});

Deno.test("JupyterProgressRenderer collapses milestones beyond maxMilestones", async () => {
  const { renderer, last } = capture({ maxMilestones: 2 });
  for (const name of ["a", "b", "c", "d"]) renderer.onProgress(created("object", name));
  await renderer.done();
  assert.equal(
    last()["text/plain"],
    "• … 2 earlier\n✔ Created object c\n✔ Created object d\n✔ Done",
  );
});

Deno.test("JupyterProgressRenderer disposal shows the final state without an outcome line", async () => {
  const { renderer, calls, last } = capture();
  renderer.onProgress(endpointStatus("Creating", 0));
  await renderer[Symbol.asyncDispose]();
  assert.equal(calls.length, 2);
  assert.equal(last()["text/plain"], "• Endpoint falcon: Creating (0.0s)");
  renderer.onProgress(endpointStatus("InService", 1));
  renderer[Symbol.dispose]();
  await renderer.done();
  assert.equal(calls.length, 2, "nothing is shown once ended");
});

Deno.test("JupyterProgressRenderer outside the kernel needs an explicit display function", () => {
  assert.throws(
    () => new JupyterProgressRenderer(),
    (e: unknown) => e instanceof TypeError && /only available in `deno jupyter`/.test(e.message),
  );
  assert.throws(
    () => new JupyterProgressRenderer({ display: () => {}, maxMilestones: 1.5 }),
    (e: unknown) => e instanceof RangeError && /maxMilestones 1.5/.test(e.message),
  );
  assert.throws(
    () => new JupyterProgressRenderer({ display: () => {}, displayId: "" }),
    (e: unknown) => e instanceof TypeError && /displayId ""/.test(e.message),
  );
});
