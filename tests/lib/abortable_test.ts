import assert from "node:assert/strict";
import { abortable } from "../../lib/abortable.ts";

Deno.test("abortable() passes the promise's value and rejection on while the signal is quiet", async () => {
  const controller = new AbortController();
  assert.equal(await abortable(Promise.resolve(7), controller.signal), 7);
  const failure = new Error("lookup failed");
  await assert.rejects(abortable(Promise.reject(failure), controller.signal), (e) => e === failure);
  const plain = Promise.resolve("same");
  assert.equal(abortable(plain, undefined), plain, "no signal: the promise itself");
});

Deno.test("abortable() rejects with the signal's reason, at once when it already aborted", async () => {
  const reason = new Error("cancelled");
  const aborted = AbortSignal.abort(reason);
  await assert.rejects(abortable(Promise.resolve(1), aborted), (e) => e === reason);

  const controller = new AbortController();
  let settle!: (value: number) => void;
  const shared = new Promise<number>((resolve) => settle = resolve);
  const waiting = abortable(shared, controller.signal);
  controller.abort(reason);
  await assert.rejects(waiting, (e) => e === reason);
  settle(2);
  assert.equal(await shared, 2, "the shared work goes on for other callers");
});
