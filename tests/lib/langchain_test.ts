import assert from "node:assert/strict";
import { UpdateEndpointWeightsAndCapacitiesCommand } from "@aws-sdk/client-sagemaker";
import { InvokeEndpointAsyncCommand } from "@aws-sdk/client-sagemaker-runtime";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { StringOutputParser } from "@langchain/core/output_parsers";
import { PromptTemplate } from "@langchain/core/prompts";
import { EndpointFailedError, InferenceFailedError, WaitTimeoutError } from "../../lib/errors.ts";
import {
  EndpointAtZeroError,
  OutputTransformError,
  SAGEMAKER_ASYNC_PROGRESS_EVENT,
  SageMakerAsyncEndpoint,
  type SageMakerAsyncEndpointOptions,
  TgiContentHandler,
} from "../../lib/langchain.ts";
import type { CapacityEvent, ProgressEvent } from "../../lib/progress.ts";
import {
  ENDPOINT,
  FakeEndpoint,
  type FakeEndpointOptions,
  settleWithin,
} from "./langchain/fake_endpoint.ts";

const INPUTS = "s3://in-bucket/async-endpoint-inputs/falcon";
const MINUTE = 60_000;

function setup(
  endpointOptions: FakeEndpointOptions = {},
  llmOptions: Partial<SageMakerAsyncEndpointOptions> = {},
) {
  const endpoint = new FakeEndpoint(endpointOptions);
  const events: ProgressEvent[] = [];
  const llm = new SageMakerAsyncEndpoint({
    endpointName: ENDPOINT,
    clients: endpoint.clients,
    inputPrefix: INPUTS,
    clock: endpoint.clock,
    backoff: { jitter: "none", initialMs: 1_000, maxMs: 8_000 },
    onProgress: (event) => events.push(event),
    ...llmOptions,
  });
  const capacity = () =>
    events.filter((e): e is CapacityEvent => e.type === "capacity").map((e) => e.phase);
  return { endpoint, llm, events, capacity, clock: endpoint.clock };
}

Deno.test("invoke() uploads the TGI request under the input prefix, invokes asynchronously and returns the generated text", async () => {
  const { endpoint, llm, clock } = setup({}, {
    modelKwargs: { max_new_tokens: 20, temperature: 0.5 },
    invocationTimeoutSeconds: 120,
  });
  const outcome = await settleWithin(clock, llm.invoke("What is async inference?"));
  assert.ok(outcome.ok);
  assert.equal(outcome.value, "Answer to: What is async inference?");
  const [request] = endpoint.requests;
  assert.match(
    String(request!.input.InputLocation),
    /^s3:\/\/in-bucket\/async-endpoint-inputs\/falcon\//,
  );
  assert.equal(request!.input.ContentType, "application/json");
  assert.equal(request!.input.Accept, "application/json");
  assert.equal(request!.input.InvocationTimeoutSeconds, 120);
  assert.deepEqual(request!.body, {
    inputs: "What is async inference?",
    parameters: { max_new_tokens: 20, do_sample: false, repetition_penalty: 1.1, temperature: 0.5 },
  });
  assert.equal(endpoint.s3.count("PutObject"), 1);
});

Deno.test("without inputBucket the inputs go to sagemaker-<region>-<account>/async-endpoint-inputs/<endpoint>", async () => {
  const { endpoint, llm, clock } = setup({}, { inputPrefix: undefined });
  await settleWithin(clock, llm.invoke("Hi"));
  assert.match(
    String(endpoint.requests[0]!.input.InputLocation),
    /^s3:\/\/sagemaker-us-east-1-123456789012\/async-endpoint-inputs\/falcon\/\d{4}-/,
  );
});

