/**
 * `deno task demo`: the whole story on a local emulator started in this
 * process, with emulated time running faster than real time. It deploys
 * JumpStart Falcon-40B-instruct (offline snapshot) to an asynchronous
 * endpoint, enables scale-to-zero, invokes it three ways (raw SDK calls,
 * the `AsyncPredictor`, the LangChain LLM), waits until it has scaled to
 * zero, wakes it with a request and measures that cold start, tears
 * everything down, checks nothing is left, and prints a summary with the
 * instance-seconds used against an always-on endpoint and their price.
 *
 * @module
 */
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { InvokeEndpointAsyncCommand } from "@aws-sdk/client-sagemaker-runtime";
import {
  type AsyncDeployment,
  AsyncPredictor,
  type AwsClients,
  type CapacitySample,
  type Clock,
  compareWithAlwaysOn,
  deployAsyncEndpoint,
  enableScaleToZero,
  formatDuration,
  formatS3Uri,
  joinKey,
  type JumpStartModelRef,
  ON_DEMAND_PRICES,
  parseS3Uri,
  PRICE_SOURCE,
  teardown,
  waitForResult,
  watchCapacity,
} from "../lib/mod.ts";
import { SageMakerAsyncEndpoint } from "../lib/langchain.ts";
import { commandLineIo, describeError, runTask, type TaskIo } from "./task_runner.ts";
import { resultText } from "./invoke.ts";
import { describeLeftovers, findLeftovers, type Leftovers } from "./leftovers.ts";

/** Default emulated seconds per real second: the whole demo takes about half a minute. */
export const DEMO_TIME_SCALE = 120;

const USAGE = `Usage: deno task demo [options]

Runs the whole workflow against a local AWS emulator started in this process (no
AWS account needed): deploy Falcon-40B-instruct to an asynchronous endpoint,
enable scale-to-zero, invoke it three ways (raw SDK calls, AsyncPredictor,
LangChain), wait until it has scaled to zero, wake it with a request and measure
the cold start, tear everything down and check that nothing is left.

Durations are the emulator's defaults (1 min to create the endpoint, 8 min to
launch an instance); emulated time runs --time-scale times faster than real time.

Options:
  --time-scale X            Emulated seconds per real second (default ${DEMO_TIME_SCALE})
  --instance-type TYPE      Instance type (default: the model's, ml.g5.48xlarge)
  --json                    Print the summary as JSON (progress still goes to stderr)
  -h, --help                Show this help
`;

const ENDPOINT_NAME = "falcon-40b-demo";
const MINUTE = 60_000;
const PROMPTS = {
  sdk: "What is an asynchronous inference endpoint?",
  predictAsync: "Why does an idle endpoint scale to zero?",
  predict: "What happens to a request sent while no instance is running?",
  langchain: "Name one benefit of queueing requests.",
  wake: "Wake up: what is the capital of France?",
} as const;

/** One of the demo's results. */
export interface DemoResult {
  /** How it was invoked. */
  readonly way: string;
  /** The prompt. */
  readonly prompt: string;
  /** The generated text. */
  readonly text: string;
}

/** Resources that were still there after the teardown (all empty when it worked). */
export type DemoLeftovers = Leftovers;

/** What `deno task demo --json` prints. */
export interface DemoSummary {
  /** Whether every step worked and nothing was left. */
  readonly ok: boolean;
  /** The first error, if a step failed. */
  readonly error?: string;
  /** Emulated ms per real ms. */
  readonly timeScale: number;
  /** Real time the demo took, ms. */
  readonly wallMs: number;
  /** Emulated time the demo took, ms. */
  readonly emulatedMs: number;
  /** The endpoint. */
  readonly endpointName: string;
  /** Its instance type. */
  readonly instanceType?: string;
  /** The JumpStart model deployed. */
  readonly model?: Pick<JumpStartModelRef, "modelId" | "version" | "source">;
  /** Every result, in order. */
  readonly results: readonly DemoResult[];
  /** The cold start: request submitted at zero instances -> its result (emulated ms). */
  readonly coldStart?: {
    readonly ms: number;
    /** Submitted -> first 15-s sample showing an instance in service, when one came before the result. */
    readonly instanceInServiceAfterMs?: number;
  };
  /** Instance use between `InService` and the start of the teardown (emulated time). */
  readonly capacity?: {
    readonly spanSeconds: number;
    readonly instanceSeconds: number;
    readonly alwaysOnInstanceSeconds: number;
  };
  /** The dollar equivalent at the on-demand list price. */
  readonly cost?: {
    readonly instanceType: string;
    readonly pricePerHour: number;
    readonly usedDollars: number;
    readonly alwaysOnDollars: number;
    readonly savedFraction: number;
    readonly priceNote: string;
  };
  /** What was left after the teardown. */
  readonly leftovers?: DemoLeftovers;
  /** True when the teardown left nothing behind. */
  readonly nothingLeft: boolean;
}

