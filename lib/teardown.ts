/**
 * Removing a deployment: scale-to-zero resources, endpoint, endpoint config,
 * model and, optionally, the S3 objects it used.
 *
 * @module
 */
import { DeleteObjectsCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  type DescribeEndpointCommandOutput,
  DescribeEndpointConfigCommand,
} from "@aws-sdk/client-sagemaker";
import type { AwsClients } from "./clients.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { AsyncDeployment, RemovalResult, ResourceRef, ResourceType } from "./deployment.ts";
import { emitProgress, type ProgressCallback } from "./progress.ts";
import { parseS3Uri } from "./s3_uri.ts";
import { DEFAULT_VARIANT_NAME, disableScaleToZero } from "./scale_to_zero.ts";
import { assertDurationMs, assertSageMakerName } from "./validation.ts";
import { isSageMakerNotFoundError, waitForEndpointDeleted } from "./wait_for_endpoint.ts";

/** What to tear down when there is no {@linkcode AsyncDeployment} handle. */
export interface TeardownTarget {
  /** The endpoint, if any (its scale-to-zero resources go too). */
  endpointName?: string;
  /** Variant whose scale-to-zero resources to remove; default every variant of the endpoint. */
  variantName?: string;
  /** Endpoint configs; default the endpoint's current config. */
  endpointConfigNames?: readonly string[];
  /** Models; default the models of those endpoint configs. */
  modelNames?: readonly string[];
  /** Input prefix, for `deleteS3Objects`. */
  inputPrefix?: string;
  /** Output path, for `deleteS3Objects`; default the endpoint config's. */
  outputPath?: string;
  /** Failure path, for `deleteS3Objects`; default the endpoint config's. */
  failurePath?: string;
}

/** Options for {@linkcode teardown}. */
export interface TeardownOptions {
  /** Clients for every resource kind. */
  clients: Pick<AwsClients, "sagemaker" | "autoscaling" | "cloudwatch" | "s3">;
  /**
   * Also delete every object under the input, output and failure prefixes
   * (ListObjectsV2 + DeleteObjects in batches of 1000). Default false.
   */
  deleteS3Objects?: boolean;
  /** Longest wait for the endpoint to disappear (ms); default 30 minutes. */
  maxWaitMs?: number;
  /** Time source; default the system clock. */
  clock?: Clock;
  /** Stops the teardown; rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Receives `resource-deleted` and `endpoint-status` events. */
  onProgress?: ProgressCallback;
}

/** What {@linkcode teardown} deleted and found already gone. */
export type TeardownResult = RemovalResult;

/**
 * Deletes a deployment in reverse order: the wake-from-zero alarm, the
 * scaling policies, the scalable target, the endpoint (waiting until it is
 * gone), the endpoint config, the model and, with `deleteS3Objects`, the
 * objects under its S3 prefixes. Idempotent: resources already gone are
 * listed in `notFound`. Names not given are looked up (`DescribeEndpoint`,
 * `DescribeEndpointConfig`) while the resources still exist.
 *
 * @example Tearing down what is already gone reports it as not found
 * ```ts
 * import {
 *   ApplicationAutoScalingClient,
 *   DeleteScalingPolicyCommand,
 *   DeregisterScalableTargetCommand,
 * } from "@aws-sdk/client-application-auto-scaling";
 * import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
 * import { S3Client } from "@aws-sdk/client-s3";
 * import { SageMakerClient } from "@aws-sdk/client-sagemaker";
 * import { mockClient } from "aws-sdk-client-mock";
 * import { teardown } from "@sagemaker-async/toolkit";
 *
 * const error = (name: string) => Object.assign(new Error("Could not find it."), { name });
 * const sagemaker = new SageMakerClient({ region: "us-east-1" });
 * mockClient(sagemaker).onAnyCommand().rejects(error("ValidationException"));
 * const autoscaling = new ApplicationAutoScalingClient({ region: "us-east-1" });
 * mockClient(autoscaling)
 *   .on(DeleteScalingPolicyCommand).rejects(error("ObjectNotFoundException"))
 *   .on(DeregisterScalableTargetCommand).rejects(error("ObjectNotFoundException"));
 * const cloudwatch = new CloudWatchClient({ region: "us-east-1" });
 * mockClient(cloudwatch).on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
 * const s3 = new S3Client({ region: "us-east-1" });
 *
 * const result = await teardown(
 *   { endpointName: "falcon", endpointConfigNames: ["falcon"], modelNames: ["falcon"] },
 *   { clients: { sagemaker, autoscaling, cloudwatch, s3 } },
 * );
 * if (result.deleted.length !== 0 || result.notFound.length !== 7) throw new Error();
 * ```
 */