Deno.test("one caller's abort while the default bucket is resolved rejects only that call", async () => {
  const { endpoint, llm, clock } = setup({}, { inputPrefix: undefined });
  const reason = new Error("first caller gave up");
  const controller = new AbortController();
  const first = llm.invoke("a", { signal: controller.signal }).then(() => undefined, (e) => e);
  const second = settleWithin(clock, llm.invoke("b"));
  controller.abort(reason);
  assert.equal(await first, reason);
  const outcome = await second;
  assert.ok(outcome.ok, String(!outcome.ok && outcome.error));
  assert.equal(outcome.value, "Answer to: b");
  assert.equal(endpoint.requests.length, 1);
});

Deno.test("inputBucket with a key prefix puts the inputs there", async () => {
  const { endpoint, llm, clock } = setup({}, { inputBucket: "my-inputs", inputPrefix: "llm/" });
  await settleWithin(clock, llm.invoke("Hi"));
  assert.match(String(endpoint.requests[0]!.input.InputLocation), /^s3:\/\/my-inputs\/llm\/\d{4}-/);
});

Deno.test("invoke() rejects with InferenceFailedError carrying the body when the failure object appears first", async () => {
  const { endpoint, llm, clock } = setup({ autoRespond: false });
  const call = settleWithin(clock, llm.invoke("Hi"));
  await clock.advance(3_000);
  const [request] = endpoint.requests;
  endpoint.fail(request!, '{"error":"CUDA out of memory","error_type":"generation"}');
  const outcome = await call;
  assert.ok(!outcome.ok);
  assert.ok(outcome.error instanceof InferenceFailedError);
  assert.equal(outcome.error.inferenceId, request!.inferenceId);
  assert.equal(
    outcome.error.failureBody,
    '{"error":"CUDA out of memory","error_type":"generation"}',
  );
  assert.equal(outcome.error.failureLocation, request!.failureLocation);
});

Deno.test("invoke() resolves with the output when it appears first, even if a failure object follows", async () => {
  const { endpoint, llm, clock } = setup({ autoRespond: false });
  const call = settleWithin(clock, llm.invoke("Hi"));
  await clock.advance(2_000);
  const [request] = endpoint.requests;
  endpoint.complete(request!, "first");
  await clock.advance(0);
  endpoint.fail(request!, "late failure");
  const outcome = await call;
  assert.ok(outcome.ok);
  assert.equal(outcome.value, "first");
});

Deno.test("invoke() rejects with WaitTimeoutError at maxWaitMs when no result appears", async () => {
  const { llm, clock } = setup({ autoRespond: false }, { maxWaitMs: 5 * MINUTE });
  const outcome = await settleWithin(clock, llm.invoke("Hi"));
  assert.ok(!outcome.ok);
  assert.ok(outcome.error instanceof WaitTimeoutError, String(outcome.error));
  assert.equal(outcome.at, 5 * MINUTE);
  assert.match(outcome.error.waitingFor, /s3:\/\/out-bucket\/out\/.*\.out/);
});

Deno.test("invoke() rejects with the signal's reason unchanged and stops polling when the signal aborts", async () => {
  const { endpoint, llm, clock } = setup({ autoRespond: false });
  const controller = new AbortController();
  const reason = new Error("user cancelled");
  const call = llm.invoke("Hi", { signal: controller.signal }).then(() => undefined, (e) => e);
  await clock.advanceUntil(() => endpoint.requests.length === 1);
  await clock.advance(3_000);
  controller.abort(reason);
  assert.equal(await call, reason);
  const s3Calls = endpoint.s3.calls.length;
  await clock.advance(MINUTE);
  assert.equal(endpoint.s3.calls.length, s3Calls, "no S3 call after the abort");
  assert.equal(clock.pendingSleeps, 0, "no timer left behind");
});

Deno.test("invoke() with an already aborted signal makes no AWS call", async () => {
  const { endpoint, llm } = setup();
  const reason = new Error("too late");
  await assert.rejects(
    llm.invoke("Hi", { signal: AbortSignal.abort(reason) }),
    (e) => e === reason,
  );
  assert.equal(endpoint.s3.calls.length, 0);
  assert.equal(endpoint.describeCalls(), 0);
});

