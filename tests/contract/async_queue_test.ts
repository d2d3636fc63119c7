import assert from "node:assert/strict";
import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import {
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  UpdateEndpointWeightsAndCapacitiesCommand,
} from "@aws-sdk/client-sagemaker";
import { InvokeEndpointAsyncCommand } from "@aws-sdk/client-sagemaker-runtime";
import { CreateTopicCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { ManualEmulatorClock } from "../../emulator/clock.ts";
import type { InvocationOutcome } from "../../emulator/context.ts";
import { DEFAULT_TIMINGS } from "../../emulator/core.ts";
import { FilePersistence } from "../../emulator/persistence/file.ts";
import { type ContractEnv, startContractEnv } from "./_harness.ts";
import { deployEndpoint, FAILURE_PATH, OUTPUT_PATH, readS3 } from "./_sagemaker.ts";

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const prompt = (text: string, tokens = 10) => ({
  inputs: text,
  parameters: { max_new_tokens: tokens },
});
const inferenceMs = (tokens: number) =>
  DEFAULT_TIMINGS.inferenceBaseMs + tokens * DEFAULT_TIMINGS.inferencePerTokenMs;

function outcomes(env: ContractEnv<ManualEmulatorClock>): InvocationOutcome[] {
  const seen: InvocationOutcome[] = [];
  env.emulator.emulator.context.sagemaker!.onInvocationFinished((o) => seen.push(o));
  return seen;
}

async function invoke(
  env: ContractEnv<ManualEmulatorClock>,
  endpoint: string,
  payload: unknown,
  extra: { InferenceId?: string; RequestTTLSeconds?: number; InvocationTimeoutSeconds?: number } =
    {},
) {
  return await env.clients.runtime.send(
    new InvokeEndpointAsyncCommand({
      EndpointName: endpoint,
      Body: encode(payload),
      ContentType: "application/json",
      ...extra,
    }),
  );
}

async function keys(env: ContractEnv<ManualEmulatorClock>, prefix: string): Promise<string[]> {
  const listed = await env.clients.s3.send(
    new ListObjectsV2Command({ Bucket: "results", Prefix: prefix }),
  );
  return (listed.Contents ?? []).map((o) => o.Key!).sort();
}

async function setCapacity(env: ContractEnv<ManualEmulatorClock>, endpoint: string, n: number) {
  await env.clients.sagemaker.send(
    new UpdateEndpointWeightsAndCapacitiesCommand({
      EndpointName: endpoint,
      DesiredWeightsAndCapacities: [{ VariantName: "AllTraffic", DesiredInstanceCount: n }],
    }),
  );
}

async function queueMessages(env: ContractEnv<ManualEmulatorClock>, queue: string) {
  const response = await fetch(`${env.emulator.endpoint}/_emulator/sns/queues/${queue}`);
  return (await response.json()).messages as Array<{ notification: { Message: string } }>;
}

Deno.test("a payload TGI rejects becomes the failure object with TGI's 422 body, and no output", async () => {
  await using env = await startContractEnv();
  const seen = outcomes(env);
  await deployEndpoint(env, { name: "falcon" });
  const response = await invoke(env, "falcon", { inputs: "x", parameters: { top_p: 1.5 } });
  await env.clock.settle();
  const failure = await readS3(env.clients.s3, response.FailureLocation!);
  assert.deepEqual(JSON.parse(failure!.text), {
    error: "Input validation error: `top_p` must be > 0.0 and < 1.0",
    error_type: "validation",
  });
  assert.equal(failure!.contentType, "application/json");
  assert.equal(await readS3(env.clients.s3, response.OutputLocation!), undefined);
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.status, "Failed");
  assert.equal(seen[0]!.failureKind, "InvocationFailures");
  assert.equal(seen[0]!.inferenceId, response.InferenceId);
});

