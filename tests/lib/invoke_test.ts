import assert from "node:assert/strict";
import {
  InvokeEndpointAsyncCommand,
  type InvokeEndpointAsyncCommandInput,
  SageMakerRuntimeClient,
  ServiceUnavailable,
} from "@aws-sdk/client-sagemaker-runtime";
import { mockClient } from "aws-sdk-client-mock";
import { invokeAsync, type InvokeAsyncOptions, uploadPayload } from "../../lib/invoke.ts";
import type { ProgressEvent } from "../../lib/progress.ts";
import { ManualClock } from "../../lib/testing/manual_clock.ts";
import { FakeS3 } from "./fake_s3.ts";

const START = Date.UTC(2026, 2, 4, 5, 6, 7, 89);
const PREFIX = "s3://in-bucket/async-endpoint-inputs/falcon";
const KEY_PATTERN =
  /^async-endpoint-inputs\/falcon\/2026-03-04-05-06-07-089-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function setup(
  respond: (input: InvokeEndpointAsyncCommandInput) => unknown = (input) => ({
    InferenceId: input.InferenceId,
    OutputLocation: `s3://out-bucket/out/${input.InferenceId}.out`,
    FailureLocation: `s3://out-bucket/fail/${input.InferenceId}-error.out`,
  }),
) {
  const clock = new ManualClock({ start: START });
  const s3 = new FakeS3({ clock });
  const runtime = new SageMakerRuntimeClient({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
  });
  const runtimeMock = mockClient(runtime);
  runtimeMock.on(InvokeEndpointAsyncCommand).callsFake((input) => respond(input));
  const invokes = () =>
    runtimeMock.commandCalls(InvokeEndpointAsyncCommand).map((c) => c.args[0].input);
  return { clock, s3, runtime, runtimeMock, invokes, clients: { s3: s3.client, runtime } };
}

Deno.test("invokeAsync() uploads the payload under the input prefix and invokes with it", async () => {
  const { clock, s3, clients, invokes } = setup();
  const invocation = await invokeAsync({
    clients,
    endpointName: "falcon-40b-async",
    inputPrefix: PREFIX,
    data: { inputs: "What is the capital of France?" },
    accept: "application/json",
    customAttributes: "trace=1",
    inferenceId: "q-1",
    requestTtlSeconds: 3_600,
    invocationTimeoutSeconds: 1_200,
    clock,
  });

  assert.equal(s3.count("PutObject"), 1);
  const put = s3.calls[0]!;
  assert.equal(put.bucket, "in-bucket");
  assert.match(put.key, KEY_PATTERN);
  assert.equal(put.input.ContentType, "application/json");
  const stored = s3.objects.get(`in-bucket/${put.key}`)!;
  assert.equal(
    new TextDecoder().decode(stored.body),
    '{"inputs":"What is the capital of France?"}',
  );

  assert.deepEqual(invokes(), [{
    EndpointName: "falcon-40b-async",
    InputLocation: `s3://in-bucket/${put.key}`,
    Body: undefined,
    ContentType: "application/json",
    Accept: "application/json",
    CustomAttributes: "trace=1",
    InferenceId: "q-1",
    RequestTTLSeconds: 3_600,
    InvocationTimeoutSeconds: 1_200,
  }]);
  assert.deepEqual(invocation, {
    endpointName: "falcon-40b-async",
    inferenceId: "q-1",
    inputLocation: `s3://in-bucket/${put.key}`,
    outputLocation: "s3://out-bucket/out/q-1.out",
    failureLocation: "s3://out-bucket/fail/q-1-error.out",
    submittedAt: START,
  });
});

Deno.test("invokeAsync() generates an inference id when none is given and keeps SageMaker's", async () => {
  const { clients, invokes } = setup((input) => ({
    InferenceId: `server-${input.InferenceId}`,
    OutputLocation: "s3://out-bucket/out/x.out",
  }));
  const invocation = await invokeAsync({
    clients,
    endpointName: "falcon",
    inputPrefix: PREFIX,
    data: "hello",
  });
  const sent = invokes()[0]!.InferenceId!;
  assert.match(sent, /^[0-9a-f-]{36}$/);
  assert.equal(invocation.inferenceId, `server-${sent}`);
  assert.equal(invokes()[0]!.ContentType, "text/plain");
});

Deno.test("invokeAsync() keeps the id it sent when the response has none", async () => {
  const { clients } = setup(() => ({ OutputLocation: "s3://out-bucket/out/x.out" }));
  const invocation = await invokeAsync({
    clients,
    endpointName: "falcon",
    inputPrefix: PREFIX,
    data: "hello",
    inferenceId: "mine",
  });
  assert.equal(invocation.inferenceId, "mine");
  assert.equal(invocation.failureLocation, undefined);
});