/** Runs `deno task demo` with `args`; returns the exit code (non-zero if any step failed). */
export function main(args: string[], io?: TaskIo): Promise<number> {
  return runTask(
    {
      name: "demo",
      usage: USAGE,
      targetFlags: false,
      options: {
        "time-scale": { type: "string" },
        "instance-type": { type: "string" },
        json: { type: "boolean" },
      },
      async run(context) {
        const { flags, signal } = context;
        const timeScale = flags.number("time-scale", { above: 0 }) ?? DEMO_TIME_SCALE;
        const instanceType = flags.string("instance-type");
        const json = flags.boolean("json");
        const say = (text: string) => context.printError(text);
        const wallStart = performance.now();

        await using target = await context.openTarget({
          target: "local",
          startInProcess: true,
          timeScale,
          env: {},
        });
        const { clients, clock } = target;
        const emulatedStart = clock.now();
        const at = () => `[${formatDuration(clock.now() - emulatedStart).padStart(7)}]`;
        say(`Local AWS emulator: ${target.describe()}`);

        const results: DemoResult[] = [];
        let deployment: AsyncDeployment | undefined;
        let summary: Omit<DemoSummary, "ok" | "wallMs" | "emulatedMs" | "nothingLeft" | "results"> =
          {
            timeScale,
            endpointName: ENDPOINT_NAME,
          };
        let failure: unknown;
        let leftovers: DemoLeftovers | undefined;
        try {
          say(`${at()} 1/6 Deploying Falcon-40B-instruct to an asynchronous endpoint`);
          deployment = await context.withProgress(async (progress) => {
            const deployed = await deployAsyncEndpoint({
              clients,
              clock,
              jumpStartSource: "snapshot",
              endpointName: ENDPOINT_NAME,
              maxWaitMs: 60 * MINUTE,
              ...(instanceType !== undefined && { instanceType }),
              ...(signal !== undefined && { signal }),
              onProgress: progress.onProgress,
            });
            await progress.done(`Endpoint ${ENDPOINT_NAME} is InService`);
            return deployed;
          });
          const js = deployment.jumpStartModel;
          summary = {
            ...summary,
            instanceType: deployment.instanceType,
            ...(js && {
              model: {
                modelId: js.modelId,
                version: js.version,
                ...(js.source !== undefined && { source: js.source }),
              },
            }),
          };

          // Capacity from InService on: the span compared with an always-on endpoint.
          let lastCounts = "";
          await using recorder = watchCapacity({
            clients,
            endpointName: ENDPOINT_NAME,
            clock,
            intervalMs: 15_000,
            ...(signal !== undefined && { signal }),
            onSample: (sample: CapacitySample) => {
              const counts = `${sample.currentInstanceCount} in service, ` +
                `${sample.desiredInstanceCount} wanted`;
              if (counts !== lastCounts) say(`${at()}     instances: ${counts}`);
              lastCounts = counts;
            },
          });
          const spanStart = clock.now();

          say(`${at()} 2/6 Enabling scale-to-zero (target tracking, wake-up step policy, alarm)`);
          const enabled = await enableScaleToZero({
            clients,
            endpointName: ENDPOINT_NAME,
            maxCapacity: 1,
            tags: deployment.tags,
            clock,
            ...(signal !== undefined && { signal }),
          });
          say(`${at()}     ${enabled.created.map((r) => `${r.type} ${r.name}`).join("; ")}`);

          say(`${at()} 3/6 Invoking it three ways`);
          await using predictor = AsyncPredictor.fromDeployment(deployment, { clients, clock });
          const waitMs = 30 * MINUTE;
          results.push({
            way: "raw SDK (PutObject, InvokeEndpointAsync, waitForResult)",
            prompt: PROMPTS.sdk,
            text: await invokeWithSdk(clients, deployment, PROMPTS.sdk, { clock, signal, waitMs }),
          });
          say(`${at()}     raw SDK calls: done`);
          const response = await predictor.predictAsync(tgiPayload(PROMPTS.predictAsync), {
            ...(signal !== undefined && { signal }),
          });
          results.push({
            way: "AsyncPredictor.predictAsync + getResult",
            prompt: PROMPTS.predictAsync,
            text: resultText(
              await response.getResult({
                waiter: { maxWaitMs: waitMs },
                ...(signal !== undefined && { signal }),
              }),
            ),
          });
          results.push({
            way: "AsyncPredictor.predict",
            prompt: PROMPTS.predict,
            text: resultText(
              await predictor.predict(tgiPayload(PROMPTS.predict), {
                maxWaitMs: waitMs,
                ...(signal !== undefined && { signal }),
              }),
            ),
          });
          say(`${at()}     AsyncPredictor: done`);
          const llm = new SageMakerAsyncEndpoint({
            endpointName: ENDPOINT_NAME,
            inputPrefix: deployment.inputPrefix,
            clients,
            clock,
            modelKwargs: { max_new_tokens: 60 },
            maxWaitMs: waitMs,
          });
          results.push({
            way: "LangChain SageMakerAsyncEndpoint.invoke",
            prompt: PROMPTS.langchain,
            text: await llm.invoke(PROMPTS.langchain, { ...(signal !== undefined && { signal }) }),
          });
          say(`${at()}     LangChain LLM: done`);

          say(`${at()} 4/6 Waiting for the idle endpoint to scale to zero`);
          await recorder.waitFor(
            (s) => s.currentInstanceCount === 0 && s.desiredInstanceCount === 0,
            {
              timeoutMs: 120 * MINUTE,
              waitingFor: "zero instances",
              ...(signal !== undefined && { signal }),
            },
          );

          say(`${at()} 5/6 Waking it with a request (measuring the cold start)`);
          const submittedAt = clock.now();
          const wake = await predictor.predictAsync(tgiPayload(PROMPTS.wake), {
            ...(signal !== undefined && { signal }),
          });
          const wakeValue = await wake.getResult({
            waiter: { maxWaitMs: 60 * MINUTE },
            ...(signal !== undefined && { signal }),
          });
          const resultAt = clock.now();
          results.push({
            way: "AsyncPredictor after scale-to-zero (cold start)",
            prompt: PROMPTS.wake,
            text: resultText(wakeValue),
          });
          // Sampled every 15 s, the instance is seen in service only if a sample falls between
          // its start and the result; otherwise the cold start alone is reported.
          const firstUp = recorder.samples.find((s) =>
            s.time >= submittedAt && s.time <= resultAt && s.currentInstanceCount > 0
          );
          summary = {
            ...summary,
            coldStart: {
              ms: resultAt - submittedAt,
              ...(firstUp && { instanceInServiceAfterMs: firstUp.time - submittedAt }),
            },
          };
          say(`${at()}     result after ${formatDuration(resultAt - submittedAt)} (emulated)`);

          const spanEnd = clock.now();
          await recorder.stop();
          const instanceSeconds = recorder.instanceSeconds(spanStart, spanEnd);
          const spanSeconds = (spanEnd - spanStart) / 1000;
          const cost = compareWithAlwaysOn({
            instanceType: deployment.instanceType,
            instanceSeconds,
            spanSeconds,
          });
          summary = {
            ...summary,
            capacity: {
              spanSeconds,
              instanceSeconds,
              alwaysOnInstanceSeconds: cost.alwaysOnInstanceSeconds,
            },
            cost: {
              instanceType: deployment.instanceType,
              pricePerHour: cost.pricePerHour,
              usedDollars: cost.usedDollars,
              alwaysOnDollars: cost.alwaysOnDollars,
              savedFraction: cost.savedFraction,
              priceNote: `on-demand list price, ${
                ON_DEMAND_PRICES[deployment.instanceType]?.region ?? "us-east-1"
              }, ${PRICE_SOURCE}`,
            },
          };
        } catch (error) {
          failure = signal?.aborted ? signal.reason : error;
        }

        say(`${at()} 6/6 Tearing everything down`);
        try {
          const removal = await teardown(deployment ?? { endpointName: ENDPOINT_NAME }, {
            clients,
            clock,
            deleteS3Objects: true,
            maxWaitMs: 60 * MINUTE,
            // Cleanup runs even after Ctrl-C, so nothing is left half-deleted.
          });
          say(`${at()}     deleted ${removal.deleted.map((r) => r.type).join(", ")}`);
          leftovers = await findLeftovers(clients);
        } catch (error) {
          failure ??= error;
        }
        const left = leftovers === undefined ? undefined : describeLeftovers(leftovers);
        const nothingLeft = left?.length === 0;
        if (left !== undefined && !nothingLeft) {
          failure ??= new Error(`The teardown left resources behind: ${left.join(", ")}`);
        }
        const final: DemoSummary = {
          ok: failure === undefined,
          ...(failure !== undefined && { error: describeError(failure) }),
          ...summary,
          wallMs: Math.round(performance.now() - wallStart),
          emulatedMs: clock.now() - emulatedStart,
          results,
          ...(leftovers !== undefined && { leftovers }),
          nothingLeft,
        };
        context.print(json ? JSON.stringify(final, null, 2) : formatSummary(final));
        if (failure !== undefined && !json) {
          context.printError(`deno task demo failed: ${describeError(failure)}`);
        }
        if (signal?.aborted && failure === signal.reason) return 130;
        return final.ok ? 0 : 1;
      },
    },
    args,
    io,
  );
}