export async function teardown(
  target: AsyncDeployment | TeardownTarget,
  options: TeardownOptions,
): Promise<TeardownResult> {
  const { clients, signal, onProgress } = options;
  const clock = options.clock ?? systemClock;
  const plan = normalize(target);
  if (plan.endpointName !== undefined) assertSageMakerName(plan.endpointName, "endpoint name");
  if (plan.variantName !== undefined) assertSageMakerName(plan.variantName, "variant name");
  plan.endpointConfigNames?.forEach((n) => assertSageMakerName(n, "endpoint config name"));
  plan.modelNames?.forEach((n) => assertSageMakerName(n, "model name"));
  const maxWaitMs = options.maxWaitMs ?? 30 * 60_000;
  assertDurationMs(maxWaitMs, "maxWaitMs");
  for (const key of ["inputPrefix", "outputPath", "failurePath"] as const) {
    const uri = plan[key];
    if (uri === undefined) continue;
    const { key: prefix } = parseS3Uri(uri, key);
    if (options.deleteS3Objects && prefix.replace(/\/+$/, "") === "") {
      throw new TypeError(
        `Refusing to delete every object in a bucket: ${key} ${JSON.stringify(uri)} has no prefix`,
      );
    }
  }
  signal?.throwIfAborted();

  const start = clock.now();
  const send = { abortSignal: signal };
  const deleted: ResourceRef[] = [];
  const notFound: ResourceRef[] = [];
  const report = (type: ResourceType, name: string, existed: boolean) => {
    (existed ? deleted : notFound).push({ type, name });
    emitProgress(onProgress, {
      type: "resource-deleted",
      resource: type,
      name,
      outcome: existed ? "deleted" : "not-found",
      elapsedMs: clock.now() - start,
      message: existed ? `Deleted ${type} ${name}` : `No ${type} ${name} to delete`,
    });
  };
  const sageMakerDelete = async (
    type: ResourceType,
    name: string,
    call: () => Promise<unknown>,
  ) => {
    try {
      await call();
      report(type, name, true);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (!isSageMakerNotFoundError(error)) throw error;
      report(type, name, false);
    }
  };
  const lookup = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (!isSageMakerNotFoundError(error)) throw error;
      return undefined;
    }
  };

  let endpoint: DescribeEndpointCommandOutput | undefined;
  if (plan.endpointName !== undefined) {
    const endpointName = plan.endpointName;
    endpoint = await lookup(() =>
      clients.sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }), send)
    );
    const variants = plan.variantName !== undefined
      ? [plan.variantName]
      : endpoint?.ProductionVariants?.flatMap((v) => v.VariantName ?? []) ?? [];
    for (const variantName of variants.length > 0 ? variants : [DEFAULT_VARIANT_NAME]) {
      const removed = await disableScaleToZero({
        clients,
        endpointName,
        variantName,
        clock,
        ...(signal !== undefined && { signal }),
        ...(onProgress !== undefined && { onProgress }),
      });
      deleted.push(...removed.deleted);
      notFound.push(...removed.notFound);
    }
    if (endpoint === undefined) {
      report("endpoint", endpointName, false);
    } else {
      if (endpoint.EndpointStatus === "Deleting") {
        // Someone else already asked; wait for it like our own delete.
        report("endpoint", endpointName, true);
      } else {
        await sageMakerDelete(
          "endpoint",
          endpointName,
          () =>
            clients.sagemaker.send(new DeleteEndpointCommand({ EndpointName: endpointName }), send),
        );
      }
      await waitForEndpointDeleted({
        clients,
        endpointName,
        clock,
        maxWaitMs,
        ...(signal !== undefined && { signal }),
        ...(onProgress !== undefined && { onProgress }),
      });
    }
  }

  const configNames = plan.endpointConfigNames ??
    (endpoint?.EndpointConfigName ? [endpoint.EndpointConfigName] : []);
  const modelNames = new Set(plan.modelNames ?? []);
  const paths = {
    inputPrefix: plan.inputPrefix,
    outputPath: plan.outputPath,
    failurePath: plan.failurePath,
  };
  for (const configName of configNames) {
    if (plan.modelNames === undefined || (options.deleteS3Objects && !paths.outputPath)) {
      const config = await lookup(() =>
        clients.sagemaker.send(
          new DescribeEndpointConfigCommand({ EndpointConfigName: configName }),
          send,
        )
      );
      if (plan.modelNames === undefined) {
        for (const v of config?.ProductionVariants ?? []) {
          if (v.ModelName) modelNames.add(v.ModelName);
        }
      }
      const output = config?.AsyncInferenceConfig?.OutputConfig;
      paths.outputPath ??= output?.S3OutputPath;
      paths.failurePath ??= output?.S3FailurePath;
    }
    await sageMakerDelete("endpoint-config", configName, () =>
      clients.sagemaker.send(
        new DeleteEndpointConfigCommand({ EndpointConfigName: configName }),
        send,
      ));
  }
  for (const modelName of modelNames) {
    await sageMakerDelete(
      "model",
      modelName,
      () => clients.sagemaker.send(new DeleteModelCommand({ ModelName: modelName }), send),
    );
  }

  if (options.deleteS3Objects) {
    const prefixes = new Set<string>();
    for (const uri of [paths.inputPrefix, paths.outputPath, paths.failurePath]) {
      if (uri === undefined) continue;
      const { bucket, key } = parseS3Uri(uri);
      const prefix = key.replace(/\/+$/, "");
      if (prefix !== "") prefixes.add(`s3://${bucket}/${prefix}/`);
    }
    for (const uri of prefixes) {
      const count = await deleteObjectsUnder(clients, uri, signal);
      report("s3-prefix", uri, count > 0);
    }
  }
  return { deleted, notFound };
}