Deno.test("success and error notifications reach SNS in SageMaker's message shape", async () => {
  await using env = await startContractEnv();
  const sns = env.clients.sns;
  const ok = await sns.send(new CreateTopicCommand({ Name: "ok" }));
  const err = await sns.send(new CreateTopicCommand({ Name: "err" }));
  await sns.send(
    new SubscribeCommand({ TopicArn: ok.TopicArn, Protocol: "emulator-queue", Endpoint: "okq" }),
  );
  await sns.send(
    new SubscribeCommand({ TopicArn: err.TopicArn, Protocol: "emulator-queue", Endpoint: "errq" }),
  );
  await deployEndpoint(env, {
    name: "notify",
    asyncConfig: {
      OutputConfig: {
        S3OutputPath: OUTPUT_PATH,
        S3FailurePath: FAILURE_PATH,
        NotificationConfig: {
          SuccessTopic: ok.TopicArn,
          ErrorTopic: err.TopicArn,
          IncludeInferenceResponseIn: ["SUCCESS_NOTIFICATION_TOPIC"],
        },
      },
    },
  });
  await env.clients.s3.send(
    new PutObjectCommand({
      Bucket: "results",
      Key: "in/good.json",
      Body: JSON.stringify(prompt("Hi", 3)),
    }),
  );
  const accepted = env.clock.now();
  const good = await env.clients.runtime.send(
    new InvokeEndpointAsyncCommand({
      EndpointName: "notify",
      InputLocation: "s3://results/in/good.json",
      ContentType: "application/json",
    }),
  );
  const bad = await invoke(env, "notify", { inputs: "" });
  await env.clock.advance(inferenceMs(3));
  const [success] = await queueMessages(env, "okq");
  const message = JSON.parse(success!.notification.Message);
  const output = await readS3(env.clients.s3, good.OutputLocation!);
  assert.deepEqual(message, {
    awsRegion: "us-east-1",
    eventTime: new Date(accepted + inferenceMs(3)).toISOString(),
    receivedTime: new Date(accepted).toISOString(),
    invocationStatus: "Completed",
    requestParameters: {
      contentType: "application/json",
      endpointName: "notify",
      inputLocation: "s3://results/in/good.json",
    },
    responseParameters: { contentType: "application/json", outputLocation: good.OutputLocation },
    responseBody: { content: output!.text, encoding: "UTF-8" },
    inferenceId: good.InferenceId,
    eventVersion: "1.0",
    eventSource: "aws:sagemaker",
    eventName: "InferenceResult",
  });
  const [failure] = await queueMessages(env, "errq");
  const failed = JSON.parse(failure!.notification.Message);
  assert.equal(failed.invocationStatus, "Failed");
  assert.equal(failed.inferenceId, bad.InferenceId);
  assert.equal(
    failed.failureReason,
    "ClientError: Received client error (422) from model. See the SageMaker Endpoint logs in your account for more information.",
  );
  assert.equal(failed.responseParameters, undefined);
  assert.equal(failed.responseBody, undefined);
});

Deno.test("a notification to a topic that does not exist is dropped; the output is still written", async () => {
  await using env = await startContractEnv();
  const seen = outcomes(env);
  await deployEndpoint(env, {
    name: "notopic",
    asyncConfig: {
      OutputConfig: {
        S3OutputPath: OUTPUT_PATH,
        S3FailurePath: FAILURE_PATH,
        NotificationConfig: { SuccessTopic: "arn:aws:sns:us-east-1:123456789012:never-created" },
      },
    },
  });
  const response = await invoke(env, "notopic", prompt("Hi", 3));
  await env.clock.advance(inferenceMs(3));
  assert.ok(await readS3(env.clients.s3, response.OutputLocation!));
  assert.deepEqual(seen.map((o) => o.status), ["Completed"]);
});

Deno.test("a request waiting longer than RequestTTLSeconds expires into a failure object", async () => {
  await using env = await startContractEnv();
  const seen = outcomes(env);
  await deployEndpoint(env, { name: "idle" });
  await setCapacity(env, "idle", 0);
  const response = await invoke(env, "idle", prompt("Hello"), { RequestTTLSeconds: 60 });
  const backend = env.emulator.emulator.context.sagemaker!;
  assert.deepEqual(backend.queueSnapshot("idle"), {
    endpointName: "idle",
    queued: 1,
    inProgress: 0,
    oldestQueuedAt: env.clock.now(),
  });
  await env.clock.advance(59_999);
  assert.equal(await readS3(env.clients.s3, response.FailureLocation!), undefined);
  await env.clock.advance(1);
  const failure = await readS3(env.clients.s3, response.FailureLocation!);
  assert.match(failure!.text, /RequestTTLSeconds \(60 s\)/);
  assert.equal(seen[0]?.status, "Expired");
  assert.equal(seen[0]?.failureKind, "ExpiredRequests");
  assert.equal(seen[0]?.startedAt, undefined);
  assert.equal(backend.queueSnapshot("idle")?.queued, 0);
});