Deno.test("stop sequences cut the text at the first one found", async () => {
  const { llm, clock } = setup({ respond: () => "Paris.\nUser: and Spain?\nAI: Madrid." });
  const outcome = await settleWithin(
    clock,
    llm.invoke("Capital of France?", { stop: ["\nAI:", "\nUser:"] }),
  );
  assert.ok(outcome.ok);
  assert.equal(outcome.value, "Paris.");
});

Deno.test("invalid stop sequences are a TypeError before any AWS call", async () => {
  const { endpoint, llm } = setup();
  await assert.rejects(llm.invoke("Hi", { stop: ["ok", ""] }), TypeError);
  assert.equal(endpoint.s3.calls.length, 0);
  assert.equal(endpoint.describeCalls(), 0);
});

Deno.test("generate() returns the inference id and locations in generationInfo", async () => {
  const { endpoint, llm, clock } = setup();
  const outcome = await settleWithin(clock, llm.generate(["a", "b"]));
  assert.ok(outcome.ok);
  const infos = outcome.value.generations.map((g) => g[0]!.generationInfo);
  assert.deepEqual(
    infos.map((i) => i?.inferenceId).sort(),
    endpoint.requests.map((r) => r.inferenceId).sort(),
  );
  const [first] = endpoint.requests;
  const info = infos.find((i) => i?.inferenceId === first!.inferenceId)!;
  assert.equal(info.outputLocation, first!.outputLocation);
  assert.equal(info.inputLocation, first!.input.InputLocation);
  assert.deepEqual(outcome.value.generations.map((g) => g[0]!.text), [
    "Answer to: a",
    "Answer to: b",
  ]);
  assert.equal(endpoint.describeCalls(), 1, "one capacity check for the prompts of one call");
});

Deno.test("batch() of many prompts is waited on by one shared polling loop", async () => {
  const prompts = ["one", "two", "three", "four", "five"];
  const { endpoint, llm, clock } = setup({ autoRespond: false });
  const call = llm.batch(prompts);
  await clock.advanceUntil(() => endpoint.requests.length === prompts.length);
  await clock.advance(0);
  assert.equal(clock.pendingSleeps, 1, "five pending waits, one sleeping loop");
  await clock.advance(20_000);
  for (const request of endpoint.requests) endpoint.complete(request, `re: ${request.body.inputs}`);
  const outcome = await settleWithin(clock, call);
  assert.ok(outcome.ok);
  assert.deepEqual(outcome.value, prompts.map((p) => `re: ${p}`));
  const stats = llm.waiterStats;
  const heads = endpoint.s3.calls.filter((c) => c.operation === "HeadObject");
  const roundTimes = new Set(heads.map((c) => c.at));
  assert.equal(roundTimes.size, stats.rounds, "every HEAD belongs to a round of the one loop");
  assert.ok(stats.rounds <= 7, `${stats.rounds} rounds for 20 s with 1-8 s backoff`);
  assert.equal(endpoint.s3.count("GetObject"), prompts.length);
  assert.ok(heads.length <= stats.rounds * prompts.length * 2);
});

Deno.test("a PromptTemplate -> SageMakerAsyncEndpoint -> StringOutputParser chain returns the text", async () => {
  const { endpoint, llm, clock } = setup();
  const chain = PromptTemplate.fromTemplate("Translate to French: {text}")
    .pipe(llm)
    .pipe(new StringOutputParser());
  const outcome = await settleWithin(clock, chain.invoke({ text: "cheese" }));
  assert.ok(outcome.ok);
  assert.equal(outcome.value, "Answer to: Translate to French: cheese");
  assert.equal(endpoint.requests[0]!.body.inputs, "Translate to French: cheese");
});

