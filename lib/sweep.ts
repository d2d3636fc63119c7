/**
 * Finding and removing every deployment this toolkit made, e.g. endpoints
 * forgotten in a notebook.
 *
 * @module
 */
import {
  paginateListEndpointConfigs,
  paginateListEndpoints,
  paginateListModels,
} from "@aws-sdk/client-sagemaker";
import type { AwsClients } from "./clients.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { ResourceRef } from "./deployment.ts";
import type { ProgressCallback } from "./progress.ts";
import { fetchResourceTags, readDeploymentTags } from "./tags.ts";
import { teardown, type TeardownResult } from "./teardown.ts";
import { assertDurationMs } from "./validation.ts";

/** Options for {@linkcode sweep}. */
export interface SweepOptions {
  /** Clients for every resource kind. */
  clients: Pick<AwsClients, "sagemaker" | "autoscaling" | "cloudwatch" | "s3">;
  /**
   * Only deployments at least this old (ms of clock time since their
   * `sagemaker-async:created-at` tag, else their `CreationTime`). Default 0.
   */
  olderThanMs?: number;
  /** Report what would be removed without removing anything. Default false. */
  dryRun?: boolean;
  /** Also delete the objects under each endpoint config's output and failure paths. */
  deleteS3Objects?: boolean;
  /** Longest wait for each endpoint to disappear (ms); default 30 minutes. */
  maxWaitMs?: number;
  /** Time source for ages and waits; default the system clock. */
  clock?: Clock;
  /** Stops the sweep; rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Receives the teardown events. */
  onProgress?: ProgressCallback;
}

/** What the sweep did with one deployment. */
export interface SweptDeployment {
  /** The `sagemaker-async:deployment-id` tag (or `untagged:<resource>` without one). */
  readonly deploymentId: string;
  /** Its endpoints (normally one; none for orphans). */
  readonly endpointNames: readonly string[];
  /** Its endpoint configs. */
  readonly endpointConfigNames: readonly string[];
  /** Its models. */
  readonly modelNames: readonly string[];
  /** Creation time, ISO 8601, if known. */
  readonly createdAt?: string;
  /** Age in ms of clock time, if known. */
  readonly ageMs?: number;
  /** `deleted`, `would-delete` (dry run), `too-recent` (kept) or `failed`. */
  readonly action: "deleted" | "would-delete" | "too-recent" | "failed";
  /** What teardown removed, for `deleted`. */
  readonly result?: TeardownResult;
  /** Why teardown failed, for `failed`. */
  readonly error?: unknown;
}

/** Every deployment the sweep found. */
export interface SweepResult {
  /** One entry per deployment, oldest first. */
  readonly deployments: readonly SweptDeployment[];
}

interface Found {
  endpointNames: string[];
  endpointConfigNames: string[];
  modelNames: string[];
  createdAt?: number;
}

/**
 * Finds every endpoint, endpoint config and model tagged
 * `sagemaker-async:managed=true` (paged `ListEndpoints`,
 * `ListEndpointConfigs`, `ListModels` and `ListTags`), groups them by
 * deployment id (configs and models left without an endpoint are included)
 * and tears each group down, oldest first. A failed teardown is recorded in
 * its entry and the sweep goes on; an abort stops it.
 *
 * @example A dry run over an account with one forgotten deployment
 * ```ts
 * import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
 * import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
 * import { S3Client } from "@aws-sdk/client-s3";
 * import {
 *   ListEndpointConfigsCommand,
 *   ListEndpointsCommand,
 *   ListModelsCommand,
 *   ListTagsCommand,
 *   SageMakerClient,
 * } from "@aws-sdk/client-sagemaker";
 * import { mockClient } from "aws-sdk-client-mock";
 * import { buildDeploymentTags, sweep } from "@sagemaker-async/toolkit";
 *
 * const region = "us-east-1";
 * const sagemaker = new SageMakerClient({ region });
 * mockClient(sagemaker)
 *   .on(ListEndpointsCommand).resolves({
 *     Endpoints: [{
 *       EndpointName: "falcon",
 *       EndpointArn: "arn:aws:sagemaker:us-east-1:123456789012:endpoint/falcon",
 *       CreationTime: new Date(0),
 *       LastModifiedTime: new Date(0),
 *       EndpointStatus: "InService",
 *     }],
 *   })
 *   .on(ListEndpointConfigsCommand).resolves({ EndpointConfigs: [] })
 *   .on(ListModelsCommand).resolves({ Models: [] })
 *   .on(ListTagsCommand).resolves({
 *     Tags: buildDeploymentTags({ deploymentId: "d-1", createdAt: Date.UTC(2026, 0, 1) }),
 *   });
 *
 * const result = await sweep({
 *   clients: {
 *     sagemaker,
 *     autoscaling: new ApplicationAutoScalingClient({ region }),
 *     cloudwatch: new CloudWatchClient({ region }),
 *     s3: new S3Client({ region }),
 *   },
 *   dryRun: true,
 * });
 * const [found] = result.deployments;
 * if (found?.deploymentId !== "d-1" || found.action !== "would-delete") throw new Error();
 * ```
 */