Deno.test("invokeAsync() uses an existing inputLocation without uploading", async () => {
  const { s3, clients, invokes } = setup();
  const invocation = await invokeAsync({
    clients: { runtime: clients.runtime },
    endpointName: "falcon",
    inputLocation: "s3://in-bucket/prepared/request.json",
    inferenceId: "q-2",
  });
  assert.equal(s3.calls.length, 0);
  assert.equal(invokes()[0]!.InputLocation, "s3://in-bucket/prepared/request.json");
  assert.equal(invokes()[0]!.ContentType, undefined);
  assert.equal(invocation.inputLocation, "s3://in-bucket/prepared/request.json");
});

Deno.test("invokeAsync() sends inline data as the request body without uploading", async () => {
  const { s3, clients, invokes } = setup();
  const invocation = await invokeAsync({
    clients: { runtime: clients.runtime },
    endpointName: "falcon",
    data: { inputs: "hi" },
    inline: true,
  });
  assert.equal(s3.calls.length, 0);
  const input = invokes()[0]!;
  assert.equal(input.InputLocation, undefined);
  assert.equal(new TextDecoder().decode(input.Body as Uint8Array), '{"inputs":"hi"}');
  assert.equal(input.ContentType, "application/json");
  assert.equal(invocation.inputLocation, undefined);
});

Deno.test("invokeAsync() passes its signal to every call", async () => {
  const { s3, clients, runtimeMock } = setup();
  const controller = new AbortController();
  await invokeAsync({
    clients,
    endpointName: "falcon",
    inputPrefix: PREFIX,
    data: "x",
    signal: controller.signal,
  });
  const putOptions = (s3.mock.send.getCall(0).args as unknown[])[1] as { abortSignal?: unknown };
  const invokeOptions = (runtimeMock.send.getCall(0).args as unknown[])[1] as {
    abortSignal?: unknown;
  };
  assert.equal(putOptions.abortSignal, controller.signal);
  assert.equal(invokeOptions.abortSignal, controller.signal);
});