Deno.test("at zero instances with the scale-from-zero policy the prompt is submitted at once and the call waits through the wake-up", async () => {
  const { endpoint, llm, clock, capacity } = setup(
    { current: 0, wakePolicy: true, inferenceMs: MINUTE },
    { maxWaitMs: 2 * MINUTE, coldStartBudgetMs: 15 * MINUTE },
  );
  const call = settleWithin(clock, llm.invoke("Wake up"), { stepMs: 5_000 });
  await clock.advance(0);
  assert.equal(endpoint.requests.length, 1, "submitted before any capacity exists");
  await clock.advance(3 * MINUTE); // the alarm fires after two datapoints
  endpoint.setCapacity({ current: 0, desired: 1 });
  await clock.advance(7 * MINUTE); // the instance launches
  endpoint.setCapacity({ current: 1 });
  const outcome = await call;
  assert.ok(outcome.ok, String(!outcome.ok && outcome.error));
  assert.equal(outcome.value, "Answer to: Wake up");
  assert.ok(
    outcome.at > 10 * MINUTE,
    "waited longer than maxWaitMs thanks to the cold-start budget",
  );
  assert.deepEqual([...new Set(capacity())], [
    "waiting-for-capacity",
    "instance-starting",
    "running",
  ]);
  assert.equal(
    endpoint.sagemakerMock.commandCalls(UpdateEndpointWeightsAndCapacitiesCommand).length,
    0,
  );
});

Deno.test("at zero instances the call fails with WaitTimeoutError naming the inference when no instance appears within the cold-start budget", async () => {
  const { endpoint, llm, clock } = setup(
    { current: 0, wakePolicy: true },
    { maxWaitMs: 5 * MINUTE, coldStartBudgetMs: 10 * MINUTE },
  );
  const outcome = await settleWithin(clock, llm.invoke("Hi"), { stepMs: 15_000 });
  assert.ok(!outcome.ok);
  assert.ok(outcome.error instanceof WaitTimeoutError, String(outcome.error));
  assert.equal(outcome.at, 10 * MINUTE);
  const [request] = endpoint.requests;
  assert.ok(outcome.error.waitingFor.includes(request!.inferenceId));
  assert.ok(outcome.error.waitingFor.includes(request!.outputLocation));
  assert.match(outcome.error.lastObserved.summary, /waiting for capacity, 0 of 0/);
  assert.ok(outcome.error.lastObserved.rounds >= 30, "polled every 15 s");
  await clock.advance(MINUTE);
  assert.equal(clock.pendingSleeps, 0, "no timer left behind");
});

Deno.test("at zero instances without the scale-from-zero policy the call fails with EndpointAtZeroError and submits nothing", async () => {
  const { endpoint, llm } = setup({ current: 0 });
  const error = await llm.invoke("Hi").then(() => undefined, (e) => e);
  assert.ok(error instanceof EndpointAtZeroError, String(error));
  assert.equal(error.endpointName, ENDPOINT);
  assert.deepEqual(error.variants, [
    { variantName: "AllTraffic", currentInstanceCount: 0, desiredInstanceCount: 0 },
  ]);
  assert.match(error.message, /nothing was submitted/);
  assert.match(
    error.message,
    /enableScaleToZero\(\{ endpointName: "falcon", wakeFromZero: true \}\)/,
  );
  assert.match(error.message, /wakeEndpoint: "set-desired-count"/);
  assert.equal(endpoint.s3.count("PutObject"), 0);
  assert.equal(endpoint.runtimeMock.commandCalls(InvokeEndpointAsyncCommand).length, 0);
});