function tgiPayload(prompt: string) {
  return { inputs: prompt, parameters: { max_new_tokens: 60 } };
}

/** The first way: the SDK calls themselves, with only the waiting done by the library. */
async function invokeWithSdk(
  clients: AwsClients,
  deployment: AsyncDeployment,
  prompt: string,
  options: { clock: Clock; signal: AbortSignal | undefined; waitMs: number },
): Promise<string> {
  const { bucket, key: prefix } = parseS3Uri(deployment.inputPrefix);
  const key = joinKey(prefix, "demo-sdk-request.json");
  const send = { abortSignal: options.signal };
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: JSON.stringify(tgiPayload(prompt)),
      ContentType: "application/json",
    }),
    send,
  );
  const invoked = await clients.runtime.send(
    new InvokeEndpointAsyncCommand({
      EndpointName: deployment.endpointName,
      InputLocation: formatS3Uri({ bucket, key }),
      ContentType: "application/json",
    }),
    send,
  );
  if (!invoked.OutputLocation) {
    throw new Error("InvokeEndpointAsync returned no OutputLocation");
  }
  const result = await waitForResult({
    inferenceId: invoked.InferenceId ?? "",
    outputLocation: invoked.OutputLocation,
    ...(invoked.FailureLocation !== undefined && { failureLocation: invoked.FailureLocation }),
  }, {
    clients,
    clock: options.clock,
    timeoutMs: options.waitMs,
    ...(options.signal !== undefined && { signal: options.signal }),
  });
  return resultText(result.value);
}

