import assert from "node:assert/strict";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import {
  InvokeEndpointAsyncCommand,
  InvokeEndpointCommand,
} from "@aws-sdk/client-sagemaker-runtime";
import { countTokens } from "../../emulator/containers/tgi_builtin.ts";
import { DEFAULT_TIMINGS } from "../../emulator/core.ts";
import { startContractEnv } from "./_harness.ts";
import { rejectsWith } from "./_sdk_errors.ts";
import { deployEndpoint, readS3 } from "./_sagemaker.ts";

const ACCOUNT = "123456789012";
const PAYLOAD = JSON.stringify({
  inputs: "What is the capital of France?",
  parameters: { max_new_tokens: 10, do_sample: false },
});
/** Inference time for 10 tokens with the default timings. */
const TEN_TOKENS_MS = DEFAULT_TIMINGS.inferenceBaseMs + 10 * DEFAULT_TIMINGS.inferencePerTokenMs;

Deno.test("InvokeEndpointAsync answers 202 and the output object appears where the response said", async () => {
  await using env = await startContractEnv();
  await deployEndpoint(env, { name: "falcon" });
  await env.clients.s3.send(
    new PutObjectCommand({ Bucket: "results", Key: "in/q1.json", Body: PAYLOAD }),
  );
  const response = await env.clients.runtime.send(
    new InvokeEndpointAsyncCommand({
      EndpointName: "falcon",
      InputLocation: "s3://results/in/q1.json",
      ContentType: "application/json",
    }),
  );
  assert.equal(response.$metadata.httpStatusCode, 202);
  assert.match(response.InferenceId ?? "", /^[0-9a-f-]{36}$/);
  assert.equal(response.OutputLocation, `s3://results/out/${response.InferenceId}.out`);
  assert.equal(response.FailureLocation, `s3://results/fail/${response.InferenceId}-error.out`);
  assert.equal(await readS3(env.clients.s3, response.OutputLocation!), undefined);
  await env.clock.advance(TEN_TOKENS_MS - 1);
  assert.equal(await readS3(env.clients.s3, response.OutputLocation!), undefined);
  await env.clock.advance(1);
  const output = await readS3(env.clients.s3, response.OutputLocation!);
  assert.equal(output?.contentType, "application/json");
  const parsed = JSON.parse(output!.text);
  assert.equal(parsed.length, 1);
  assert.equal(countTokens(parsed[0].generated_text), 10);
  assert.equal(await readS3(env.clients.s3, response.FailureLocation!), undefined);
});

Deno.test("the same payload always produces the same stand-in text", async () => {
  await using env = await startContractEnv();
  await deployEndpoint(env, { name: "det" });
  const outputs: string[] = [];
  for (let i = 0; i < 2; i++) {
    const response = await env.clients.runtime.send(
      new InvokeEndpointAsyncCommand({
        EndpointName: "det",
        Body: new TextEncoder().encode(PAYLOAD),
        ContentType: "application/json",
      }),
    );
    await env.clock.advance(TEN_TOKENS_MS);
    outputs.push((await readS3(env.clients.s3, response.OutputLocation!))!.text);
  }
  assert.equal(outputs[0], outputs[1]);
});

Deno.test("an inline Body is accepted; the caller's InferenceId names the output", async () => {
  await using env = await startContractEnv();
  await deployEndpoint(env, { name: "inline" });
  const response = await env.clients.runtime.send(
    new InvokeEndpointAsyncCommand({
      EndpointName: "inline",
      Body: new TextEncoder().encode(PAYLOAD),
      ContentType: "application/json",
      InferenceId: "my-request-1",
    }),
  );
  assert.equal(response.InferenceId, "my-request-1");
  assert.equal(response.OutputLocation, "s3://results/out/my-request-1.out");
  await env.clock.advance(TEN_TOKENS_MS);
  const output = await readS3(env.clients.s3, response.OutputLocation!);
  assert.ok(output);
  assert.ok(JSON.parse(output.text)[0].generated_text.length > 0);
});

Deno.test("S3OutputPathExtension and Filename place the output under a sub-path with that name", async () => {
  await using env = await startContractEnv();
  await deployEndpoint(env, { name: "named" });
  const response = await env.clients.runtime.send(
    new InvokeEndpointAsyncCommand({
      EndpointName: "named",
      Body: new TextEncoder().encode(PAYLOAD),
      S3OutputPathExtension: "batch-7",
      Filename: "answer.json",
      InferenceId: "id-7",
    }),
  );
  assert.equal(response.OutputLocation, "s3://results/out/batch-7/answer.json");
  assert.equal(response.FailureLocation, "s3://results/fail/batch-7/id-7-error.out");
  await env.clock.advance(TEN_TOKENS_MS);
  assert.ok(await readS3(env.clients.s3, response.OutputLocation!));
});