Deno.test('wakeEndpoint "set-desired-count" raises the desired count to 1, submits, and returns once the instance runs', async () => {
  const { endpoint, llm, clock, capacity } = setup({ current: 0, inferenceMs: MINUTE }, {
    wakeEndpoint: "set-desired-count",
  });
  const call = settleWithin(clock, llm.invoke("Hi"), { stepMs: 5_000 });
  await clock.advance(0);
  const updates = endpoint.sagemakerMock.commandCalls(UpdateEndpointWeightsAndCapacitiesCommand);
  assert.equal(updates.length, 1);
  assert.deepEqual(updates[0]!.args[0].input, {
    EndpointName: ENDPOINT,
    DesiredWeightsAndCapacities: [{ VariantName: "AllTraffic", DesiredInstanceCount: 1 }],
  });
  assert.equal(endpoint.requests.length, 1);
  await clock.advance(8 * MINUTE);
  endpoint.setCapacity({ current: 1 });
  const outcome = await call;
  assert.ok(outcome.ok);
  assert.deepEqual([...new Set(capacity())], ["instance-starting", "running"]);
});

Deno.test("at zero instances with an instance already starting the call waits without raising anything", async () => {
  const { endpoint, llm, clock, capacity } = setup({ current: 0, desired: 1 });
  const call = settleWithin(clock, llm.invoke("Hi"), { stepMs: 5_000 });
  await clock.advance(4 * MINUTE);
  endpoint.setCapacity({ current: 1 });
  const outcome = await call;
  assert.ok(outcome.ok);
  assert.equal(
    endpoint.sagemakerMock.commandCalls(UpdateEndpointWeightsAndCapacitiesCommand).length,
    0,
  );
  assert.equal(endpoint.autoscalingMock.calls().length, 0, "no policy look-up needed");
  assert.equal(capacity()[0], "instance-starting");
});

Deno.test("batch() during a cold start shares one DescribeEndpoint loop", async () => {
  const { endpoint, llm, clock } = setup({ current: 0, wakePolicy: true });
  const call = settleWithin(clock, llm.batch(["a", "b", "c", "d"]), { stepMs: 5_000 });
  await clock.advance(10 * MINUTE);
  endpoint.setCapacity({ current: 1 });
  const outcome = await call;
  assert.ok(outcome.ok);
  // Four admission checks at most, then one poll per 15 s, not four.
  assert.ok(
    endpoint.describeCalls() <= 4 + Math.ceil(outcome.at / 15_000) + 1,
    `${endpoint.describeCalls()} DescribeEndpoint calls`,
  );
  assert.ok(endpoint.describeCalls() >= 40);
});

Deno.test("progress events reach the run's LangChain callbacks as custom events", async () => {
  const { endpoint, llm, clock } = setup({ current: 0, wakePolicy: true, inferenceMs: MINUTE });
  const received: { name: string; data: ProgressEvent }[] = [];
  const handler = BaseCallbackHandler.fromMethods({
    handleCustomEvent(name: string, data: ProgressEvent) {
      received.push({ name, data });
    },
  });
  handler.awaitHandlers = true;
  const call = settleWithin(clock, llm.invoke("Hi", { callbacks: [handler] }), { stepMs: 5_000 });
  await clock.advance(2 * MINUTE);
  endpoint.setCapacity({ current: 1 });
  assert.ok((await call).ok);
  assert.ok(received.every((r) => r.name === SAGEMAKER_ASYNC_PROGRESS_EVENT));
  const types = new Set(received.map((r) => r.data.type));
  assert.deepEqual([...types].sort(), ["capacity", "resource-created"]);
  const phases = received.flatMap((r) => r.data.type === "capacity" ? [r.data.phase] : []);
  assert.equal(phases[0], "waiting-for-capacity");
  assert.equal(phases.at(-1), "running");
});

Deno.test("a Failed endpoint is an EndpointFailedError before anything is submitted", async () => {
  const { endpoint, llm } = setup();
  endpoint.status = "Failed";
  await assert.rejects(llm.invoke("Hi"), EndpointFailedError);
  assert.equal(endpoint.s3.calls.length, 0);
});

