/**
 * Sustained request rates of the emulator, measured from a separate process
 * driving the AWS SDK v3 with 32 requests in flight, against the same client
 * hitting a no-op `Deno.serve` (the ceiling of this machine):
 *
 * ```
 * deno run -A bench/emulator_throughput.ts [--seconds 5] [--warmup 1] [--concurrency 32]
 * ```
 *
 * Operations: `PutObject` (1 KiB bodies, the SDK's default CRC32 and SigV4
 * payload hash) and `InvokeEndpointAsync` (an async endpoint created through
 * the SDK on a manual clock, so it is `InService` at once and accepted
 * requests stay queued: the rate measured is the API's, not the model's).
 * Prints rates, error counts and emulator/ceiling ratios.
 *
 * The same file is the load generator (`--generator`), spawned as a child
 * process so client and server do not share a CPU thread.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import {
  InvokeEndpointAsyncCommand,
  SageMakerRuntimeClient,
} from "@aws-sdk/client-sagemaker-runtime";
import { ManualEmulatorClock } from "../emulator/clock.ts";
import { type EmulatorClientConfig, startEmulator } from "../emulator/start.ts";

type Operation = "PutObject" | "InvokeEndpointAsync";

const BUCKET = "bench-bucket";
const ENDPOINT = "bench-endpoint";
const INPUT = `s3://${BUCKET}/inputs/input.json`;
const TGI_IMAGE =
  "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.1.1-tgi1.4.0-gpu-py310-cu121-ubuntu20.04";

/** What one generator run reports. */
interface GeneratorResult {
  operation: Operation;
  requests: number;
  errors: number;
  seconds: number;
  rate: number;
  errorSamples: string[];
}

// ---------------------------------------------------------------- generator

async function runGenerator(args: {
  endpoint: string;
  operation: Operation;
  concurrency: number;
  seconds: number;
  warmup: number;
}): Promise<GeneratorResult> {
  const config = {
    endpoint: args.endpoint,
    region: Deno.env.get("AWS_REGION") ?? "us-east-1",
    credentials: {
      accessKeyId: Deno.env.get("AWS_ACCESS_KEY_ID")!,
      secretAccessKey: Deno.env.get("AWS_SECRET_ACCESS_KEY")!,
    },
    forcePathStyle: true,
    maxAttempts: 1,
  };
  const body = new Uint8Array(1024).map((_, i) => (i * 31) & 255);
  let send: (i: number) => Promise<unknown>;
  let destroy: () => void;
  if (args.operation === "PutObject") {
    const s3 = new S3Client(config);
    send = (i) =>
      s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `k/${i % 1000}`, Body: body }));
    destroy = () => s3.destroy();
  } else {
    const runtime = new SageMakerRuntimeClient(config);
    send = () =>
      runtime.send(
        new InvokeEndpointAsyncCommand({
          EndpointName: ENDPOINT,
          InputLocation: INPUT,
          ContentType: "application/json",
        }),
      );
    destroy = () => runtime.destroy();
  }
  let counting = false;
  let requests = 0;
  let errors = 0;
  const errorSamples: string[] = [];
  let stop = false;
  let sequence = 0;
  const worker = async () => {
    while (!stop) {
      const i = sequence++;
      try {
        await send(i);
        if (counting) requests++;
      } catch (error) {
        if (counting) errors++;
        if (errorSamples.length < 3) {
          errorSamples.push(
            error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          );
        }
      }
    }
  };
  const workers = Array.from({ length: args.concurrency }, worker);
  await new Promise((resolve) => setTimeout(resolve, args.warmup * 1000));
  counting = true;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, args.seconds * 1000));
  counting = false;
  const seconds = (performance.now() - started) / 1000;
  stop = true;
  await Promise.all(workers);
  destroy();
  return {
    operation: args.operation,
    requests,
    errors,
    seconds,
    rate: requests / seconds,
    errorSamples,
  };
}

// ------------------------------------------------------------- orchestrator

/** A server that does nothing but read the body and answer like the service would. */
function serveNoop(): { endpoint: string; shutdown(): Promise<void> } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    await request.arrayBuffer();
    if (new URL(request.url).pathname.endsWith("/async-invocations")) {
      return new Response('{"InferenceId":"noop"}', {
        status: 202,
        headers: {
          "content-type": "application/json",
          "x-amzn-sagemaker-outputlocation": `s3://${BUCKET}/out/noop.out`,
        },
      });
    }
    return new Response(null, { status: 200, headers: { etag: '"noop"' } });
  });
  return {
    endpoint: `http://127.0.0.1:${server.addr.port}`,
    shutdown: () => server.shutdown(),
  };
}

async function spawnGenerator(options: {
  endpoint: string;
  operation: Operation;
  concurrency: number;
  seconds: number;
  warmup: number;
  env: Record<string, string>;
}): Promise<GeneratorResult> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-sys",
      new URL(import.meta.url).pathname,
      "--generator",
      "--endpoint",
      options.endpoint,
      "--operation",
      options.operation,
      "--concurrency",
      String(options.concurrency),
      "--seconds",
      String(options.seconds),
      "--warmup",
      String(options.warmup),
    ],
    env: options.env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(`The load generator failed:\n${new TextDecoder().decode(output.stderr)}`);
  }
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