Deno.test("InvokeEndpointAsync rejects a body together with InputLocation, and neither", async () => {
  await using env = await startContractEnv();
  await deployEndpoint(env, { name: "ep" });
  await assert.rejects(
    env.clients.runtime.send(
      new InvokeEndpointAsyncCommand({
        EndpointName: "ep",
        InputLocation: "s3://results/in.json",
        Body: new TextEncoder().encode(PAYLOAD),
      }),
    ),
    rejectsWith("ValidationError", /InputLocation and Body cannot both be provided/),
  );
  await assert.rejects(
    env.clients.runtime.send(new InvokeEndpointAsyncCommand({ EndpointName: "ep" })),
    rejectsWith(
      "ValidationError",
      "1 validation error detected: Value null at 'inputLocation' failed to satisfy constraint: Member must not be null",
    ),
  );
  await assert.rejects(
    env.clients.runtime.send(
      new InvokeEndpointAsyncCommand({ EndpointName: "ep", Body: new Uint8Array(128_001) }),
    ),
    rejectsWith("ValidationError", /Member must have length less than or equal to 128000/),
  );
});

Deno.test("InvokeEndpointAsync validates TTL, timeout and inference id headers", async () => {
  await using env = await startContractEnv();
  await deployEndpoint(env, { name: "ep" });
  await assert.rejects(
    env.clients.runtime.send(
      new InvokeEndpointAsyncCommand({
        EndpointName: "ep",
        InputLocation: "s3://results/in.json",
        RequestTTLSeconds: 59,
        InvocationTimeoutSeconds: 3601,
        InferenceId: "x".repeat(65),
      }),
    ),
    rejectsWith(
      "ValidationError",
      `3 validation errors detected: Value '${
        "x".repeat(65)
      }' at 'inferenceId' failed to satisfy constraint: Member must have length less than or equal to 64; ` +
        "Value '59' at 'requestTTLSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60; " +
        "Value '3601' at 'invocationTimeoutSeconds' failed to satisfy constraint: Member must have value less than or equal to 3600",
    ),
  );
});

Deno.test("invoking a missing or still-creating endpoint is ValidationError 'not found'", async () => {
  await using env = await startContractEnv();
  await assert.rejects(
    env.clients.runtime.send(
      new InvokeEndpointAsyncCommand({ EndpointName: "nope", InputLocation: "s3://b/k" }),
    ),
    rejectsWith("ValidationError", `Endpoint nope of account ${ACCOUNT} not found.`),
  );
  await deployEndpoint(env, { name: "creating", wait: false });
  await assert.rejects(
    env.clients.runtime.send(
      new InvokeEndpointAsyncCommand({ EndpointName: "creating", InputLocation: "s3://b/k" }),
    ),
    rejectsWith("ValidationError", `Endpoint creating of account ${ACCOUNT} not found.`),
  );
});

Deno.test("an async endpoint rejects InvokeEndpoint with ValidationError", async () => {
  await using env = await startContractEnv();
  await deployEndpoint(env, { name: "asynconly" });
  await assert.rejects(
    env.clients.runtime.send(
      new InvokeEndpointCommand({
        EndpointName: "asynconly",
        Body: new TextEncoder().encode(PAYLOAD),
        ContentType: "application/json",
      }),
    ),
    rejectsWith(
      "ValidationError",
      /configured for asynchronous inference: use InvokeEndpointAsync/,
    ),
  );
});

Deno.test("a real-time endpoint serves InvokeEndpoint through the TGI stand-in", async () => {
  await using env = await startContractEnv();
  await deployEndpoint(env, { name: "realtime", asyncConfig: null });
  const response = await env.clock.run(
    env.clients.runtime.send(
      new InvokeEndpointCommand({
        EndpointName: "realtime",
        Body: new TextEncoder().encode(PAYLOAD),
        ContentType: "application/json",
      }),
    ),
    { stepMs: 1000 },
  );
  assert.equal(response.ContentType, "application/json");
  assert.equal(response.InvokedProductionVariant, "AllTraffic");
  const body = JSON.parse(new TextDecoder().decode(response.Body));
  assert.equal(typeof body[0].generated_text, "string");
  await assert.rejects(
    env.clients.runtime.send(
      new InvokeEndpointAsyncCommand({ EndpointName: "realtime", InputLocation: "s3://b/k" }),
    ),
    rejectsWith("ValidationError", /not configured for asynchronous inference/),
  );
});

Deno.test("a container 422 on a real-time endpoint is ModelError with the original status and body", async () => {
  await using env = await startContractEnv();
  await deployEndpoint(env, { name: "rt", asyncConfig: null });
  await assert.rejects(
    env.clients.runtime.send(
      new InvokeEndpointCommand({
        EndpointName: "rt",
        Body: new TextEncoder().encode(
          JSON.stringify({ inputs: "hi", parameters: { temperature: 0 } }),
        ),
        ContentType: "application/json",
      }),
    ),
    (error: Error & Record<string, unknown>) => {
      assert.equal(error.name, "ModelError");
      assert.equal(
        error.$metadata && (error.$metadata as { httpStatusCode: number }).httpStatusCode,
        424,
      );
      assert.equal(error.OriginalStatusCode, 422);
      assert.deepEqual(JSON.parse(error.OriginalMessage as string), {
        error: "Input validation error: `temperature` must be strictly positive",
        error_type: "validation",
      });
      assert.equal(
        error.LogStreamArn,
        `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/sagemaker/Endpoints/rt`,
      );
      assert.match(error.message, /^Received client error \(422\) from primary with message/);
      return true;
    },
  );
});