function normalize(target: AsyncDeployment | TeardownTarget): TeardownTarget {
  if ("deploymentId" in target && "modelName" in target) {
    return {
      endpointName: target.endpointName,
      variantName: target.variantName,
      endpointConfigNames: [target.endpointConfigName],
      modelNames: [target.modelName],
      inputPrefix: target.inputPrefix,
      outputPath: target.outputPath,
      failurePath: target.failurePath,
    };
  }
  return target;
}

async function deleteObjectsUnder(
  clients: Pick<AwsClients, "s3">,
  uri: string,
  signal: AbortSignal | undefined,
): Promise<number> {
  const { bucket, key: prefix } = parseS3Uri(uri);
  let count = 0;
  let token: string | undefined;
  const failures: string[] = [];
  try {
    do {
      const page = await clients.s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        { abortSignal: signal },
      );
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        const result = await clients.s3.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
          { abortSignal: signal },
        );
        const errors = result.Errors ?? [];
        count += batch.length - errors.length;
        failures.push(...errors.map((e) => `${e.Key} (${e.Code}: ${e.Message})`));
      }
      token = page.NextContinuationToken;
    } while (token);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if ((error as { name?: unknown })?.name === "NoSuchBucket") return 0;
    throw error;
  }
  if (failures.length > 0) {
    throw new Error(
      `Could not delete ${failures.length} object(s) under ${uri}: ${
        failures.slice(0, 5).join(", ")
      }${failures.length > 5 ? ", ..." : ""}`,
    );
  }
  return count;
}