export async function sweep(options: SweepOptions): Promise<SweepResult> {
  const { clients, signal } = options;
  const clock = options.clock ?? systemClock;
  const olderThanMs = options.olderThanMs ?? 0;
  assertDurationMs(olderThanMs, "olderThanMs");
  if (options.maxWaitMs !== undefined) assertDurationMs(options.maxWaitMs, "maxWaitMs");
  signal?.throwIfAborted();

  const groups = new Map<string, Found>();
  const add = async (
    kind: "endpointNames" | "endpointConfigNames" | "modelNames",
    name: string | undefined,
    arn: string | undefined,
    creationTime: Date | undefined,
  ) => {
    if (!name || !arn) return;
    const info = readDeploymentTags(
      await fetchResourceTags({ clients, resourceArn: arn, signal }),
    );
    if (!info.managed) return;
    const id = info.deploymentId ?? `untagged:${name}`;
    let group = groups.get(id);
    if (!group) {
      group = { endpointNames: [], endpointConfigNames: [], modelNames: [] };
      groups.set(id, group);
    }
    group[kind].push(name);
    const createdAt = info.createdAt ?? creationTime?.getTime();
    if (createdAt !== undefined) {
      group.createdAt = Math.min(group.createdAt ?? Infinity, createdAt);
    }
  };

  const paging = { client: clients.sagemaker, pageSize: 100 };
  const send = { abortSignal: signal };
  for await (const page of paginateListEndpoints(paging, {}, send)) {
    for (const e of page.Endpoints ?? []) {
      await add("endpointNames", e.EndpointName, e.EndpointArn, e.CreationTime);
    }
  }
  for await (const page of paginateListEndpointConfigs(paging, {}, send)) {
    for (const c of page.EndpointConfigs ?? []) {
      await add("endpointConfigNames", c.EndpointConfigName, c.EndpointConfigArn, c.CreationTime);
    }
  }
  for await (const page of paginateListModels(paging, {}, send)) {
    for (const m of page.Models ?? []) {
      await add("modelNames", m.ModelName, m.ModelArn, m.CreationTime);
    }
  }

  const now = clock.now();
  const ordered = [...groups.entries()].sort(([, a], [, b]) =>
    (a.createdAt ?? -Infinity) - (b.createdAt ?? -Infinity)
  );
  const deployments: SweptDeployment[] = [];
  for (const [deploymentId, found] of ordered) {
    const ageMs = found.createdAt === undefined ? undefined : now - found.createdAt;
    const base = {
      deploymentId,
      endpointNames: found.endpointNames,
      endpointConfigNames: found.endpointConfigNames,
      modelNames: found.modelNames,
      ...(found.createdAt !== undefined && {
        createdAt: new Date(found.createdAt).toISOString(),
      }),
      ...(ageMs !== undefined && { ageMs }),
    };
    if (olderThanMs > 0 && (ageMs === undefined || ageMs < olderThanMs)) {
      deployments.push({ ...base, action: "too-recent" });
      continue;
    }
    if (options.dryRun) {
      deployments.push({ ...base, action: "would-delete" });
      continue;
    }
    try {
      const result = await tearDownGroup(found, options, clock);
      deployments.push({ ...base, action: "deleted", result });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      deployments.push({ ...base, action: "failed", error });
    }
  }
  return { deployments };
}

async function tearDownGroup(
  found: Found,
  options: SweepOptions,
  clock: Clock,
): Promise<TeardownResult> {
  const common = {
    clients: options.clients,
    clock,
    ...(options.deleteS3Objects !== undefined && { deleteS3Objects: options.deleteS3Objects }),
    ...(options.maxWaitMs !== undefined && { maxWaitMs: options.maxWaitMs }),
    ...(options.signal !== undefined && { signal: options.signal }),
    ...(options.onProgress !== undefined && { onProgress: options.onProgress }),
  };
  const deleted: ResourceRef[] = [];
  const notFound: ResourceRef[] = [];
  // Extra endpoints first; the last call also removes the configs and models.
  const [first, ...others] = found.endpointNames;
  for (const endpointName of others) {
    const r = await teardown(
      { endpointName, endpointConfigNames: [], modelNames: [] },
      common,
    );
    deleted.push(...r.deleted);
    notFound.push(...r.notFound);
  }
  const r = await teardown({
    ...(first !== undefined && { endpointName: first }),
    endpointConfigNames: found.endpointConfigNames,
    modelNames: found.modelNames,
  }, common);
  deleted.push(...r.deleted);
  notFound.push(...r.notFound);
  return { deleted, notFound };
}
