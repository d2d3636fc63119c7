/**
 * The LangChain LLM end to end against the emulator, through the real SDK
 * clients from lib's factory: deploy Falcon-40B-instruct (JumpStart, offline
 * snapshot) asynchronously, enable scale-to-zero, let the endpoint scale to
 * zero, then run a prompt chain that arrives while it has no instance and
 * completes after the queued request wakes it.
 */
import assert from "node:assert/strict";
import { DescribeEndpointCommand } from "@aws-sdk/client-sagemaker";
import { StringOutputParser } from "@langchain/core/output_parsers";
import { PromptTemplate } from "@langchain/core/prompts";
import type { ManualEmulatorClock } from "../../emulator/clock.ts";
import { type AwsClients, createClients } from "../../lib/clients.ts";
import { deployAsyncEndpoint } from "../../lib/deploy.ts";
import { EndpointAtZeroError, SageMakerAsyncEndpoint } from "../../lib/langchain.ts";
import type { CapacityEvent, ProgressEvent } from "../../lib/progress.ts";
import { enableScaleToZero } from "../../lib/scale_to_zero.ts";
import { type ContractEnv, startContractEnv } from "./_harness.ts";

const ENDPOINT = "falcon-langchain";
const MINUTE = 60_000;

type Env = ContractEnv<ManualEmulatorClock>;

async function instanceCounts(
  clients: AwsClients,
): Promise<{ current: number; desired: number }> {
  const { ProductionVariants } = await clients.sagemaker.send(
    new DescribeEndpointCommand({ EndpointName: ENDPOINT }),
  );
  const variant = ProductionVariants![0]!;
  return { current: variant.CurrentInstanceCount!, desired: variant.DesiredInstanceCount! };
}

/** Advances emulated time minute by minute until the endpoint has no instance. */
async function untilScaledToZero(env: Env, clients: AwsClients, limitMs: number): Promise<void> {
  const start = env.clock.now();
  while ((await instanceCounts(clients)).current > 0) {
    if (env.clock.now() - start > limitMs) {
      throw new Error(`Still not at zero instances after ${limitMs / MINUTE} emulated minutes`);
    }
    await env.clock.advance(MINUTE);
  }
}

async function deployed(env: Env, options: { wakeFromZero: boolean }): Promise<AwsClients> {
  const clients = createClients({
    region: env.emulator.region,
    endpoint: env.emulator.endpoint,
    credentials: env.emulator.credentials,
  });
  await env.clock.run(deployAsyncEndpoint({
    clients,
    endpointName: ENDPOINT,
    instanceType: "ml.g5.12xlarge",
    clock: env.clock,
  }));
  await enableScaleToZero({
    clients,
    endpointName: ENDPOINT,
    wakeFromZero: options.wakeFromZero,
    clock: env.clock,
  });
  assert.equal((await instanceCounts(clients)).current, 1);
  await untilScaledToZero(env, clients, 60 * MINUTE);
  assert.deepEqual(await instanceCounts(clients), { current: 0, desired: 0 });
  return clients;
}

Deno.test("a prompt chain that arrives while the endpoint is at zero instances completes after the queued request wakes it", async () => {
  await using env = await startContractEnv();
  using clients = await deployed(env, { wakeFromZero: true });

  const events: ProgressEvent[] = [];
  const llm = new SageMakerAsyncEndpoint({
    endpointName: ENDPOINT,
    clients,
    modelKwargs: { max_new_tokens: 24 },
    maxWaitMs: 5 * MINUTE,
    coldStartBudgetMs: 20 * MINUTE,
    clock: env.clock,
    onProgress: (event) => events.push(event),
  });
  const chain = PromptTemplate.fromTemplate("Explain {topic} in one sentence.")
    .pipe(llm)
    .pipe(new StringOutputParser());

  const sentAt = env.clock.now();
  const answer = await env.clock.run(chain.invoke({ topic: "scale to zero" }), {
    stepMs: 15_000,
    maxMs: 30 * MINUTE,
  });
  const tookMs = env.clock.now() - sentAt;

  assert.equal(typeof answer, "string");
  assert.ok(answer.trim().length > 0, `no text generated: ${JSON.stringify(answer)}`);
  // The built-in TGI stand-in is deterministic: the same prompt gives the same text.
  const again = await env.clock.run(chain.invoke({ topic: "scale to zero" }), { stepMs: 5_000 });
  assert.equal(again, answer);

  const phases = events.flatMap((e) => e.type === "capacity" ? [(e as CapacityEvent).phase] : []);
  assert.deepEqual([...new Set(phases)], ["waiting-for-capacity", "instance-starting", "running"]);
  assert.ok(tookMs > 8 * MINUTE, `a cold start includes the instance launch (took ${tookMs} ms)`);
  assert.ok(tookMs < 20 * MINUTE, `took ${tookMs / MINUTE} emulated minutes`);
  assert.equal((await instanceCounts(clients)).current, 1);
  const uploads = events.filter((e) => e.type === "resource-created");
  assert.equal(uploads.length, 2);
  assert.match(
    (uploads[0] as { name: string }).name,
    /^s3:\/\/sagemaker-us-east-1-\d{12}\/async-endpoint-inputs\/falcon-langchain\//,
  );
});

Deno.test("without the scale-from-zero policy the LLM refuses to queue a prompt, and wakeEndpoint lets it wake the endpoint itself", async () => {
  await using env = await startContractEnv();
  using clients = await deployed(env, { wakeFromZero: false });

  const refusing = new SageMakerAsyncEndpoint({
    endpointName: ENDPOINT,
    clients,
    clock: env.clock,
  });
  await assert.rejects(env.clock.run(refusing.invoke("Hello")), EndpointAtZeroError);

  const waking = new SageMakerAsyncEndpoint({
    endpointName: ENDPOINT,
    clients,
    clock: env.clock,
    wakeEndpoint: "set-desired-count",
    modelKwargs: { max_new_tokens: 8 },
  });
  const answers = await env.clock.run(waking.batch(["one", "two", "three"]), {
    stepMs: 15_000,
    maxMs: 30 * MINUTE,
  });
  assert.equal(answers.length, 3);
  assert.ok(answers.every((a) => typeof a === "string" && a.length > 0));
  assert.deepEqual(await instanceCounts(clients), { current: 1, desired: 1 });
});
