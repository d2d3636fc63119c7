/**
 * `deno task sweep`: finds every deployment this toolkit made (by its tags)
 * and tears down those older than a given age, e.g. endpoints forgotten in
 * a notebook.
 *
 * @module
 */
import { formatDuration, sweep } from "../lib/mod.ts";
import { toTable } from "../lib/display/mod.ts";
import { commandLineIo, describeError, runTask, type TaskIo } from "./task_runner.ts";

const USAGE = `Usage: deno task sweep [options]

Finds every endpoint, endpoint config and model tagged sagemaker-async:managed=true,
groups them by deployment and tears down each one older than --older-than, oldest
first. A deployment that fails to go is reported and the sweep goes on.

Options:
  --older-than DURATION     Only deployments at least this old, e.g. 2h (default 0:
                            every one)
  --dry-run                 List what would be removed; remove nothing
  --delete-s3               Also delete the objects under their output and failure paths
  --max-wait DURATION       Longest wait for each endpoint to go, e.g. 30m (default 30m)
  -h, --help                Show this help
`;

/** Runs `deno task sweep` with `args`; returns the exit code (1 if any teardown failed). */
export function main(args: string[], io?: TaskIo): Promise<number> {
  return runTask(
    {
      name: "sweep",
      usage: USAGE,
      options: {
        "older-than": { type: "string" },
        "dry-run": { type: "boolean" },
        "delete-s3": { type: "boolean" },
        "max-wait": { type: "string" },
      },
      async run(context) {
        const { flags, signal } = context;
        const olderThanMs = flags.duration("older-than") ?? 0;
        const dryRun = flags.boolean("dry-run");
        const maxWaitMs = flags.duration("max-wait");
        await using target = await context.openTarget();
        const result = await context.withProgress(async (progress) => {
          const result = await sweep({
            clients: target.clients,
            clock: target.clock,
            olderThanMs,
            dryRun,
            deleteS3Objects: flags.boolean("delete-s3"),
            maxWaitMs,
            signal,
            onProgress: progress.onProgress,
          });
          const failed = result.deployments.filter((d) => d.action === "failed").length;
          const removed = result.deployments.filter((d) =>
            d.action === "deleted" || d.action === "would-delete"
          ).length;
          await (failed > 0
            ? progress.fail(new Error(`${failed} deployment(s) could not be removed`))
            : progress.done(`${dryRun ? "Would remove" : "Removed"} ${removed} deployment(s)`));
          return result;
        });
        const failed = result.deployments.filter((d) => d.action === "failed");
        if (result.deployments.length === 0) {
          context.print(`No deployments made by this toolkit in ${target.describe()}.`);
          return 0;
        }
        context.print(
          toTable(result.deployments.map((d) => ({
            deployment: d.deploymentId,
            endpoints: d.endpointNames.join(", "),
            age: d.ageMs === undefined ? "unknown" : formatDuration(d.ageMs),
            action: d.action,
            error: d.error === undefined ? "" : describeError(d.error),
          }))).toString(),
        );
        return failed.length > 0 ? 1 : 0;
      },
    },
    args,
    io,
  );
}

if (import.meta.main) Deno.exit(await main(Deno.args, commandLineIo()));
