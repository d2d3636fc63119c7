/**
 * `deno task invoke`: sends prompts (or a JSON payload, or an object
 * already in S3) to an asynchronous endpoint and waits for the results.
 *
 * @module
 */
import {
  AsyncPredictor,
  findDeployment,
  type JsonValue,
  type Payload,
  WaitTimeoutError,
} from "../lib/mod.ts";
import { toTable } from "../lib/display/mod.ts";
import { commandLineIo, describeError, runTask, type TaskIo } from "./task_runner.ts";
import { UsageError } from "./task_flags.ts";

const USAGE =
  `Usage: deno task invoke --endpoint NAME (--prompt TEXT ... | --file FILE | --input S3_URI) [options]

Submits to an asynchronous endpoint with InvokeEndpointAsync and waits for each
result (output or failure object). Several --prompt flags are submitted at once
and waited for together. An endpoint at zero instances wakes up first (about 10
minutes on AWS), so allow for it in --timeout.

Options:
  --endpoint NAME           The endpoint (required)
  --prompt TEXT             A prompt, sent as {"inputs": TEXT, "parameters": {...}};
                            repeat for several
  --file FILE               A JSON payload file, sent as it is
  --input S3_URI            An object already in S3 to use as the input
  --content-type TYPE       Content type of --input (default application/json)
  --max-new-tokens N        max_new_tokens of each prompt (default 100)
  --input-prefix S3_URI     Where to upload payloads (default: the deployment's)
  --no-wait                 Print the inference ids and output locations and exit
  --timeout DURATION        Longest wait per result, e.g. 20m (default 15m)
  --json                    Print the results as JSON
  -h, --help                Show this help
`;

/** Runs `deno task invoke` with `args`; returns the exit code (1 if any inference failed). */
export function main(args: string[], io?: TaskIo): Promise<number> {
  return runTask(
    {
      name: "invoke",
      usage: USAGE,
      options: {
        endpoint: { type: "string" },
        prompt: { type: "string", multiple: true },
        file: { type: "string" },
        input: { type: "string" },
        "content-type": { type: "string" },
        "max-new-tokens": { type: "string" },
        "input-prefix": { type: "string" },
        "no-wait": { type: "boolean" },
        timeout: { type: "string" },
        json: { type: "boolean" },
      },
      async run(context) {
        const { flags } = context;
        const endpointName = flags.required(
          "endpoint",
          "the endpoint to invoke, e.g. --endpoint falcon",
        );
        const prompts = flags.strings("prompt");
        const file = flags.string("file");
        const input = flags.string("input");
        const given = [prompts.length > 0, file !== undefined, input !== undefined]
          .filter(Boolean).length;
        if (given !== 1) {
          throw new UsageError(
            `Give exactly one of --prompt (repeatable), --file or --input; got ${
              given === 0 ? "none" : "more than one"
            }`,
          );
        }
        const maxNewTokens = flags.integer("max-new-tokens", { min: 1, max: 100_000 });
        if (maxNewTokens !== undefined && prompts.length === 0) {
          throw new UsageError("--max-new-tokens applies to --prompt only");
        }
        if (flags.has("content-type") && input === undefined) {
          throw new UsageError("--content-type applies to --input only");
        }
        const timeoutMs = flags.duration("timeout") ?? 15 * 60_000;
        const noWait = flags.boolean("no-wait");
        if (noWait && flags.has("timeout")) {
          throw new UsageError("--timeout applies to the wait; drop --no-wait");
        }
        let payloads: { label: string; data: Payload | undefined }[];
        if (file !== undefined) {
          let data: JsonValue;
          try {
            data = JSON.parse(await Deno.readTextFile(file));
          } catch (error) {
            throw new UsageError(`Cannot read --file ${file}: ${(error as Error).message}`);
          }
          payloads = [{ label: file, data }];
        } else if (input !== undefined) {
          payloads = [{ label: input, data: undefined }];
        } else {
          payloads = prompts.map((prompt) => ({
            label: prompt,
            data: { inputs: prompt, parameters: { max_new_tokens: maxNewTokens ?? 100 } },
          }));
        }

        await using target = await context.openTarget();
        let inputPrefix = flags.string("input-prefix");
        if (inputPrefix === undefined) {
          const deployment = await findDeployment({
            clients: target.clients,
            endpointName,
            signal: context.signal,
          });
          if (deployment === undefined) {
            context.printError(
              `No endpoint ${endpointName} in ${target.describe()}; deploy one with ` +
                "`deno task deploy --endpoint-name " + endpointName + "`",
            );
            return 1;
          }
          inputPrefix = deployment.inputPrefix;
        }
        const signal = context.signal;
        const inputOptions = input === undefined ? {} : {
          inputLocation: input,
          contentType: flags.string("content-type") ?? "application/json",
        };
        return await context.withProgress(async (progress) => {
          await using predictor = new AsyncPredictor({
            endpointName,
            inputPrefix,
            clients: target.clients,
            clock: target.clock,
            onProgress: progress.onProgress,
          });
          const submit = { ...inputOptions, signal };
          const submitted = await Promise.all(payloads.map(async ({ label, data }) => ({
            label,
            response: await predictor.predictAsync(data, submit),
          })));
          if (noWait) {
            await progress.done(`Submitted ${submitted.length} request(s)`);
            const rows = submitted.map(({ label, response }) => ({
              input: label,
              inferenceId: response.inferenceId,
              outputLocation: response.outputLocation,
              failureLocation: response.failureLocation ?? "",
            }));
            context.print(
              flags.boolean("json") ? JSON.stringify(rows, null, 2) : toTable(rows).toString(),
            );
            return 0;
          }
          const outcomes = await Promise.all(submitted.map(async ({ label, response }) => {
            try {
              const value = await response.getResult({ waiter: { maxWaitMs: timeoutMs }, signal });
              return {
                input: label,
                inferenceId: response.inferenceId,
                ok: true as const,
                result: value,
              };
            } catch (error) {
              if (signal?.aborted) throw signal.reason;
              return {
                input: label,
                inferenceId: response.inferenceId,
                ok: false as const,
                error: describeError(error),
                ...(error instanceof WaitTimeoutError &&
                  { outputLocation: response.outputLocation }),
              };
            }
          }));
          const failed = outcomes.filter((o) => !o.ok).length;
          if (failed > 0) await progress.fail(new Error(`${failed} of ${outcomes.length} failed`));
          else await progress.done(`${outcomes.length} result(s)`);
          if (flags.boolean("json")) {
            context.print(JSON.stringify(outcomes, jsonBytes, 2));
          } else {
            for (const outcome of outcomes) {
              context.print(`# ${outcome.input} (${outcome.inferenceId})`);
              context.print(outcome.ok ? resultText(outcome.result) : `FAILED: ${outcome.error}`);
              context.print("");
            }
          }
          return failed > 0 ? 1 : 0;
        });
      },
    },
    args,
    io,
  );
}

/** The generated text of a TGI answer (`[{ generated_text }]`), else the value as JSON. */
export function resultText(value: unknown): string {
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === "object" && first !== null && "generated_text" in first) {
    const text = (first as { generated_text: unknown }).generated_text;
    if (typeof text === "string") return text;
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

function jsonBytes(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? new TextDecoder().decode(value) : value;
}

if (import.meta.main) Deno.exit(await main(Deno.args, commandLineIo()));
