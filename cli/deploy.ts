/**
 * `deno task deploy`: deploys JumpStart Falcon-40B-instruct (or another
 * JumpStart model) to an asynchronous endpoint and, unless told not to,
 * makes it scale to zero when idle and wake on the next request.
 *
 * @module
 */
import { deployAsyncEndpoint, enableScaleToZero } from "../lib/mod.ts";
import { toTable } from "../lib/display/mod.ts";
import { commandLineIo, runTask, type TaskIo } from "./task_runner.ts";
import { UsageError } from "./task_flags.ts";

const USAGE = `Usage: deno task deploy [options]

Deploys a JumpStart model (default huggingface-llm-falcon-40b-instruct-bf16) to a
SageMaker asynchronous endpoint, waits until it is InService, and enables
scale-to-zero (min 0 instances, wake on the next request).

Options:
  --model-id ID             JumpStart model id (default Falcon-40B-instruct)
  --model-version V         JumpStart model version (default: the highest)
  --jumpstart-source S      auto (bucket, else the offline snapshot), bucket or
                            snapshot (default auto)
  --instance-type TYPE      Instance type (default: the model's, ml.g5.48xlarge for Falcon)
  --endpoint-name NAME      Endpoint name (default: model id + time + random suffix)
  --initial-instances N     Instances at creation (default 1)
  --max-capacity N          Most instances when scaling out (default 1)
  --no-scale-to-zero        Keep the instances running; do not add the scaling policies
  --accept-eula             Accept the model's end-user license agreement
  --role-arn ARN            Execution role (required on AWS; default SAGEMAKER_ASYNC_ROLE_ARN)
  --max-wait DURATION       Longest wait for InService, e.g. 45m (default 45m)
  --json                    Print the deployment as JSON
  -h, --help                Show this help
`;

/** Runs `deno task deploy` with `args`; returns the exit code. */
export function main(args: string[], io?: TaskIo): Promise<number> {
  return runTask(
    {
      name: "deploy",
      usage: USAGE,
      options: {
        "model-id": { type: "string" },
        "model-version": { type: "string" },
        "jumpstart-source": { type: "string" },
        "instance-type": { type: "string" },
        "endpoint-name": { type: "string" },
        "initial-instances": { type: "string" },
        "max-capacity": { type: "string" },
        "no-scale-to-zero": { type: "boolean" },
        "accept-eula": { type: "boolean" },
        "role-arn": { type: "string" },
        "max-wait": { type: "string" },
        json: { type: "boolean" },
      },
      async run(context) {
        const { flags } = context;
        const jumpStartSource = flags.choice("jumpstart-source", ["auto", "bucket", "snapshot"]);
        const initialInstanceCount = flags.integer("initial-instances", { min: 1, max: 10_000 });
        const maxCapacity = flags.integer("max-capacity", { min: 1, max: 10_000 });
        const maxWaitMs = flags.duration("max-wait");
        const scaleToZero = !flags.boolean("no-scale-to-zero");
        if (!scaleToZero && flags.has("max-capacity")) {
          throw new UsageError("--max-capacity applies to scale-to-zero; drop --no-scale-to-zero");
        }
        const roleFlag = flags.string("role-arn");
        await using target = await context.openTarget(
          roleFlag !== undefined ? { executionRoleArn: roleFlag } : {},
        );
        if (target.kind === "aws" && target.executionRoleArn === undefined) {
          throw new UsageError(
            "Deploying on AWS needs an execution role that SageMaker assumes: pass " +
              "--role-arn arn:aws:iam::<account>:role/<name> or set SAGEMAKER_ASYNC_ROLE_ARN",
          );
        }
        context.printError(`Deploying to ${target.describe()}`);
        return await context.withProgress(async (progress) => {
          const deployment = await deployAsyncEndpoint({
            clients: target.clients,
            clock: target.clock,
            modelId: flags.string("model-id"),
            modelVersion: flags.string("model-version"),
            jumpStartSource,
            instanceType: flags.string("instance-type"),
            endpointName: flags.string("endpoint-name"),
            initialInstanceCount,
            executionRoleArn: target.executionRoleArn,
            ...(flags.boolean("accept-eula") && { acceptEula: true }),
            maxWaitMs,
            signal: context.signal,
            onProgress: progress.onProgress,
          });
          let scaling = "off (instances keep running)";
          if (scaleToZero) {
            try {
              const enabled = await enableScaleToZero({
                clients: target.clients,
                endpointName: deployment.endpointName,
                variantName: deployment.variantName,
                maxCapacity: maxCapacity ?? 1,
                tags: deployment.tags,
                clock: target.clock,
                signal: context.signal,
                onProgress: progress.onProgress,
              });
              scaling = `min 0, max ${maxCapacity ?? 1}` +
                (enabled.alarmName ? `, wakes on request (alarm ${enabled.alarmName})` : "");
            } catch (error) {
              context.printError(
                `Endpoint ${deployment.endpointName} is deployed and running, but scale-to-zero ` +
                  `failed. Retry with \`deno task scale-to-zero --endpoint ${deployment.endpointName}\` ` +
                  `or remove it with \`deno task teardown --endpoint ${deployment.endpointName}\`.`,
              );
              throw error;
            }
          }
          await progress.done(`Deployed ${deployment.endpointName}`);
          if (flags.boolean("json")) {
            context.print(JSON.stringify({ ...deployment, scaleToZero: scaling }, null, 2));
            return 0;
          }
          const js = deployment.jumpStartModel;
          context.print(
            toTable([
              { field: "endpoint", value: deployment.endpointName },
              { field: "instance type", value: deployment.instanceType },
              ...(js
                ? [{
                  field: "model",
                  value: `${js.modelId} ${js.version}` +
                    (js.source ? ` (spec from ${js.source})` : ""),
                }]
                : []),
              { field: "scale to zero", value: scaling },
              { field: "input prefix", value: deployment.inputPrefix },
              { field: "output path", value: deployment.outputPath },
              { field: "failure path", value: deployment.failurePath },
              { field: "deployment id", value: deployment.deploymentId },
            ]).toString(),
          );
          context.print(
            `\nNext: deno task invoke --endpoint ${deployment.endpointName} --prompt "..."`,
          );
          return 0;
        });
      },
    },
    args,
    io,
  );
}

if (import.meta.main) Deno.exit(await main(Deno.args, commandLineIo()));