/** Creates the bucket, the input object and an InService async endpoint through the SDK. */
async function prepare(
  config: EmulatorClientConfig,
  clock: ManualEmulatorClock,
): Promise<string | undefined> {
  const s3 = new S3Client(config);
  const sagemaker = new SageMakerClient(config);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: "inputs/input.json",
        Body: JSON.stringify({ inputs: "Hello", parameters: { max_new_tokens: 8 } }),
      }),
    );
    try {
      await sagemaker.send(
        new CreateModelCommand({
          ModelName: "bench-model",
          PrimaryContainer: { Image: TGI_IMAGE },
          ExecutionRoleArn: "arn:aws:iam::123456789012:role/bench",
        }),
      );
      await sagemaker.send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: "bench-config",
          ProductionVariants: [{
            VariantName: "AllTraffic",
            ModelName: "bench-model",
            InstanceType: "ml.g5.12xlarge",
            InitialInstanceCount: 1,
          }],
          AsyncInferenceConfig: {
            OutputConfig: {
              S3OutputPath: `s3://${BUCKET}/out/`,
              S3FailurePath: `s3://${BUCKET}/failures/`,
            },
          },
        }),
      );
      await sagemaker.send(
        new CreateEndpointCommand({ EndpointName: ENDPOINT, EndpointConfigName: "bench-config" }),
      );
      await clock.advance(60 * 60_000);
      const described = await sagemaker.send(
        new DescribeEndpointCommand({ EndpointName: ENDPOINT }),
      );
      if (described.EndpointStatus !== "InService") {
        return `the endpoint is ${described.EndpointStatus} (${described.FailureReason ?? ""})`;
      }
      return undefined;
    } catch (error) {
      return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  } finally {
    s3.destroy();
    sagemaker.destroy();
  }
}

function row(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))
    .join("  ");
}

async function orchestrate(args: { concurrency: number; seconds: number; warmup: number }) {
  const clock = new ManualEmulatorClock({ start: Date.now() });
  await using emulator = await startEmulator({
    clock,
    onError: (error) => {
      // deno-lint-ignore no-console
      console.error(`emulator background error: ${error}`);
    },
  });
  const noop = serveNoop();
  try {
    const unavailable = await prepare(emulator.clientConfig(), clock);
    const env = {
      ...emulator.env(),
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "",
    };
    const results: Array<
      { operation: Operation; emulator?: GeneratorResult; ceiling?: GeneratorResult; note?: string }
    > = [];
    for (const operation of ["PutObject", "InvokeEndpointAsync"] as const) {
      if (operation === "InvokeEndpointAsync" && unavailable) {
        results.push({ operation, note: `could not run: ${unavailable}` });
        continue;
      }
      const common = { operation, env, ...args };
      const ceiling = await spawnGenerator({ ...common, endpoint: noop.endpoint });
      const measured = await spawnGenerator({ ...common, endpoint: emulator.endpoint });
      results.push({ operation, emulator: measured, ceiling });
    }
    const widths = [20, 14, 8, 14, 8, 8];
    const lines = [
      `Emulator throughput: AWS SDK v3 from a separate process, ${args.concurrency} requests in ` +
      `flight, ${args.seconds} s per run after ${args.warmup} s warm-up (${navigator.hardwareConcurrency} CPUs)`,
      "",
      row(["operation", "emulator req/s", "errors", "no-op req/s", "errors", "ratio"], widths),
    ];
    for (const result of results) {
      if (!result.emulator || !result.ceiling) {
        lines.push(`${result.operation.padEnd(widths[0]!)}  ${result.note}`);
        continue;
      }
      lines.push(row([
        result.operation,
        result.emulator.rate.toFixed(0),
        String(result.emulator.errors),
        result.ceiling.rate.toFixed(0),
        String(result.ceiling.errors),
        (result.emulator.rate / result.ceiling.rate).toFixed(2),
      ], widths));
      for (const sample of [...result.emulator.errorSamples, ...result.ceiling.errorSamples]) {
        lines.push(`  error: ${sample}`);
      }
    }
    // deno-lint-ignore no-console
    console.log(lines.join("\n"));
  } finally {
    await noop.shutdown();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      generator: { type: "boolean" },
      endpoint: { type: "string" },
      operation: { type: "string" },
      concurrency: { type: "string", default: "32" },
      seconds: { type: "string", default: "5" },
      warmup: { type: "string", default: "1" },
    },
  });
  const concurrency = Number(values.concurrency);
  const seconds = Number(values.seconds);
  const warmup = Number(values.warmup);
  if (!(concurrency >= 1 && seconds > 0 && warmup >= 0)) {
    throw new RangeError(
      `Invalid --concurrency ${values.concurrency} / --seconds ${values.seconds} / --warmup ${values.warmup}`,
    );
  }
  if (values.generator) {
    const operation = values.operation as Operation;
    if (operation !== "PutObject" && operation !== "InvokeEndpointAsync") {
      throw new RangeError(
        `Invalid --operation ${values.operation}: PutObject or InvokeEndpointAsync`,
      );
    }
    const result = await runGenerator({
      endpoint: values.endpoint!,
      operation,
      concurrency,
      seconds,
      warmup,
    });
    // deno-lint-ignore no-console
    console.log(JSON.stringify(result));
  } else {
    await orchestrate({ concurrency, seconds, warmup });
  }
}
