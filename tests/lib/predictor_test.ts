import assert from "node:assert/strict";
import {
  InvokeEndpointAsyncCommand,
  SageMakerRuntimeClient,
} from "@aws-sdk/client-sagemaker-runtime";
import { mockClient } from "aws-sdk-client-mock";
import { InferenceFailedError, ResultNotReadyError, WaitTimeoutError } from "../../lib/errors.ts";
import { AsyncPredictor, type AsyncPredictorOptions } from "../../lib/predictor.ts";
import { ManualClock } from "../../lib/testing/manual_clock.ts";
import { FakeS3 } from "./fake_s3.ts";

const INPUTS = "s3://in-bucket/async-endpoint-inputs/falcon";

function setup(options: Partial<AsyncPredictorOptions> = {}) {
  const clock = new ManualClock({ start: 0 });
  const s3 = new FakeS3({ clock });
  const runtime = new SageMakerRuntimeClient({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
  });
  const runtimeMock = mockClient(runtime);
  runtimeMock.on(InvokeEndpointAsyncCommand).callsFake((input) => ({
    InferenceId: input.InferenceId,
    OutputLocation: `s3://out-bucket/out/${input.InferenceId}.out`,
    FailureLocation: `s3://out-bucket/fail/${input.InferenceId}-error.out`,
  }));
  const invokes = () =>
    runtimeMock.commandCalls(InvokeEndpointAsyncCommand).map((c) => c.args[0].input);
  const predictor = new AsyncPredictor({
    endpointName: "falcon",
    inputPrefix: INPUTS,
    clients: { s3: s3.client, runtime },
    clock,
    backoff: { jitter: "none", initialMs: 1_000, maxMs: 8_000 },
    ...options,
  });
  return { clock, s3, runtime, invokes, predictor };
}

Deno.test("predictAsync() uploads, invokes and returns a response with the locations", async () => {
  const { s3, invokes, predictor } = setup({ accept: "application/json" });
  const response = await predictor.predictAsync({ inputs: "Hi" }, { inferenceId: "q1" });
  assert.equal(s3.count("PutObject"), 1);
  assert.equal(response.inferenceId, "q1");
  assert.equal(response.outputLocation, "s3://out-bucket/out/q1.out");
  assert.equal(response.failureLocation, "s3://out-bucket/fail/q1-error.out");
  assert.match(
    response.invocation.inputLocation!,
    /^s3:\/\/in-bucket\/async-endpoint-inputs\/falcon\//,
  );
  assert.equal(invokes()[0]!.Accept, "application/json");
  assert.equal(invokes()[0]!.ContentType, "application/json");
});

Deno.test("predictAsync() uses the predictor's content type unless the call overrides it", async () => {
  const { invokes, predictor } = setup({ contentType: "application/x-text" });
  await predictor.predictAsync("hello");
  await predictor.predictAsync("a,b", { contentType: "text/csv" });
  assert.deepEqual(invokes().map((i) => i.ContentType), ["application/x-text", "text/csv"]);
});

Deno.test("predictAsync() with no data uses inputLocation as the Python SDK's input_path", async () => {
  const { s3, invokes, predictor } = setup();
  await predictor.predictAsync(undefined, { inputLocation: "s3://in-bucket/ready.json" });
  assert.equal(s3.count("PutObject"), 0);
  assert.equal(invokes()[0]!.InputLocation, "s3://in-bucket/ready.json");
  await assert.rejects(predictor.predictAsync(undefined), /got neither/);
});

Deno.test("getResult() without a waiter throws ResultNotReadyError when nothing exists yet", async () => {
  const { s3, predictor } = setup();
  const response = await predictor.predictAsync({ inputs: "Hi" }, { inferenceId: "q1" });
  const before = s3.calls.length;
  await assert.rejects(
    response.getResult(),
    (e: unknown) =>
      e instanceof ResultNotReadyError && e.inferenceId === "q1" &&
      e.outputLocation === "s3://out-bucket/out/q1.out",
  );
  assert.deepEqual(s3.calls.slice(before).map((c) => c.key), ["out/q1.out", "fail/q1-error.out"]);
});

