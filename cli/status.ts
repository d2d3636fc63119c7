/**
 * `deno task status`: one endpoint's state: status and instances, the
 * backlog CloudWatch last saw, the scaling policies and the alarms.
 *
 * @module
 */
import {
  describeScaleToZero,
  fetchScalingHistory,
  findDeployment,
  isSageMakerNotFoundError,
  type MetricSeries,
} from "../lib/mod.ts";
import { toTable } from "../lib/display/mod.ts";
import { commandLineIo, runTask, type TaskIo } from "./task_runner.ts";

const USAGE = `Usage: deno task status --endpoint NAME [options]

Shows an endpoint's status and instance counts, its backlog as CloudWatch last
saw it, its scale-to-zero policies and the state of their alarms.

Options:
  --endpoint NAME           The endpoint (required)
  --variant NAME            The variant (default AllTraffic)
  --json                    Print everything as JSON
  -h, --help                Show this help
`;

/** How far back to look for the latest backlog data points. */
const BACKLOG_LOOKBACK_MS = 15 * 60_000;

/** Runs `deno task status` with `args`; returns the exit code (1 if the endpoint does not exist). */
export function main(args: string[], io?: TaskIo): Promise<number> {
  return runTask(
    {
      name: "status",
      usage: USAGE,
      options: {
        endpoint: { type: "string" },
        variant: { type: "string" },
        json: { type: "boolean" },
      },
      async run(context) {
        const { flags, signal } = context;
        const endpointName = flags.required(
          "endpoint",
          "the endpoint to show, e.g. --endpoint falcon",
        );
        const variantName = flags.string("variant");
        await using target = await context.openTarget();
        const common = { clients: target.clients, endpointName, variantName, signal };
        let scaling;
        try {
          scaling = await describeScaleToZero(common);
        } catch (error) {
          if (!isSageMakerNotFoundError(error)) throw error;
          context.printError(`No endpoint ${endpointName} in ${target.describe()}`);
          return 1;
        }
        const now = target.clock.now();
        const [deployment, history] = await Promise.all([
          findDeployment(common).catch((error) => {
            // A real-time endpoint or one without a failure path: show what DescribeEndpoint says.
            if (error instanceof TypeError) return undefined;
            throw error;
          }),
          fetchScalingHistory({ ...common, start: now - BACKLOG_LOOKBACK_MS, end: now }),
        ]);
        const last = (series: MetricSeries) => series.points.at(-1);
        const backlog = {
          backlogSize: last(history.backlogSize),
          backlogSizePerInstance: last(history.backlogSizePerInstance),
          hasBacklogWithoutCapacity: last(history.hasBacklogWithoutCapacity),
        };
        if (flags.boolean("json")) {
          context.print(JSON.stringify({ endpointName, deployment, scaling, backlog }, null, 2));
          return 0;
        }
        context.print(
          `Endpoint ${endpointName}: ${scaling.endpointStatus ?? "unknown"}` +
            (deployment ? ` on ${deployment.instanceType}` : ""),
        );
        context.print(
          toTable(scaling.variants.map((v) => ({
            variant: v.variantName,
            "instances in service": v.currentInstanceCount ?? 0,
            "instances wanted": v.desiredInstanceCount ?? 0,
          }))).toString(),
        );
        context.print("");
        const at = (point: { time: number } | undefined) =>
          point ? new Date(point.time).toISOString().slice(11, 16) + " UTC" : "";
        const backlogRows = [
          { metric: "ApproximateBacklogSize", point: backlog.backlogSize },
          { metric: "ApproximateBacklogSizePerInstance", point: backlog.backlogSizePerInstance },
          { metric: "HasBacklogWithoutCapacity", point: backlog.hasBacklogWithoutCapacity },
        ].map(({ metric, point }) => ({
          metric,
          "last value": point?.value ?? "no data",
          minute: at(point),
        }));
        context.print(toTable(backlogRows).toString());
        context.print("");
        const scalable = scaling.target;
        context.print(
          scalable
            ? `Scalable target ${scaling.names.resourceId}: min ${scalable.minCapacity}, ` +
              `max ${scalable.maxCapacity}; scales to zero: ${
                scaling.scalesToZero ? "yes" : "no"
              }; wakes on request: ${scaling.wakesFromZero ? "yes" : "no"}`
            : `No scalable target: the endpoint does not scale ` +
              `(enable it with \`deno task scale-to-zero --endpoint ${endpointName}\`)`,
        );
        const policies = [scaling.targetTrackingPolicy, scaling.stepPolicy].flatMap((p) =>
          p ? [p] : []
        );
        if (policies.length > 0) {
          context.print(
            toTable(policies.map((p) => ({
              policy: p.policyName,
              type: p.policyType,
              settings: p.policyType === "TargetTrackingScaling"
                ? `${p.metricName} target ${p.targetValue}, cooldown in ${p.scaleInCooldownSeconds}s ` +
                  `out ${p.scaleOutCooldownSeconds}s`
                : `cooldown ${p.cooldownSeconds}s`,
            }))).toString(),
          );
        }
        const alarms = [
          ...(scaling.wakeAlarm ? [scaling.wakeAlarm] : []),
          ...scaling.targetTrackingAlarms,
        ];
        if (alarms.length > 0) {
          context.print("");
          context.print(
            toTable(alarms.map((a) => ({
              alarm: a.alarmName,
              state: a.state,
              reason: shorten(a.stateReason ?? "", 100),
            }))).toString(),
          );
        }
        return 0;
      },
    },
    args,
    io,
  );
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

if (import.meta.main) Deno.exit(await main(Deno.args, commandLineIo()));