function formatSummary(s: DemoSummary): string {
  const lines = [
    "",
    `Summary (${s.ok ? "all steps passed" : "FAILED"}; wall time ${
      (s.wallMs / 1000).toFixed(1)
    } s for ${formatDuration(s.emulatedMs)} of emulated time at ${s.timeScale}x)`,
    "",
    `Endpoint ${s.endpointName}` +
    (s.model ? `: ${s.model.modelId} ${s.model.version} on ${s.instanceType}` : ""),
    "",
    "Results:",
    ...s.results.flatMap((r) => [
      `  ${r.way}`,
      `    Q: ${r.prompt}`,
      `    A: ${oneLine(r.text)}`,
    ]),
  ];
  if (s.coldStart) {
    lines.push(
      "",
      `Cold start (request sent at zero instances -> result): ${
        formatDuration(s.coldStart.ms)
      } emulated` +
        (s.coldStart.instanceInServiceAfterMs !== undefined
          ? ` (instance first seen in service after ${
            formatDuration(s.coldStart.instanceInServiceAfterMs)
          })`
          : ""),
    );
  }
  if (s.capacity && s.cost) {
    const pct = Math.round(s.cost.savedFraction * 100);
    lines.push(
      "",
      `Instance use from InService to teardown (${
        formatDuration(s.capacity.spanSeconds * 1000)
      } emulated):`,
      `  scale-to-zero: ${
        Math.round(s.capacity.instanceSeconds)
      } instance-seconds; always-on (1 instance): ${
        Math.round(s.capacity.alwaysOnInstanceSeconds)
      }`,
      `  at ${s.cost.instanceType}'s on-demand list price of $${s.cost.pricePerHour}/h: ` +
        `$${s.cost.usedDollars.toFixed(2)} vs $${s.cost.alwaysOnDollars.toFixed(2)} always-on ` +
        `(${pct}% saved)`,
      `  (${s.cost.priceNote})`,
    );
  }
  lines.push(
    "",
    s.nothingLeft
      ? "Left behind: nothing (ListEndpoints, ListEndpointConfigs, ListModels, " +
        "DescribeScalableTargets and DescribeAlarms are empty)"
      : `Left behind: ${
        s.leftovers ? describeLeftovers(s.leftovers).join(", ") : "unknown (teardown failed)"
      }`,
  );
  if (s.error) lines.push("", `Error: ${s.error}`);
  return lines.join("\n");
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}

if (import.meta.main) Deno.exit(await main(Deno.args, commandLineIo()));