Deno.test("getResult() returns the decoded output once ready and caches it", async () => {
  const { s3, predictor } = setup();
  const response = await predictor.predictAsync({ inputs: "Hi" }, { inferenceId: "q1" });
  s3.put(response.outputLocation, '[{"generated_text":"Hello"}]', "application/json");
  assert.deepEqual(await response.getResult(), [{ generated_text: "Hello" }]);
  const calls = s3.calls.length;
  s3.objects.clear();
  assert.deepEqual(await response.getResult(), [{ generated_text: "Hello" }]);
  assert.equal(s3.calls.length, calls, "the cached result costs no call");
});

Deno.test("getResult() throws InferenceFailedError for a failure object and caches it", async () => {
  const { s3, predictor } = setup();
  const response = await predictor.predictAsync({ inputs: "Hi" }, { inferenceId: "q1" });
  s3.put(response.failureLocation!, "model error");
  const first = await response.getResult().then(() => undefined, (e) => e);
  assert.ok(first instanceof InferenceFailedError);
  assert.equal(first.failureBody, "model error");
  const calls = s3.calls.length;
  await assert.rejects(response.getResult(), (e) => e === first);
  assert.equal(s3.calls.length, calls);
});

Deno.test("getResult({ waiter }) waits for the output", async () => {
  const { clock, s3, predictor } = setup();
  const response = await predictor.predictAsync({ inputs: "Hi" });
  const result = response.getResult({ waiter: { maxWaitMs: 60_000 } });
  await clock.advance(1_000);
  s3.put(response.outputLocation, "Hello", "text/plain");
  await clock.advance(2_000);
  assert.equal(await result, "Hello");
});

Deno.test("getResult({ waiter }) times out with WaitTimeoutError, which is not cached", async () => {
  const { clock, s3, predictor } = setup();
  const response = await predictor.predictAsync({ inputs: "Hi" });
  const result = response.getResult({ waiter: { maxWaitMs: 5_000 } }).then(() => 0, (e) => e);
  await clock.advance(5_000);
  assert.ok(await result instanceof WaitTimeoutError);
  s3.put(response.outputLocation, "late", "text/plain");
  assert.equal(await response.getResult(), "late");
});

Deno.test("getResult() rejects a bad maxWaitMs before any call", async () => {
  const { s3, predictor } = setup();
  const response = await predictor.predictAsync({ inputs: "Hi" });
  const before = s3.calls.length;
  await assert.rejects(response.getResult({ waiter: { maxWaitMs: -1 } }), {
    name: "RangeError",
    message: /waiter\.maxWaitMs -1/,
  });
  assert.equal(s3.calls.length, before);
});

