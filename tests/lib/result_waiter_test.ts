import assert from "node:assert/strict";
import { NoSuchKey } from "@aws-sdk/client-s3";
import { InferenceFailedError, WaitTimeoutError } from "../../lib/errors.ts";
import type { ProgressEvent, ResultsEvent } from "../../lib/progress.ts";
import {
  type ResultTarget,
  ResultWaiter,
  type ResultWaiterOptions,
  type WaitOutcome,
} from "../../lib/result_waiter.ts";
import { ManualClock } from "../../lib/testing/manual_clock.ts";
import { FakeS3, s3Error } from "./fake_s3.ts";

function target(id: string, endpoint = "out"): ResultTarget {
  return {
    inferenceId: id,
    outputLocation: `s3://out-bucket/${endpoint}/${id}.out`,
    failureLocation: `s3://out-bucket/${endpoint}-fail/${id}-error.out`,
  };
}

/** Round times with this schedule: 0, 1000, 3000, 7000, 15000, 23000, ... */
function setup(options: Partial<ResultWaiterOptions> = {}, fake: { pageSize?: number } = {}) {
  const clock = new ManualClock({ start: 0 });
  const s3 = new FakeS3({ clock, ...fake });
  const waiter = new ResultWaiter({
    clients: { s3: s3.client },
    clock,
    backoff: { jitter: "none", initialMs: 1_000, maxMs: 8_000 },
    ...options,
  });
  return { clock, s3, waiter };
}

interface Tracked<T> {
  state: "pending" | "fulfilled" | "rejected";
  value?: T;
  error?: unknown;
}

function track<T>(promise: Promise<T>): Tracked<T> {
  const tracked: Tracked<T> = { state: "pending" };
  promise.then(
    (value) => Object.assign(tracked, { state: "fulfilled", value }),
    (error) => Object.assign(tracked, { state: "rejected", error }),
  );
  return tracked;
}

const JSON_OUTPUT = '[{"generated_text":"Paris"}]';

Deno.test("wait() resolves with the parsed output once the output object appears", async () => {
  const { clock, s3, waiter } = setup();
  const t = target("a");
  const waiting = track(waiter.wait(t));
  await clock.advance(0);
  assert.equal(s3.count("HeadObject"), 2, "output and failure checked in the first round");
  await clock.advance(1_000);
  assert.equal(waiting.state, "pending");
  s3.put(t.outputLocation, JSON_OUTPUT, "application/json");
  await clock.advance(2_000);
  assert.equal(waiting.state, "fulfilled");
  const result = waiting.value!;
  assert.deepEqual(result.value, [{ generated_text: "Paris" }]);
  assert.equal(new TextDecoder().decode(result.body), JSON_OUTPUT);
  assert.equal(result.contentType, "application/json");
  assert.equal(result.inferenceId, "a");
  assert.equal(result.outputLocation, t.outputLocation);
  assert.equal(result.observedAt, 3_000);
  assert.equal(s3.count("GetObject"), 1);
  assert.equal(clock.pendingSleeps, 0, "the loop stops when idle");
  assert.equal(waiter.pending, 0);
});