Deno.test("an inference longer than InvocationTimeoutSeconds fails at the timeout", async () => {
  await using env = await startContractEnv({ timings: { inferencePerTokenMs: 100 } });
  const seen = outcomes(env);
  await deployEndpoint(env, { name: "slow" });
  const response = await invoke(env, "slow", prompt("Tell me a long story", 500), {
    InvocationTimeoutSeconds: 30,
  });
  await env.clock.advance(29_999);
  assert.equal(await readS3(env.clients.s3, response.FailureLocation!), undefined);
  await env.clock.advance(1);
  const failure = await readS3(env.clients.s3, response.FailureLocation!);
  assert.match(failure!.text, /InvocationTimeoutSeconds \(30 s\)/);
  await env.clock.advance(60_000);
  assert.equal(await readS3(env.clients.s3, response.OutputLocation!), undefined);
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.failureKind, "InvocationFailures");
});

Deno.test("a missing input object is a RequestDownloadFailures failure", async () => {
  await using env = await startContractEnv();
  const seen = outcomes(env);
  await deployEndpoint(env, { name: "nofile" });
  const response = await env.clients.runtime.send(
    new InvokeEndpointAsyncCommand({
      EndpointName: "nofile",
      InputLocation: "s3://results/in/missing.json",
    }),
  );
  await env.clock.settle();
  const failure = await readS3(env.clients.s3, response.FailureLocation!);
  assert.match(
    failure!.text,
    /^ClientError: Failed to download data from s3:\/\/results\/in\/missing\.json/,
  );
  assert.equal(seen[0]?.failureKind, "RequestDownloadFailures");
});

Deno.test("requests run in FIFO order, MaxConcurrentInvocationsPerInstance at a time", async () => {
  await using env = await startContractEnv();
  await deployEndpoint(env, {
    name: "fifo",
    asyncConfig: {
      ClientConfig: { MaxConcurrentInvocationsPerInstance: 1 },
      OutputConfig: { S3OutputPath: OUTPUT_PATH, S3FailurePath: FAILURE_PATH },
    },
  });
  for (const id of ["r1", "r2", "r3"]) {
    await invoke(env, "fifo", prompt(id), { InferenceId: id });
  }
  const backend = env.emulator.emulator.context.sagemaker!;
  assert.equal(backend.queueSnapshot("fifo")?.queued, 2);
  assert.equal(backend.queueSnapshot("fifo")?.inProgress, 1);
  const step = inferenceMs(10);
  await env.clock.advance(step);
  assert.deepEqual(await keys(env, "out/"), ["out/r1.out"]);
  await env.clock.advance(step);
  assert.deepEqual(await keys(env, "out/"), ["out/r1.out", "out/r2.out"]);
  assert.deepEqual(backend.queueSnapshot("fifo"), {
    endpointName: "fifo",
    queued: 0,
    inProgress: 1,
    oldestQueuedAt: undefined,
  });
  await env.clock.advance(step);
  assert.deepEqual(await keys(env, "out/"), ["out/r1.out", "out/r2.out", "out/r3.out"]);
});

Deno.test("at zero instances an async endpoint stays InService and a queued request waits for capacity", async () => {
  await using env = await startContractEnv();
  await deployEndpoint(env, { name: "zero" });
  await setCapacity(env, "zero", 0);
  const response = await invoke(env, "zero", prompt("wake up"), { InferenceId: "w1" });
  await env.clock.advance(3_600_000);
  const described = await env.clients.sagemaker.send(
    new DescribeEndpointCommand({ EndpointName: "zero" }),
  );
  assert.equal(described.EndpointStatus, "InService");
  assert.equal(described.ProductionVariants?.[0]?.CurrentInstanceCount, 0);
  assert.equal(await readS3(env.clients.s3, response.OutputLocation!), undefined);
  await setCapacity(env, "zero", 1);
  await env.clock.advance(DEFAULT_TIMINGS.instanceLaunchMs);
  await env.clock.advance(inferenceMs(10));
  assert.ok(await readS3(env.clients.s3, response.OutputLocation!));
});