Deno.test("an output the content handler cannot read is an OutputTransformError naming its location", async () => {
  const { endpoint, llm, clock } = setup({ autoRespond: false });
  const call = settleWithin(clock, llm.invoke("Hi"));
  await clock.advance(1_000);
  const [request] = endpoint.requests;
  endpoint.s3.put(request!.outputLocation, "not json", "text/plain");
  const outcome = await call;
  assert.ok(!outcome.ok);
  assert.ok(outcome.error instanceof OutputTransformError);
  assert.equal(outcome.error.outputLocation, request!.outputLocation);
  assert.equal(outcome.error.inferenceId, request!.inferenceId);
  assert.ok(outcome.error.cause instanceof SyntaxError);
});

Deno.test("a custom content handler shapes the request and reads the output", async () => {
  const { endpoint, llm, clock } = setup({ autoRespond: false }, {
    contentHandler: {
      contentType: "application/json",
      accepts: "text/plain",
      transformInput: (prompt, kwargs) =>
        Promise.resolve(
          new TextEncoder().encode(
            JSON.stringify({ inputs: prompt.toUpperCase(), parameters: kwargs }),
          ),
        ),
      transformOutput: (bytes) => new TextDecoder().decode(bytes).trim(),
    },
    modelKwargs: { top_p: 0.9 },
  });
  const call = settleWithin(clock, llm.invoke("hi"));
  await clock.advanceUntil(() => endpoint.requests.length === 1);
  const [request] = endpoint.requests;
  assert.deepEqual(request!.body, { inputs: "HI", parameters: { top_p: 0.9 } });
  assert.equal(request!.input.Accept, "text/plain");
  endpoint.s3.put(request!.outputLocation, "  plain text  ", "text/plain");
  const outcome = await call;
  assert.ok(outcome.ok);
  assert.equal(outcome.value, "plain text");
});

Deno.test("the constructor rejects bad options with TypeError or RangeError", () => {
  const { clients } = new FakeEndpoint();
  const base = { endpointName: ENDPOINT, clients, inputPrefix: INPUTS };
  assert.throws(
    () => new SageMakerAsyncEndpoint({ ...base, endpointName: "no spaces" }),
    TypeError,
  );
  assert.throws(
    () => new SageMakerAsyncEndpoint({ ...base, inputBucket: "other-bucket" }),
    /already names a bucket/,
  );
  assert.throws(
    () =>
      new SageMakerAsyncEndpoint({
        endpointName: ENDPOINT,
        clients: { ...clients, sts: undefined, region: undefined },
      }),
    /clients\.sts and clients\.region/,
  );
  assert.throws(() => new SageMakerAsyncEndpoint({ ...base, maxWaitMs: -1 }), RangeError);
  assert.throws(
    () => new SageMakerAsyncEndpoint({ ...base, invocationTimeoutSeconds: 3601 }),
    RangeError,
  );
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => new SageMakerAsyncEndpoint({ ...base, wakeEndpoint: "always" as any }),
    /must be "never" or "set-desired-count"/,
  );
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => new SageMakerAsyncEndpoint({ ...base, contentHandler: { contentType: "x" } as any }),
    /transformInput\(\) and transformOutput\(\)/,
  );
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => new SageMakerAsyncEndpoint({ ...base, modelKwargs: [1] as any }),
    /modelKwargs .* plain object/,
  );
  assert.throws(
    () => new SageMakerAsyncEndpoint({ ...base, clients: { ...clients, cloudwatch: undefined! } }),
    /clients\.cloudwatch/,
  );
});

Deno.test("the default content handler is TGI and the LLM identifies its endpoint and kwargs", () => {
  const { clients } = new FakeEndpoint();
  const llm = new SageMakerAsyncEndpoint({
    endpointName: ENDPOINT,
    clients,
    inputPrefix: INPUTS,
    modelKwargs: { max_new_tokens: 10 },
  });
  assert.ok(llm.contentHandler instanceof TgiContentHandler);
  assert.equal(llm._llmType(), "sagemaker_async_endpoint");
  assert.deepEqual(llm._identifyingParams(), {
    endpointName: ENDPOINT,
    contentType: "application/json",
    accepts: "application/json",
    modelKwargs: { max_new_tokens: 10 },
  });
});