Deno.test("wait() rejects with InferenceFailedError when the failure object appears first", async () => {
  const { clock, s3, waiter } = setup();
  const t = target("b");
  const waiting = track(waiter.wait(t));
  await clock.advance(0);
  s3.put(t.failureLocation!, '{"error":"CUDA out of memory"}', "application/json");
  await clock.advance(1_000);
  assert.equal(waiting.state, "rejected");
  const error = waiting.error as InferenceFailedError;
  assert.ok(error instanceof InferenceFailedError);
  assert.equal(error.inferenceId, "b");
  assert.equal(error.failureLocation, t.failureLocation);
  assert.equal(error.outputLocation, t.outputLocation);
  assert.equal(error.failureBody, '{"error":"CUDA out of memory"}');
  assert.deepEqual(s3.calls.filter((c) => c.operation === "GetObject").map((c) => c.key), [
    "out-fail/b-error.out",
  ]);
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("wait() prefers the output when output and failure appear in the same round", async () => {
  const { clock, s3, waiter } = setup();
  const t = target("c");
  s3.put(t.outputLocation, "done", "text/plain");
  s3.put(t.failureLocation!, "boom");
  const waiting = track(waiter.wait(t));
  await clock.advance(0);
  assert.equal(waiting.state, "fulfilled");
  assert.equal(waiting.value!.value, "done");
  assert.equal(s3.count("GetObject"), 1);
});

Deno.test("wait() rejects with WaitTimeoutError at its deadline, carrying the last observation", async () => {
  const { clock, waiter } = setup();
  const t = target("d");
  const waiting = track(waiter.wait(t, { timeoutMs: 5_000 }));
  await clock.advance(4_999);
  assert.equal(waiting.state, "pending");
  await clock.advance(1);
  assert.equal(waiting.state, "rejected");
  const error = waiting.error as WaitTimeoutError;
  assert.ok(error instanceof WaitTimeoutError);
  assert.equal(error.waitedMs, 5_000);
  assert.deepEqual(error.lastObserved, {
    at: 3_000,
    rounds: 3,
    summary: "no output or failure object yet",
  });
  assert.match(error.waitingFor, /output s3:\/\/out-bucket\/out\/d\.out or failure s3:\/\//);
  assert.equal(clock.pendingSleeps, 0, "no timer left after the timeout");
});

Deno.test("wait() uses the waiter's timeoutMs by default (15 minutes unless set)", async () => {
  const { clock, waiter } = setup();
  const waiting = track(waiter.wait(target("e")));
  await clock.advance(15 * 60_000 - 1);
  assert.equal(waiting.state, "pending");
  await clock.advance(1);
  assert.ok(waiting.error instanceof WaitTimeoutError);

  const custom = setup({ timeoutMs: 2_000 });
  const short = track(custom.waiter.wait(target("f")));
  await custom.clock.advance(2_000);
  assert.ok(short.error instanceof WaitTimeoutError);
});

Deno.test("wait() rejects with the signal's reason unchanged when aborted mid-wait", async () => {
  const { clock, s3, waiter } = setup();
  const controller = new AbortController();
  const a = track(waiter.wait(target("a"), { signal: controller.signal }));
  const b = track(waiter.wait(target("b")));
  await clock.advance(1_500);
  const reason = new Error("user cancelled");
  controller.abort(reason);
  await clock.advance(0);
  assert.equal(a.state, "rejected");
  assert.equal(a.error, reason);
  assert.equal(b.state, "pending", "other waits go on");
  s3.put(target("b").outputLocation, "ok", "text/plain");
  await clock.advance(1_500);
  assert.equal(b.state, "fulfilled");
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("wait() with an already aborted signal rejects at once without a call", async () => {
  const { s3, waiter } = setup();
  const reason = new DOMException("gone", "AbortError");
  await assert.rejects(
    waiter.wait(target("a"), { signal: AbortSignal.abort(reason) }),
    (e) => e === reason,
  );
  assert.equal(s3.calls.length, 0);
});

Deno.test("aborting the last pending wait stops the loop and its timer", async () => {
  const { clock, waiter } = setup();
  const controller = new AbortController();
  const waiting = track(waiter.wait(target("a"), { signal: controller.signal }));
  await clock.advance(0);
  assert.equal(clock.pendingSleeps, 1);
  controller.abort();
  await clock.advance(0);
  assert.equal(waiting.state, "rejected");
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("the waiter-wide signal rejects every pending wait and later ones with its reason", async () => {
  const controller = new AbortController();
  const { clock, waiter } = setup({ signal: controller.signal });
  const a = track(waiter.wait(target("a")));
  const b = track(waiter.wait(target("b")));
  await clock.advance(0);
  const reason = new Error("shutting down");
  controller.abort(reason);
  await clock.advance(0);
  assert.equal(a.error, reason);
  assert.equal(b.error, reason);
  await assert.rejects(waiter.wait(target("c")), (e) => e === reason);
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("throttling and 5xx errors from S3 are retried with backoff, then the wait succeeds", async () => {
  const { clock, s3, waiter } = setup();
  const t = target("a");
  s3.put(t.outputLocation, "ok", "text/plain");
  s3.fail("HeadObject", s3Error("SlowDown", 503), { key: "out/a.out" });
  s3.fail("HeadObject", s3Error("InternalError", 500), { key: "out/a.out" });
  const waiting = track(waiter.wait(t));
  await clock.advance(1_000);
  assert.equal(waiting.state, "pending", "two failed rounds are tolerated");
  assert.equal(waiter.stats.errors, 2);
  await clock.advance(2_000);
  assert.equal(waiting.state, "fulfilled");
  assert.equal(waiting.value!.value, "ok");
});

Deno.test("a wait rejects with the S3 error unchanged after maxConsecutiveErrors failed rounds", async () => {
  const { clock, s3, waiter } = setup({ maxConsecutiveErrors: 4 });
  const error = s3Error("SlowDown", 503);
  s3.fail("HeadObject", error, { key: "out/a.out", times: 100 });
  const waiting = track(waiter.wait(target("a")));
  await clock.advance(3_000);
  assert.equal(waiting.state, "pending");
  await clock.advance(4_000);
  assert.equal(waiting.state, "rejected");
  assert.equal(waiting.error, error);
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("a clean round resets the consecutive error count", async () => {
  const { clock, s3, waiter } = setup({ maxConsecutiveErrors: 2 });
  const t = target("a");
  s3.fail("HeadObject", s3Error("SlowDown", 503), { key: "out/a.out" });
  const waiting = track(waiter.wait(t));
  await clock.advance(1_000); // round 1 fails, round 2 clean
  s3.fail("HeadObject", s3Error("SlowDown", 503), { key: "out/a.out" });
  await clock.advance(2_000); // round 3 fails: one in a row, not two
  assert.equal(waiting.state, "pending");
  s3.put(t.outputLocation, "ok", "text/plain");
  await clock.advance(4_000);
  assert.equal(waiting.state, "fulfilled");
});

Deno.test("AccessDenied (a 403 HEAD) fails the wait at once with the SDK error unchanged", async () => {
  const { clock, s3, waiter } = setup();
  const denied = s3Error("Unknown", 403);
  s3.fail("HeadObject", denied, { key: "out-fail/a-error.out" });
  const waiting = track(waiter.wait(target("a")));
  await clock.advance(0);
  assert.equal(waiting.state, "rejected");
  assert.equal(waiting.error, denied);
  assert.equal(waiter.stats.rounds, 1);
});

Deno.test("AccessDenied on the GET of an output fails the wait at once", async () => {
  const { clock, s3, waiter } = setup();
  const t = target("a");
  s3.put(t.outputLocation, "secret");
  const denied = s3Error("AccessDenied", 403);
  s3.fail("GetObject", denied);
  const waiting = track(waiter.wait(t));
  await clock.advance(0);
  assert.equal(waiting.error, denied);
});

Deno.test("an output listed but gone when read keeps the wait pending", async () => {
  const { clock, s3, waiter } = setup();
  const t = target("a");
  s3.put(t.outputLocation, "ok", "text/plain");
  s3.fail("GetObject", new NoSuchKey({ message: "gone", $metadata: { httpStatusCode: 404 } }));
  const waiting = track(waiter.wait(t));
  await clock.advance(0);
  assert.equal(waiting.state, "pending");
  assert.equal(waiter.stats.errors, 0);
  await clock.advance(1_000);
  assert.equal(waiting.state, "fulfilled");
});

Deno.test("many waits share one loop and one timer", async () => {
  const { clock, waiter } = setup({ listThreshold: Infinity });
  const waits = Array.from({ length: 30 }, (_, i) => track(waiter.wait(target(`r${i}`))));
  await clock.advance(0);
  assert.equal(clock.pendingSleeps, 1);
  assert.equal(waiter.stats.rounds, 1);
  assert.equal(waiter.stats.headRequests, 60, "one HEAD per object when listing is off");
  assert.ok(waits.every((w) => w.state === "pending"));
  await waiter.close();
});

Deno.test("when many waits share a prefix, a round costs one LIST per prefix, not one HEAD per wait", async () => {
  const { clock, s3, waiter } = setup();
  const targets = [
    ...Array.from({ length: 40 }, (_, i) => target(`e1-${String(i).padStart(2, "0")}`, "ep1")),
    ...Array.from({ length: 40 }, (_, i) => target(`e2-${String(i).padStart(2, "0")}`, "ep2")),
  ];
  const waits = targets.map((t) => track(waiter.wait(t)));
  await clock.advance(0);
  assert.equal(s3.count("ListObjectsV2"), 4, "outputs and failures of two endpoints");
  assert.equal(s3.count("HeadObject"), 0);

  for (const t of targets.slice(0, 10)) s3.put(t.outputLocation, "ok", "text/plain");
  s3.put(targets[45]!.failureLocation!, "bad");
  const before = s3.calls.length;
  await clock.advance(1_000);
  assert.equal(s3.count("ListObjectsV2", before), 4);
  assert.equal(s3.count("HeadObject", before), 0);
  assert.equal(s3.count("GetObject", before), 11, "only what appeared is read");
  assert.equal(waits.filter((w) => w.state === "fulfilled").length, 10);
  assert.ok(waits[45]!.error instanceof InferenceFailedError);
  assert.equal(waiter.pending, 69);
  await waiter.close();
});

Deno.test("below the list threshold a prefix is checked with one HEAD per object", async () => {
  const { clock, s3, waiter } = setup();
  for (let i = 0; i < 12; i++) waiter.wait(target(`h${i}`)).catch(() => {});
  await clock.advance(0);
  assert.equal(s3.count("HeadObject"), 24);
  assert.equal(s3.count("ListObjectsV2"), 0);
  await waiter.close();
});

Deno.test("listing starts just before the lowest pending key and stops after the highest", async () => {
  const { clock, s3, waiter } = setup({}, { pageSize: 5 });
  for (let i = 0; i < 20; i++) s3.put(`s3://out-bucket/out/a-old-${i}.out`, "old");
  for (let i = 0; i < 20; i++) s3.put(`s3://out-bucket/out/z-old-${i}.out`, "old");
  const targets = Array.from({ length: 13 }, (_, i) => target(`m${String(i).padStart(2, "0")}`));
  for (const t of targets.slice(0, 3)) s3.put(t.outputLocation, "new", "text/plain");
  const waits = targets.map((t) => track(waiter.wait(t)));
  await clock.advance(0);
  const lists = s3.calls.filter((c) => c.operation === "ListObjectsV2" && c.key === "out/");
  assert.equal(lists.length, 1, "the a-old keys are skipped and the z-old keys not paged");
  assert.equal(lists[0]!.input.StartAfter, "out/m00.ou");
  assert.equal(waits.filter((w) => w.state === "fulfilled").length, 3);
  await waiter.close();
});

Deno.test("a prefix whose listing takes many pages falls back to HEADs", async () => {
  const { clock, s3, waiter } = setup({}, { pageSize: 5 });
  const targets = Array.from({ length: 13 }, (_, i) => target(`k${String(i).padStart(2, "0")}`));
  for (const t of targets) {
    for (let j = 0; j < 3; j++) s3.put(t.outputLocation.replace(".out", `.old${j}`), "old");
  }
  for (const t of targets) waiter.wait(t).catch(() => {});
  await clock.advance(0);
  const pages = s3.calls.filter((c) => c.operation === "ListObjectsV2" && c.key === "out/").length;
  assert.ok(pages > 1, `expected several pages, got ${pages}`);
  const before = s3.calls.length;
  await clock.advance(1_000);
  const second = s3.calls.slice(before);
  assert.equal(second.filter((c) => c.operation === "ListObjectsV2" && c.key === "out/").length, 0);
  assert.equal(
    second.filter((c) => c.operation === "HeadObject" && c.key.startsWith("out/")).length,
    13,
  );
  assert.equal(
    second.filter((c) => c.operation === "ListObjectsV2" && c.key === "out-fail/").length,
    1,
  );
  await waiter.close();
});

Deno.test("asCompleted() yields outcomes in completion order, failures as values", async () => {
  const { clock, s3, waiter } = setup();
  const [a, b, c] = [target("a"), target("b"), target("c")];
  const seen: WaitOutcome[] = [];
  const done = (async () => {
    for await (const outcome of waiter.asCompleted([a, b, c])) seen.push(outcome);
  })();
  await clock.advance(0);
  s3.put(c.outputLocation, "C", "text/plain");
  await clock.advance(1_000);
  s3.put(a.failureLocation!, "A failed");
  await clock.advance(2_000);
  s3.put(b.outputLocation, "B", "text/plain");
  await clock.advance(4_000);
  await done;
  assert.deepEqual(seen.map((o) => [o.target.inferenceId, o.status]), [
    ["c", "succeeded"],
    ["a", "failed"],
    ["b", "succeeded"],
  ]);
  const failed = seen[1]!;
  assert.ok(failed.status === "failed" && failed.error instanceof InferenceFailedError);
  const last = seen[2]!;
  assert.ok(last.status === "succeeded" && last.result.value === "B");
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("asCompleted() cancels the waits not yet yielded when the loop breaks", async () => {
  const { clock, s3, waiter } = setup();
  const [a, b] = [target("a"), target("b")];
  s3.put(a.outputLocation, "A", "text/plain");
  const done = (async () => {
    for await (const outcome of waiter.asCompleted([a, b])) return outcome;
  })();
  await clock.advance(0);
  const first = await done;
  assert.equal(first?.target, a);
  await clock.advance(0);
  assert.equal(waiter.pending, 0);
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("asCompleted() throws the signal's reason when aborted", async () => {
  const { clock, s3, waiter } = setup();
  const controller = new AbortController();
  const [a, b] = [target("a"), target("b")];
  s3.put(a.outputLocation, "A", "text/plain");
  const seen: string[] = [];
  const done = (async () => {
    for await (const o of waiter.asCompleted([a, b], { signal: controller.signal })) {
      seen.push(o.status);
    }
  })();
  await clock.advance(0);
  const reason = new Error("stop");
  controller.abort(reason);
  await assert.rejects(done, (e) => e === reason);
  assert.deepEqual(seen, ["succeeded"]);
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("asCompleted() throws a TypeError for an invalid target before any call", async () => {
  const { s3, waiter } = setup();
  const iterator = waiter.asCompleted([target("a"), { outputLocation: "s3://out-bucket/" }]);
  await assert.rejects(iterator.next(), /must name an object/);
  assert.equal(s3.calls.length, 0);
});

Deno.test("waitAll() returns every outcome in input order and does not reject on a failure", async () => {
  const { clock, s3, waiter } = setup();
  const [a, b] = [target("a"), target("b")];
  s3.put(a.failureLocation!, "bad");
  const all = track(waiter.waitAll([a, b]));
  await clock.advance(0);
  s3.put(b.outputLocation, '{"ok":true}', "application/json");
  await clock.advance(1_000);
  assert.equal(all.state, "fulfilled");
  const [first, second] = all.value!;
  assert.equal(first?.status, "failed");
  assert.ok(second?.status === "succeeded" && (second.result.value as { ok: boolean }).ok);
});

Deno.test("waitAll() rejects with the signal's reason when aborted", async () => {
  const { clock, waiter } = setup();
  const controller = new AbortController();
  const all = track(waiter.waitAll([target("a"), target("b")], { signal: controller.signal }));
  await clock.advance(0);
  const reason = new Error("enough");
  controller.abort(reason);
  await clock.advance(0);
  assert.equal(all.error, reason);
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("rounds back off up to the cap and start over when something completes", async () => {
  const { clock, s3, waiter } = setup();
  const [a, b] = [target("a"), target("b")];
  const aWait = track(waiter.wait(a));
  const bWait = track(waiter.wait(b));
  await clock.advance(1_000);
  s3.put(b.outputLocation, "B", "text/plain");
  await clock.advance(15_000);
  assert.equal(bWait.state, "fulfilled");
  const times = s3.calls.filter((c) => c.key === "out/a.out").map((c) => c.at);
  // 0, 1000, 3000 (b completes: start over), 4000, 6000, 10000, then +8000 (cap).
  assert.deepEqual(times, [0, 1_000, 3_000, 4_000, 6_000, 10_000]);
  await clock.advance(8_000);
  assert.equal(s3.calls.filter((c) => c.key === "out/a.out").at(-1)!.at, 18_000);
  assert.equal(aWait.state, "pending");
  await waiter.close();
});

Deno.test("a wait added during a long sleep is checked one initial delay after the last round", async () => {
  const { clock, s3, waiter } = setup();
  waiter.wait(target("a")).catch(() => {});
  await clock.advance(7_500); // rounds at 0, 1000, 3000, 7000; asleep until 15000
  const late = target("late");
  s3.put(late.outputLocation, "quick", "text/plain");
  const waiting = track(waiter.wait(late));
  await clock.advance(500);
  assert.equal(waiting.state, "fulfilled", "checked at 8000, not at 15000");
  assert.equal(waiting.value!.observedAt, 8_000);
  await waiter.close();
});

Deno.test("progress reports results events with counts for the busy period", async () => {
  const events: ProgressEvent[] = [];
  const { clock, s3, waiter } = setup({ onProgress: (e) => events.push(e) });
  const [a, b, c] = [target("a"), target("b"), target("c")];
  s3.put(a.outputLocation, "A", "text/plain");
  const waits = [a, b, c].map((t) => waiter.wait(t, { timeoutMs: 2_000 }).catch(() => {}));
  await clock.advance(0);
  s3.put(b.failureLocation!, "B failed");
  await clock.advance(2_000);
  await Promise.all(waits);
  const results = events.filter((e): e is ResultsEvent => e.type === "results");
  assert.deepEqual(
    results.map(({ total, succeeded, failed, pending }) => [total, succeeded, failed, pending]),
    [[3, 1, 0, 2], [3, 1, 1, 1], [3, 1, 2, 0]],
  );
  assert.equal(results[0]!.message, "1 of 3 results: 1 succeeded, 0 failed, 2 pending");
  assert.equal(results.at(-1)!.elapsedMs, 2_000);
});

Deno.test("a wait without a failure location checks only the output", async () => {
  const { clock, s3, waiter } = setup();
  const t = { outputLocation: "s3://out-bucket/out/x.out" };
  const waiting = track(waiter.wait(t, { timeoutMs: 1_000 }));
  await clock.advance(1_000);
  assert.equal(s3.count("HeadObject"), 1);
  assert.match((waiting.error as WaitTimeoutError).lastObserved.summary, /no failure location/);
});

Deno.test("two waits for the same inference cost one check per round and both resolve", async () => {
  const { clock, s3, waiter } = setup();
  const t = target("a");
  s3.put(t.outputLocation, '{"n":1}', "application/json");
  const [x, y] = [track(waiter.wait(t)), track(waiter.wait({ ...t }))];
  await clock.advance(0);
  assert.equal(s3.count("HeadObject"), 2);
  assert.equal(s3.count("GetObject"), 1);
  assert.deepEqual(x.value!.value, { n: 1 });
  assert.deepEqual(y.value!.value, { n: 1 });
  assert.notEqual(x.value!.value, y.value!.value, "each wait gets its own decoded value");
});

Deno.test("an output that is not valid JSON rejects its wait with a SyntaxError naming it", async () => {
  const { clock, s3, waiter } = setup();
  const [a, b] = [target("a"), target("b")];
  s3.put(a.outputLocation, "{broken", "application/json");
  s3.put(b.outputLocation, "fine", "text/plain");
  const [x, y] = [track(waiter.wait(a)), track(waiter.wait(b))];
  await clock.advance(0);
  assert.ok(x.error instanceof SyntaxError && x.error.message.includes(a.outputLocation));
  assert.equal(y.value!.value, "fine");
});

Deno.test("a custom decode receives the bytes, content type and source", async () => {
  const clock = new ManualClock({ start: 0 });
  const s3 = new FakeS3({ clock });
  const seen: unknown[] = [];
  const waiter = new ResultWaiter<number>({
    clients: { s3: s3.client },
    clock,
    decode: (body, contentType, source) => {
      seen.push(contentType, source);
      return body.byteLength;
    },
  });
  const t = target("a");
  s3.put(t.outputLocation, "12345", "application/json");
  const result = await waiter.wait(t);
  assert.equal(result.value, 5);
  assert.deepEqual(seen, ["application/json", t.outputLocation]);
});

Deno.test("wait() rejects invalid targets and timeouts before any call", async () => {
  const { s3, waiter } = setup();
  const cases: [unknown, WaitOptionsLike, ErrorConstructor, RegExp][] = [
    [null, {}, TypeError, /must be an object/],
    [{ outputLocation: "https://b/x" }, {}, TypeError, /must start with s3:\/\//],
    [{ outputLocation: "s3://out-bucket" }, {}, TypeError, /must name an object/],
    [{ outputLocation: "s3://out-bucket/a", failureLocation: "s3://x/" }, {}, TypeError, /bucket/],
    [target("a"), { timeoutMs: -1 }, RangeError, /timeoutMs -1/],
    [target("a"), { timeoutMs: NaN }, TypeError, /timeoutMs/],
  ];
  for (const [t, options, type, message] of cases) {
    await assert.rejects(
      waiter.wait(t as ResultTarget, options),
      (e: unknown) => e instanceof type && message.test((e as Error).message),
    );
  }
  assert.equal(s3.calls.length, 0);
});

type WaitOptionsLike = { timeoutMs?: number };

Deno.test("new ResultWaiter() rejects bad options", () => {
  const s3 = new FakeS3().client;
  assert.throws(() => new ResultWaiter({ clients: {} as never }), /clients\.s3/);
  assert.throws(() => new ResultWaiter({ clients: { s3 }, maxConsecutiveErrors: 0 }), RangeError);
  assert.throws(() => new ResultWaiter({ clients: { s3 }, listThreshold: 0 }), RangeError);
  assert.throws(() => new ResultWaiter({ clients: { s3 }, maxConcurrentRequests: 1.5 }), TypeError);
  assert.throws(() => new ResultWaiter({ clients: { s3 }, timeoutMs: -5 }), RangeError);
  assert.throws(() => new ResultWaiter({ clients: { s3 }, decode: "json" as never }), TypeError);
});

Deno.test("close() rejects pending waits with an AbortError and leaves no timer", async () => {
  const { clock, waiter } = setup();
  const waiting = track(waiter.wait(target("a")));
  await clock.advance(0);
  await waiter.close();
  assert.equal(waiting.state, "rejected");
  assert.equal((waiting.error as DOMException).name, "AbortError");
  assert.equal(clock.pendingSleeps, 0);
  await assert.rejects(
    waiter.wait(target("b")),
    (e: unknown) => (e as Error).name === "AbortError",
  );
});

Deno.test("await using closes the waiter", async () => {
  const clock = new ManualClock({ start: 0 });
  const s3 = new FakeS3({ clock });
  let outer: ResultWaiter | undefined;
  let pending: Tracked<unknown> | undefined;
  {
    await using waiter = new ResultWaiter({ clients: { s3: s3.client }, clock });
    outer = waiter;
    pending = track(waiter.wait(target("a")));
    await clock.advance(0);
  }
  assert.equal(pending.state, "rejected");
  assert.equal(outer.pending, 0);
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("the loop starts again after going idle", async () => {
  const { clock, s3, waiter } = setup();
  const a = target("a");
  s3.put(a.outputLocation, "A", "text/plain");
  assert.equal((await waiter.wait(a)).value, "A");
  assert.equal(clock.pendingSleeps, 0);
  const b = target("b");
  const waiting = track(waiter.wait(b));
  await clock.advance(0);
  s3.put(b.outputLocation, "B", "text/plain");
  await clock.advance(1_000);
  assert.equal(waiting.value!.value, "B");
});

Deno.test("check() reads the output, else the failure, else reports nothing yet", async () => {
  const { s3, waiter } = setup();
  const t = target("a");
  assert.equal(await waiter.check(t), undefined);
  assert.deepEqual(s3.calls.map((c) => [c.operation, c.key]), [
    ["GetObject", "out/a.out"],
    ["GetObject", "out-fail/a-error.out"],
  ]);
  s3.put(t.failureLocation!, "bad");
  await assert.rejects(
    waiter.check(t),
    (e: unknown) => e instanceof InferenceFailedError && e.failureBody === "bad",
  );
  s3.put(t.outputLocation, "[1]", "application/json");
  assert.deepEqual((await waiter.check(t))!.value, [1]);
});

Deno.test("check() lets other S3 errors through unchanged", async () => {
  const { s3, waiter } = setup();
  const error = s3Error("SlowDown", 503);
  s3.fail("GetObject", error);
  await assert.rejects(waiter.check(target("a")), (e) => e === error);
});