Deno.test("invokeAsync() validates everything before any call", async () => {
  const base: InvokeAsyncOptions = {
    clients: { runtime: undefined as never },
    endpointName: "falcon",
    inputPrefix: PREFIX,
    data: { inputs: "x" },
  };
  const cases: [string, Partial<InvokeAsyncOptions>, ErrorConstructor, RegExp][] = [
    ["endpoint name", { endpointName: "bad name" }, TypeError, /endpoint name "bad name"/],
    ["long endpoint name", { endpointName: "a".repeat(64) }, TypeError, /names must match/],
    ["both inputs", { inputLocation: "s3://in-bucket/k" }, TypeError, /got both/],
    ["no input", { data: undefined }, TypeError, /got neither/],
    [
      "inline with location",
      { data: undefined, inputLocation: "s3://in-bucket/k", inline: true },
      TypeError,
      /cannot be combined with inputLocation/,
    ],
    ["missing prefix", { inputPrefix: undefined }, TypeError, /inputPrefix, which is missing/],
    ["bad prefix", { inputPrefix: "https://x/y" }, TypeError, /must start with s3:\/\//],
    [
      "location is a prefix",
      { data: undefined, inputLocation: "s3://in-bucket/dir/" },
      TypeError,
      /must name an object/,
    ],
    ["ttl too low", { requestTtlSeconds: 59 }, RangeError, /requestTtlSeconds 59/],
    ["ttl too high", { requestTtlSeconds: 21_601 }, RangeError, /between 60 and 21600/],
    ["ttl fraction", { requestTtlSeconds: 60.5 }, TypeError, /must be an integer/],
    ["timeout 0", { invocationTimeoutSeconds: 0 }, RangeError, /invocationTimeoutSeconds 0/],
    ["timeout high", { invocationTimeoutSeconds: 3_601 }, RangeError, /between 1 and 3600/],
    ["inference id", { inferenceId: " leading" }, TypeError, /inferenceId " leading"/],
    ["long inference id", { inferenceId: "x".repeat(65) }, TypeError, /1-64/],
    ["accept", { accept: "application/jsön" }, TypeError, /accept/],
    ["custom attributes", { customAttributes: "a".repeat(1_025) }, TypeError, /1024/],
    ["json as csv", { contentType: "text/csv" }, TypeError, /JSON values need/],
    ["bad payload", { data: { n: NaN } }, TypeError, /finite/],
    [
      "inline too large",
      { data: "x".repeat(128_001), inline: true },
      RangeError,
      /128001 bytes/,
    ],
    ["inline not boolean", { inline: "yes" as never }, TypeError, /inline "yes"/],
  ];
  for (const [name, override, type, message] of cases) {
    const { clients, s3, invokes } = setup();
    await assert.rejects(
      invokeAsync({ ...base, clients, ...override }),
      (e: unknown) => e instanceof type && message.test((e as Error).message),
      name,
    );
    assert.equal(s3.calls.length, 0, name);
    assert.equal(invokes().length, 0, name);
  }
});

Deno.test("invokeAsync() needs an S3 client only to upload", async () => {
  const { clients, invokes } = setup();
  await assert.rejects(
    invokeAsync({
      clients: { runtime: clients.runtime },
      endpointName: "falcon",
      inputPrefix: PREFIX,
      data: "x",
    }),
    /clients\.s3: uploading a payload needs an S3Client/,
  );
  assert.equal(invokes().length, 0);
  await assert.rejects(
    invokeAsync({
      clients: {} as never,
      endpointName: "falcon",
      inputLocation: "s3://in-bucket/k",
    }),
    /clients\.runtime/,
  );
});

Deno.test("invokeAsync() rejects with the signal's reason unchanged before any call", async () => {
  const { clients, s3, invokes } = setup();
  const reason = new Error("user cancelled");
  await assert.rejects(
    invokeAsync({
      clients,
      endpointName: "falcon",
      inputPrefix: PREFIX,
      data: "x",
      signal: AbortSignal.abort(reason),
    }),
    (e) => e === reason,
  );
  assert.equal(s3.calls.length + invokes().length, 0);
});

Deno.test("invokeAsync() lets an invoke error through unchanged after reporting the uploaded input", async () => {
  const failure = new ServiceUnavailable({ message: "try later", $metadata: {} });
  const { clients, s3 } = setup(() => {
    throw failure;
  });
  const events: ProgressEvent[] = [];
  await assert.rejects(
    invokeAsync({
      clients,
      endpointName: "falcon",
      inputPrefix: PREFIX,
      data: "x",
      onProgress: (e) => events.push(e),
    }),
    (e) => e === failure,
  );
  const key = s3.calls[0]!.key;
  assert.ok(s3.objects.has(`in-bucket/${key}`), "the uploaded input stays in S3");
  assert.equal(events.length, 1);
  assert.equal(events[0]!.type, "resource-created");
  assert.equal((events[0] as { name: string }).name, `s3://in-bucket/${key}`);
  assert.equal((events[0] as { resource: string }).resource, "object");
});

Deno.test("invokeAsync() reports a response without OutputLocation, naming the inference", async () => {
  const { clients } = setup(() => ({ InferenceId: "q-9" }));
  await assert.rejects(
    invokeAsync({ clients, endpointName: "falcon", inputLocation: "s3://in-bucket/k" }),
    /inference q-9 .*returned no OutputLocation/,
  );
});

Deno.test("uploadPayload() names the object <prefix>/<timestamp>-<uuid> with its content type", async () => {
  const { clock, s3 } = setup();
  const uploaded = await uploadPayload({
    clients: { s3: s3.client },
    inputPrefix: `${PREFIX}/`,
    data: new Uint8Array([1, 2, 3]),
    contentType: "application/x-npy",
    clock,
  });
  const key = uploaded.location.slice("s3://in-bucket/".length);
  assert.match(key, KEY_PATTERN);
  assert.equal(uploaded.bytes, 3);
  assert.equal(uploaded.contentType, "application/x-npy");
  assert.equal(s3.objects.get(`in-bucket/${key}`)!.contentType, "application/x-npy");
});

Deno.test("uploadPayload() writes at the bucket root when the prefix has no key", async () => {
  const { clock, s3 } = setup();
  const uploaded = await uploadPayload({
    clients: { s3: s3.client },
    inputPrefix: "s3://in-bucket",
    data: "x",
    clock,
  });
  assert.match(uploaded.location, /^s3:\/\/in-bucket\/2026-03-04-05-06-07-089-[0-9a-f-]{36}$/);
});

Deno.test("uploadPayload() validates before any call", async () => {
  const { s3 } = setup();
  await assert.rejects(
    uploadPayload({ clients: { s3: s3.client }, inputPrefix: "s3://B/x", data: "x" }),
    TypeError,
  );
  await assert.rejects(
    uploadPayload({ clients: { s3: s3.client }, inputPrefix: PREFIX, data: undefined as never }),
    /undefined/,
  );
  assert.equal(s3.calls.length, 0);
});
