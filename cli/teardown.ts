/**
 * `deno task teardown`: removes an endpoint and everything made for it:
 * the wake-up alarm, the scaling policies, the scalable target, the
 * endpoint, its config and model and, with `--delete-s3`, its S3 objects.
 *
 * @module
 */
import { findDeployment, teardown } from "../lib/mod.ts";
import { resourceTable } from "../lib/display/mod.ts";
import { commandLineIo, runTask, type TaskIo } from "./task_runner.ts";

const USAGE = `Usage: deno task teardown --endpoint NAME [options]

Deletes, in order: the HasBacklogWithoutCapacity alarm, both scaling policies, the
scalable target, the endpoint (waiting until it is gone), its endpoint config and
model. Safe to run again: what is already gone is reported as not found.

Options:
  --endpoint NAME           The endpoint (required)
  --delete-s3               Also delete the objects under its input, output and
                            failure prefixes
  --max-wait DURATION       Longest wait for the endpoint to go, e.g. 30m (default 30m)
  -h, --help                Show this help
`;

/** Runs `deno task teardown` with `args`; returns the exit code. */
export function main(args: string[], io?: TaskIo): Promise<number> {
  return runTask(
    {
      name: "teardown",
      usage: USAGE,
      options: {
        endpoint: { type: "string" },
        "delete-s3": { type: "boolean" },
        "max-wait": { type: "string" },
      },
      async run(context) {
        const { flags, signal } = context;
        const endpointName = flags.required(
          "endpoint",
          "the endpoint to remove, e.g. --endpoint falcon (`deno task sweep` removes every one)",
        );
        const maxWaitMs = flags.duration("max-wait");
        await using target = await context.openTarget();
        const deployment = await findDeployment({
          clients: target.clients,
          endpointName,
          signal,
        }).catch((error) => {
          // Not one of ours (real-time, or no failure path): tear it down by name.
          if (error instanceof TypeError) return undefined;
          throw error;
        });
        return await context.withProgress(async (progress) => {
          const result = await teardown(deployment ?? { endpointName }, {
            clients: target.clients,
            clock: target.clock,
            deleteS3Objects: flags.boolean("delete-s3"),
            maxWaitMs,
            signal,
            onProgress: progress.onProgress,
          });
          await progress.done(`Removed ${result.deleted.length} resource(s) of ${endpointName}`);
          context.print(
            resourceTable({ deleted: result.deleted, "already gone": result.notFound }).toString(),
          );
          if (result.notFound.some((r) => r.type === "endpoint")) {
            context.print(
              `\nNo endpoint ${endpointName} was found; \`deno task sweep --dry-run\` lists ` +
                "configs and models of deployments whose endpoint is gone.",
            );
          }
          return 0;
        });
      },
    },
    args,
    io,
  );
}

if (import.meta.main) Deno.exit(await main(Deno.args, commandLineIo()));