Deno.test("scaling in drains instances: running inferences finish, queued ones wait, nothing is lost", async () => {
  await using env = await startContractEnv();
  const seen = outcomes(env);
  await deployEndpoint(env, {
    name: "drain",
    instanceCount: 2,
    asyncConfig: {
      ClientConfig: { MaxConcurrentInvocationsPerInstance: 2 },
      OutputConfig: { S3OutputPath: OUTPUT_PATH, S3FailurePath: FAILURE_PATH },
    },
  });
  const ids = ["a", "b", "c", "d", "e", "f"];
  for (const id of ids) await invoke(env, "drain", prompt(id, 50), { InferenceId: id });
  const backend = env.emulator.emulator.context.sagemaker!;
  assert.deepEqual(
    [backend.queueSnapshot("drain")?.inProgress, backend.queueSnapshot("drain")?.queued],
    [4, 2],
  );
  await setCapacity(env, "drain", 0);
  let described = await env.clients.sagemaker.send(
    new DescribeEndpointCommand({ EndpointName: "drain" }),
  );
  assert.equal(described.EndpointStatus, "Updating");
  assert.equal(described.ProductionVariants?.[0]?.CurrentInstanceCount, 0);
  await env.clock.advance(inferenceMs(50));
  assert.deepEqual(await keys(env, "out/"), ["out/a.out", "out/b.out", "out/c.out", "out/d.out"]);
  described = await env.clients.sagemaker.send(
    new DescribeEndpointCommand({ EndpointName: "drain" }),
  );
  assert.equal(described.EndpointStatus, "InService");
  assert.deepEqual(backend.queueSnapshot("drain")?.queued, 2);
  await setCapacity(env, "drain", 1);
  await env.clock.advance(DEFAULT_TIMINGS.instanceLaunchMs + inferenceMs(50));
  assert.deepEqual(await keys(env, "out/"), ids.map((id) => `out/${id}.out`));
  assert.deepEqual(await keys(env, "fail/"), []);
  assert.deepEqual(seen.map((o) => o.inferenceId).sort(), ids);
  assert.ok(seen.every((o) => o.status === "Completed"));
});

Deno.test("deleting an endpoint turns its queued requests into failure objects", async () => {
  await using env = await startContractEnv();
  const seen = outcomes(env);
  await deployEndpoint(env, { name: "doomed" });
  await setCapacity(env, "doomed", 0);
  await invoke(env, "doomed", prompt("q1"), { InferenceId: "q1" });
  await invoke(env, "doomed", prompt("q2"), { InferenceId: "q2" });
  await env.clients.sagemaker.send(new DeleteEndpointCommand({ EndpointName: "doomed" }));
  await env.clock.settle();
  assert.deepEqual(await keys(env, "fail/"), ["fail/q1-error.out", "fail/q2-error.out"]);
  const failure = await readS3(env.clients.s3, `${FAILURE_PATH}/q1-error.out`);
  assert.match(failure!.text, /Endpoint doomed was deleted before the request started/);
  assert.deepEqual(seen.map((o) => o.status), ["Failed", "Failed"]);
});

