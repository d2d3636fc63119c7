/**
 * What is still in an account (in practice: a local emulator the caller started) of the kinds
 * a deployment creates, for the demo and the notebook runner to check that a teardown left
 * nothing behind.
 *
 * @module
 */
import { DescribeScalableTargetsCommand } from "@aws-sdk/client-application-auto-scaling";
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import {
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
} from "@aws-sdk/client-sagemaker";
import type { AwsClients } from "../lib/mod.ts";

/** Names of what exists, by kind (all empty when nothing is left). */
export interface Leftovers {
  /** `ListEndpoints`. */
  readonly endpoints: readonly string[];
  /** `ListEndpointConfigs`. */
  readonly endpointConfigs: readonly string[];
  /** `ListModels`. */
  readonly models: readonly string[];
  /** `DescribeScalableTargets` of namespace `sagemaker` (resource ids). */
  readonly scalableTargets: readonly string[];
  /** `DescribeAlarms`, metric and composite. */
  readonly alarms: readonly string[];
}

/**
 * Lists the endpoints, endpoint configs, models, SageMaker scalable targets and alarms: one
 * page of each (up to 100, 50 scalable targets), enough to tell whether anything is left and to
 * name it.
 */
export async function findLeftovers(
  clients: Pick<AwsClients, "sagemaker" | "autoscaling" | "cloudwatch">,
  options: { signal?: AbortSignal } = {},
): Promise<Leftovers> {
  const send = { abortSignal: options.signal };
  const [endpoints, configs, models, targets, alarms] = await Promise.all([
    clients.sagemaker.send(new ListEndpointsCommand({ MaxResults: 100 }), send),
    clients.sagemaker.send(new ListEndpointConfigsCommand({ MaxResults: 100 }), send),
    clients.sagemaker.send(new ListModelsCommand({ MaxResults: 100 }), send),
    clients.autoscaling.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: "sagemaker", MaxResults: 50 }),
      send,
    ),
    clients.cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 100 }), send),
  ]);
  return {
    endpoints: (endpoints.Endpoints ?? []).map((e) => e.EndpointName ?? ""),
    endpointConfigs: (configs.EndpointConfigs ?? []).map((c) => c.EndpointConfigName ?? ""),
    models: (models.Models ?? []).map((m) => m.ModelName ?? ""),
    scalableTargets: (targets.ScalableTargets ?? []).map((t) => t.ResourceId ?? ""),
    alarms: [
      ...(alarms.MetricAlarms ?? []).map((a) => a.AlarmName ?? ""),
      ...(alarms.CompositeAlarms ?? []).map((a) => a.AlarmName ?? ""),
    ],
  };
}

const KIND_LABELS: Readonly<Record<keyof Leftovers, string>> = {
  endpoints: "endpoint",
  endpointConfigs: "endpoint config",
  models: "model",
  scalableTargets: "scalable target",
  alarms: "alarm",
};

/**
 * One `kind name` line per leftover (`endpoint falcon`, `scalable target
 * endpoint/falcon/variant/AllTraffic`); empty when nothing is left.
 *
 * @example
 * ```ts
 * import { describeLeftovers } from "./leftovers.ts";
 *
 * const lines = describeLeftovers({
 *   endpoints: [],
 *   endpointConfigs: [],
 *   models: ["falcon-model"],
 *   scalableTargets: [],
 *   alarms: ["falcon-AllTraffic-HasBacklogWithoutCapacity"],
 * });
 * if (lines.join("; ") !== "model falcon-model; alarm falcon-AllTraffic-HasBacklogWithoutCapacity") {
 *   throw new Error(lines.join("; "));
 * }
 * ```
 */
export function describeLeftovers(leftovers: Leftovers): string[] {
  return (Object.keys(KIND_LABELS) as (keyof Leftovers)[]).flatMap((kind) =>
    leftovers[kind].map((name) => `${KIND_LABELS[kind]} ${name}`)
  );
}
