/**
 * `deno task scale-to-zero`: makes an asynchronous endpoint scale to zero
 * instances when idle and wake on the next request (or, with `--disable`,
 * removes that setup).
 *
 * @module
 */
import { disableScaleToZero, enableScaleToZero } from "../lib/mod.ts";
import { resourceTable } from "../lib/display/mod.ts";
import { commandLineIo, runTask, type TaskIo } from "./task_runner.ts";
import { UsageError } from "./task_flags.ts";

const USAGE = `Usage: deno task scale-to-zero --endpoint NAME [options]

Registers the endpoint variant as a scalable target (min 0), adds target tracking
on ApproximateBacklogSizePerInstance and, unless --no-wake-from-zero, the
HasBacklogWithoutCapacity step policy and alarm that wake it on a request.

Options:
  --endpoint NAME           The endpoint (required)
  --variant NAME            The variant (default AllTraffic)
  --max-capacity N          Most instances (default 1)
  --target-value X          Backlog per instance to aim for (default 5)
  --scale-in-cooldown S     Seconds between scale-in steps (default 600)
  --scale-out-cooldown S    Seconds between scale-out steps (default 300)
  --no-wake-from-zero       Leave out the step policy and alarm (then one request
                            does not wake the endpoint)
  --disable                 Remove the alarm, both policies and the scalable target
  -h, --help                Show this help
`;

/** Runs `deno task scale-to-zero` with `args`; returns the exit code. */
export function main(args: string[], io?: TaskIo): Promise<number> {
  return runTask(
    {
      name: "scale-to-zero",
      usage: USAGE,
      options: {
        endpoint: { type: "string" },
        variant: { type: "string" },
        "max-capacity": { type: "string" },
        "target-value": { type: "string" },
        "scale-in-cooldown": { type: "string" },
        "scale-out-cooldown": { type: "string" },
        "no-wake-from-zero": { type: "boolean" },
        disable: { type: "boolean" },
      },
      async run(context) {
        const { flags } = context;
        const endpointName = flags.required(
          "endpoint",
          "the endpoint to scale, e.g. --endpoint falcon",
        );
        const variantName = flags.string("variant");
        const maxCapacity = flags.integer("max-capacity", { min: 1, max: 10_000 });
        const targetValue = flags.number("target-value", { above: 0 });
        const scaleIn = flags.integer("scale-in-cooldown", { min: 0, max: 86_400 });
        const scaleOut = flags.integer("scale-out-cooldown", { min: 0, max: 86_400 });
        const disable = flags.boolean("disable");
        const tuning = ["max-capacity", "target-value", "scale-in-cooldown", "scale-out-cooldown"]
          .filter((name) => flags.has(name));
        if (disable && (tuning.length > 0 || flags.boolean("no-wake-from-zero"))) {
          throw new UsageError(
            `--disable removes the setup; it does not take --${tuning[0] ?? "no-wake-from-zero"}`,
          );
        }
        await using target = await context.openTarget();
        return await context.withProgress(async (progress) => {
          const common = {
            clients: target.clients,
            endpointName,
            variantName,
            clock: target.clock,
            signal: context.signal,
            onProgress: progress.onProgress,
          };
          if (disable) {
            const removed = await disableScaleToZero(common);
            await progress.done(`Scale-to-zero removed from ${endpointName}`);
            context.print(
              resourceTable({ deleted: removed.deleted, "not found": removed.notFound }).toString(),
            );
            return 0;
          }
          const enabled = await enableScaleToZero({
            ...common,
            maxCapacity,
            targetValue,
            scaleInCooldownSeconds: scaleIn,
            scaleOutCooldownSeconds: scaleOut,
            ...(flags.boolean("no-wake-from-zero") && { wakeFromZero: false }),
          });
          await progress.done(`${endpointName} scales to zero`);
          context.print(
            resourceTable({ created: enabled.created, updated: enabled.updated }).toString(),
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