Deno.test("queued requests survive a restart with a data directory and then complete", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const clock = new ManualEmulatorClock();
    {
      await using env = await startContractEnv({
        clock,
        persistence: await FilePersistence.open(dir),
      });
      await deployEndpoint(env, {
        name: "durable",
        asyncConfig: {
          ClientConfig: { MaxConcurrentInvocationsPerInstance: 1 },
          OutputConfig: { S3OutputPath: OUTPUT_PATH, S3FailurePath: FAILURE_PATH },
        },
      });
      for (const id of ["p1", "p2", "p3"]) {
        await invoke(env, "durable", prompt(id), { InferenceId: id });
      }
      await env.clock.advance(inferenceMs(10));
      assert.deepEqual(await keys(env, "out/"), ["out/p1.out"]);
    }
    const later = new ManualEmulatorClock({ start: clock.now() });
    await using env = await startContractEnv({
      clock: later,
      persistence: await FilePersistence.open(dir),
    });
    const described = await env.clients.sagemaker.send(
      new DescribeEndpointCommand({ EndpointName: "durable" }),
    );
    assert.equal(described.EndpointStatus, "InService");
    assert.equal(described.ProductionVariants?.[0]?.CurrentInstanceCount, 1);
    const backend = env.emulator.emulator.context.sagemaker!;
    assert.equal(
      (backend.queueSnapshot("durable")?.queued ?? 0) +
        (backend.queueSnapshot("durable")?.inProgress ?? 0),
      2,
    );
    await env.clock.advance(2 * inferenceMs(10));
    assert.deepEqual(await keys(env, "out/"), ["out/p1.out", "out/p2.out", "out/p3.out"]);
    assert.deepEqual(await keys(env, "fail/"), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("after a restart, requests saved while their endpoint was Deleting get failure objects", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const clock = new ManualEmulatorClock();
    {
      await using env = await startContractEnv({
        clock,
        persistence: await FilePersistence.open(dir),
      });
      await deployEndpoint(env, { name: "stopped" });
      await setCapacity(env, "stopped", 0);
      await invoke(env, "stopped", prompt("q"), { InferenceId: "q" });
    }
    // As if the emulator stopped right after DeleteEndpoint, before the
    // queued request's failure object was written.
    const persistence = await FilePersistence.open(dir);
    const saved = await persistence.load<
      { state: { endpoints: Array<{ status: string; pendingUntil?: number }> } }
    >("sagemaker");
    assert.equal(saved!.state.endpoints.length, 1);
    saved!.state.endpoints[0]!.status = "Deleting";
    saved!.state.endpoints[0]!.pendingUntil = clock.now() + DEFAULT_TIMINGS.endpointDeletionMs;
    await persistence.save("sagemaker", saved);
    await using env = await startContractEnv({
      clock: new ManualEmulatorClock({ start: clock.now() }),
      persistence: await FilePersistence.open(dir),
    });
    await env.clock.settle();
    const failure = await readS3(env.clients.s3, `${FAILURE_PATH}/q-error.out`);
    assert.equal(
      failure?.text,
      "ClientError: Endpoint stopped was deleted before the request started.",
    );
    await env.clock.advance(DEFAULT_TIMINGS.endpointDeletionMs);
    assert.deepEqual(env.emulator.emulator.context.sagemaker!.endpointNames(), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a model with EMULATOR_CONTAINER_URL is served by that external container", async () => {
  const calls: Array<{ path: string; body: string; contentType: string | null }> = [];
  await using server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    async (req) => {
      const path = new URL(req.url).pathname;
      calls.push({ path, body: await req.text(), contentType: req.headers.get("content-type") });
      if (path === "/ping") return new Response("ok");
      return Response.json([{ generated_text: "from a real server" }]);
    },
  );
  await using env = await startContractEnv();
  await deployEndpoint(env, {
    name: "external",
    image: "ghcr.io/huggingface/text-generation-inference:2.0",
    environment: { EMULATOR_CONTAINER_URL: `http://127.0.0.1:${server.addr.port}` },
  });
  const response = await invoke(env, "external", prompt("Hi"));
  await env.clock.settle();
  const output = await readS3(env.clients.s3, response.OutputLocation!);
  assert.deepEqual(JSON.parse(output!.text), [{ generated_text: "from a real server" }]);
  assert.deepEqual(calls.map((c) => c.path), ["/ping", "/invocations"]);
  assert.equal(calls[1]!.contentType, "application/json");
  assert.deepEqual(JSON.parse(calls[1]!.body), prompt("Hi"));
});

Deno.test("an OpenAI-compatible server behind the adapter answers in TGI's format", async () => {
  const requests: unknown[] = [];
  await using server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    async (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/v1/models") return Response.json({ data: [{ id: "tiny" }] });
      requests.push(await req.json());
      return Response.json({ choices: [{ text: " Paris.", finish_reason: "stop" }] });
    },
  );
  await using env = await startContractEnv();
  await deployEndpoint(env, {
    name: "openai",
    environment: {
      EMULATOR_CONTAINER_URL: `http://127.0.0.1:${server.addr.port}`,
      EMULATOR_CONTAINER_API: "openai",
      EMULATOR_OPENAI_MODEL: "tiny",
    },
  });
  const response = await invoke(env, "openai", {
    inputs: "The capital of France is",
    parameters: { max_new_tokens: 5, do_sample: false, stop: ["\n"], return_full_text: true },
  });
  await env.clock.settle();
  const output = await readS3(env.clients.s3, response.OutputLocation!);
  assert.deepEqual(JSON.parse(output!.text), [{
    generated_text: "The capital of France is Paris.",
  }]);
  assert.deepEqual(requests, [{
    prompt: "The capital of France is",
    max_tokens: 5,
    stream: false,
    model: "tiny",
    temperature: 0,
    stop: ["\n"],
  }]);
});

Deno.test("an unreachable external container fails the endpoint's ping health check", async () => {
  await using env = await startContractEnv();
  const probe = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  await deployEndpoint(env, {
    name: "unreachable",
    environment: { EMULATOR_CONTAINER_URL: `http://127.0.0.1:${port}` },
  });
  const described = await env.clients.sagemaker.send(
    new DescribeEndpointCommand({ EndpointName: "unreachable" }),
  );
  assert.equal(described.EndpointStatus, "Failed");
  assert.match(described.FailureReason ?? "", /did not pass the ping health check/);
});