Deno.test("predict() submits and waits end to end", async () => {
  const { clock, s3, invokes, predictor } = setup();
  const answer = predictor.predict({ inputs: "Capital of France?" }, { inferenceId: "q1" });
  await clock.advance(1_000);
  assert.equal(invokes().length, 1);
  s3.put("s3://out-bucket/out/q1.out", '[{"generated_text":"Paris"}]', "application/json");
  await clock.advance(2_000);
  assert.deepEqual(await answer, [{ generated_text: "Paris" }]);
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("predict() gives up after 15 minutes by default", async () => {
  const { clock, predictor } = setup();
  const answer = predictor.predict({ inputs: "Hi" }).then(() => 0, (e) => e);
  await clock.advance(15 * 60_000 - 1);
  assert.equal(clock.pendingSleeps, 1);
  await clock.advance(1);
  const error = await answer;
  assert.ok(error instanceof WaitTimeoutError);
  assert.equal(error.waitedMs, 15 * 60_000);
});

Deno.test("predict() rejects with InferenceFailedError when the model fails", async () => {
  const { clock, s3, predictor } = setup();
  const answer = predictor.predict({ inputs: "Hi" }, { inferenceId: "bad" }).then(
    () => 0,
    (e) => e,
  );
  await clock.advance(0);
  s3.put("s3://out-bucket/fail/bad-error.out", '{"error":"Input validation error"}');
  await clock.advance(1_000);
  const error = await answer;
  assert.ok(error instanceof InferenceFailedError);
  assert.equal(error.inferenceId, "bad");
});

Deno.test("predict() rejects with the signal's reason unchanged", async () => {
  const { clock, predictor } = setup();
  const controller = new AbortController();
  const answer = predictor.predict({ inputs: "Hi" }, { signal: controller.signal });
  await clock.advance(1_000);
  const reason = new Error("stop");
  controller.abort(reason);
  await assert.rejects(answer, (e) => e === reason);
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("many concurrent predict() calls share one polling loop", async () => {
  const { clock, s3, predictor } = setup();
  const answers = Array.from(
    { length: 20 },
    (_, i) => predictor.predict(`prompt ${i}`, { inferenceId: `p${i}` }),
  );
  await clock.advance(0);
  assert.equal(clock.pendingSleeps, 1, "one loop, one timer");
  const listsPerRound = s3.count("ListObjectsV2");
  assert.equal(listsPerRound, 2, "20 waits cost one LIST of outputs and one of failures");
  for (let i = 0; i < 20; i++) s3.put(`s3://out-bucket/out/p${i}.out`, `answer ${i}`, "text/plain");
  await clock.advance(1_000);
  assert.deepEqual(await Promise.all(answers), Array.from({ length: 20 }, (_, i) => `answer ${i}`));
});

Deno.test("a custom deserialize decodes every result", async () => {
  const { clock, s3, predictor } = setup({
    deserialize: (body) => new TextDecoder().decode(body).toUpperCase(),
  });
  const answer = predictor.predict("x", { inferenceId: "u" });
  await clock.advance(0);
  s3.put("s3://out-bucket/out/u.out", "shout", "application/octet-stream");
  await clock.advance(1_000);
  assert.equal(await answer, "SHOUT");
});

Deno.test("AsyncPredictor.fromDeployment() takes the endpoint and input prefix of a deployment", async () => {
  const { s3, runtime } = setup();
  const deployment = {
    endpointName: "falcon-dep",
    inputPrefix: "s3://in-bucket/inputs/falcon-dep",
    outputPath: "s3://out-bucket/out",
    region: "us-east-1",
  };
  await using predictor = AsyncPredictor.fromDeployment(deployment, {
    clients: { s3: s3.client, runtime },
  });
  assert.equal(predictor.endpointName, "falcon-dep");
  assert.equal(predictor.inputPrefix, "s3://in-bucket/inputs/falcon-dep");
});

Deno.test("new AsyncPredictor() validates its options", () => {
  const { s3, runtime } = setup();
  const clients = { s3: s3.client, runtime };
  assert.throws(
    () => new AsyncPredictor({ endpointName: "no good", inputPrefix: INPUTS, clients }),
    /endpoint name "no good"/,
  );
  assert.throws(
    () => new AsyncPredictor({ endpointName: "ok", inputPrefix: "bucket/x", clients }),
    /inputPrefix/,
  );
  assert.throws(
    () =>
      new AsyncPredictor({
        endpointName: "ok",
        inputPrefix: INPUTS,
        clients: { s3: s3.client } as never,
      }),
    /clients/,
  );
  assert.throws(
    () => new AsyncPredictor({ endpointName: "ok", inputPrefix: INPUTS, clients, accept: "ä" }),
    /accept/,
  );
});

Deno.test("close() rejects pending predicts and stops the loop", async () => {
  const { clock, predictor } = setup();
  const answer = predictor.predict("x").then(() => 0, (e) => e);
  await clock.advance(0);
  await predictor.close();
  assert.equal((await answer).name, "AbortError");
  assert.equal(clock.pendingSleeps, 0);
});
