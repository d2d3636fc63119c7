/**
 * Rebuilding the {@linkcode AsyncDeployment} handle of an endpoint that
 * already exists, e.g. one deployed by an earlier notebook or CLI run.
 *
 * @module
 */
import {
  DescribeEndpointCommand,
  type DescribeEndpointCommandOutput,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
} from "@aws-sdk/client-sagemaker";
import type { AwsClients } from "./clients.ts";
import { type Clock, systemClock } from "./clock.ts";
import { defaultAsyncEndpointPaths } from "./default_bucket.ts";
import { createDeploymentHandle } from "./deploy.ts";
import type { AsyncDeployment } from "./deployment.ts";
import { parseS3Uri } from "./s3_uri.ts";
import { fetchResourceTags, readDeploymentTags } from "./tags.ts";
import { assertSageMakerName } from "./validation.ts";
import { isSageMakerNotFoundError } from "./wait_for_endpoint.ts";

/** Options for {@linkcode findDeployment}. */
export interface FindDeploymentOptions {
  /** SageMaker to look the endpoint up; the rest for the handle's teardown. */
  clients: Pick<AwsClients, "sagemaker" | "autoscaling" | "cloudwatch" | "s3" | "region">;
  /** The endpoint. */
  endpointName: string;
  /** Variant to describe; default the endpoint's first variant. */
  variantName?: string;
  /**
   * Where payloads are uploaded. Default the endpoint's
   * `sagemaker-async:input-prefix` tag (written by `deployAsyncEndpoint`),
   * else the prefix `deployAsyncEndpoint` uses by default,
   * `s3://sagemaker-{region}-{account}/async-endpoint-inputs/{endpoint}`
   * (SageMaker does not record it, so pass yours for an endpoint deployed
   * another way).
   */
  inputPrefix?: string;
  /** Time source the handle's teardown waits on; default the system clock. */
  clock?: Clock;
  /** Cancels the look-up; it rejects with `signal.reason` unchanged. */
  signal?: AbortSignal;
}

/**
 * Looks up an existing asynchronous endpoint and rebuilds its
 * {@linkcode AsyncDeployment} handle: `DescribeEndpoint` (config name, ARN),
 * `DescribeEndpointConfig` (`AsyncInferenceConfig` output and failure
 * paths, the variant's model and instance type), `DescribeModel` (its ARN;
 * empty if the model is already gone) and `ListTags` (deployment id,
 * creation time, input prefix, JumpStart model). Resolves `undefined` when
 * the endpoint does not exist. The handle works like a fresh one:
 * `await using` or `teardown(handle, ...)` removes it.
 *
 * An endpoint the toolkit did not tag gets the deployment id
 * `untagged:<endpoint>`, its `CreationTime` and the default input prefix; an
 * input-prefix tag that is not an `s3://` URI is ignored the same way. A
 * `TypeError` says when the endpoint is not asynchronous or has no
 * `S3FailurePath`, or when the variant asked for does not exist. SDK errors
 * pass through unchanged. `jumpStartModel` comes from the JumpStart model id
 * and version tags, without `source`: the tags do not say where its spec was
 * read.
 *
 * @example An endpoint deployed earlier, against fake clients
 * ```ts
 * import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
 * import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
 * import { S3Client } from "@aws-sdk/client-s3";
 * import {
 *   DescribeEndpointCommand,
 *   DescribeEndpointConfigCommand,
 *   DescribeModelCommand,
 *   ListTagsCommand,
 *   SageMakerClient,
 * } from "@aws-sdk/client-sagemaker";
 * import { mockClient } from "aws-sdk-client-mock";
 * import { buildDeploymentTags, findDeployment } from "@sagemaker-async/toolkit";
 *
 * const region = "us-east-1";
 * const sagemaker = new SageMakerClient({ region });
 * mockClient(sagemaker)
 *   .on(DescribeEndpointCommand).resolves({
 *     EndpointName: "falcon",
 *     EndpointArn: "arn:aws:sagemaker:us-east-1:123456789012:endpoint/falcon",
 *     EndpointConfigName: "falcon",
 *     EndpointStatus: "InService",
 *     CreationTime: new Date(0),
 *     LastModifiedTime: new Date(0),
 *   })
 *   .on(DescribeEndpointConfigCommand).resolves({
 *     EndpointConfigArn: "arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/falcon",
 *     ProductionVariants: [{
 *       VariantName: "AllTraffic",
 *       ModelName: "falcon",
 *       InstanceType: "ml.g5.12xlarge",
 *     }],
 *     AsyncInferenceConfig: {
 *       OutputConfig: { S3OutputPath: "s3://bucket/out", S3FailurePath: "s3://bucket/fail" },
 *     },
 *   })
 *   .on(DescribeModelCommand).resolves({ ModelArn: "arn:aws:sagemaker:us-east-1:123456789012:model/falcon" })
 *   .on(ListTagsCommand).resolves({
 *     Tags: buildDeploymentTags({
 *       deploymentId: "d-1",
 *       createdAt: Date.UTC(2026, 0, 1),
 *       jumpStartModelId: "huggingface-llm-falcon-40b-instruct-bf16",
 *       jumpStartModelVersion: "2.3.22",
 *     }),
 *   });
 *
 * const deployment = await findDeployment({
 *   clients: {
 *     sagemaker,
 *     autoscaling: new ApplicationAutoScalingClient({ region }),
 *     cloudwatch: new CloudWatchClient({ region }),
 *     s3: new S3Client({ region }),
 *     region,
 *   },
 *   endpointName: "falcon",
 * });
 * if (deployment?.deploymentId !== "d-1") throw new Error("wrong deployment");
 * if (deployment.jumpStartModel?.version !== "2.3.22") throw new Error("no JumpStart model");
 * // No input-prefix tag here: the default prefix.
 * const expected = "s3://sagemaker-us-east-1-123456789012/async-endpoint-inputs/falcon";
 * if (deployment.inputPrefix !== expected) throw new Error(deployment.inputPrefix);
 * ```
 */
export async function findDeployment(
  options: FindDeploymentOptions,
): Promise<AsyncDeployment | undefined> {
  const { clients, endpointName, signal } = options;
  assertSageMakerName(endpointName, "endpoint name");
  if (options.variantName !== undefined) {
    assertSageMakerName(options.variantName, "variant name");
  }
  if (options.inputPrefix !== undefined) parseS3Uri(options.inputPrefix, "inputPrefix");
  signal?.throwIfAborted();
  const send = { abortSignal: signal };

  let endpoint: DescribeEndpointCommandOutput;
  try {
    endpoint = await clients.sagemaker.send(
      new DescribeEndpointCommand({ EndpointName: endpointName }),
      send,
    );
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (isSageMakerNotFoundError(error)) return undefined;
    throw error;
  }
  const endpointArn = endpoint.EndpointArn ?? "";
  const arn = /^arn:[^:]+:sagemaker:([^:]*):(\d{12}):/.exec(endpointArn);
  if (!arn) {
    throw new Error(
      `Endpoint "${endpointName}" has an unexpected ARN ${JSON.stringify(endpointArn)}: ` +
        "expected arn:<partition>:sagemaker:<region>:<12-digit account>:endpoint/<name>",
    );
  }
  const accountId = arn[2]!;
  const endpointConfigName = endpoint.EndpointConfigName ?? "";
  const config = await clients.sagemaker.send(
    new DescribeEndpointConfigCommand({ EndpointConfigName: endpointConfigName }),
    send,
  );
  const variants = config.ProductionVariants ?? [];
  const variant = options.variantName === undefined
    ? variants[0]
    : variants.find((v) => v.VariantName === options.variantName);
  if (variant === undefined) {
    throw new TypeError(
      `Endpoint "${endpointName}" has no variant ${
        JSON.stringify(options.variantName ?? "(any)")
      }: its endpoint config ${endpointConfigName} has ${
        variants.map((v) => v.VariantName).join(", ") || "none"
      }`,
    );
  }
  const output = config.AsyncInferenceConfig?.OutputConfig;
  if (output?.S3OutputPath === undefined) {
    throw new TypeError(
      `Endpoint "${endpointName}" is not asynchronous: its endpoint config ` +
        `${endpointConfigName} has no AsyncInferenceConfig.OutputConfig.S3OutputPath`,
    );
  }
  if (output.S3FailurePath === undefined) {
    throw new TypeError(
      `Endpoint "${endpointName}" has no S3FailurePath, so failures cannot be told apart ` +
        `from pending results; redeploy with one, or use teardown({ endpointName }) to remove it`,
    );
  }

  const modelName = variant.ModelName ?? "";
  const [modelArn, tags] = await Promise.all([
    describeModelArn(clients, modelName, signal),
    fetchResourceTags({ clients, resourceArn: endpointArn, signal }),
  ]);
  const info = readDeploymentTags(tags);
  const createdAt = info.createdAt ?? endpoint.CreationTime?.getTime() ??
    (options.clock ?? systemClock).now();
  const region = clients.region;
  return createDeploymentHandle({
    deploymentId: info.deploymentId ?? `untagged:${endpointName}`,
    region,
    accountId,
    endpointName,
    endpointConfigName,
    modelName,
    variantName: variant.VariantName ?? "",
    instanceType: variant.InstanceType ?? "",
    modelArn,
    endpointConfigArn: config.EndpointConfigArn ?? "",
    endpointArn,
    outputPath: output.S3OutputPath,
    failurePath: output.S3FailurePath,
    inputPrefix: options.inputPrefix ?? taggedInputPrefix(info.inputPrefix) ??
      defaultAsyncEndpointPaths({ region, accountId, endpointName }).inputPrefix,
    createdAt: new Date(createdAt).toISOString(),
    tags,
    ...(info.jumpStartModelId !== undefined && info.jumpStartModelVersion !== undefined && {
      jumpStartModel: { modelId: info.jumpStartModelId, version: info.jumpStartModelVersion },
    }),
  }, { clients, ...(options.clock !== undefined && { clock: options.clock }) });
}

/** The tagged input prefix if it is an `s3://` URI (a hand-edited tag may not be). */
function taggedInputPrefix(tagged: string | undefined): string | undefined {
  if (tagged === undefined) return undefined;
  try {
    parseS3Uri(tagged, "inputPrefix");
    return tagged;
  } catch {
    return undefined;
  }
}

async function describeModelArn(
  clients: Pick<AwsClients, "sagemaker">,
  modelName: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  if (modelName === "") return "";
  try {
    const model = await clients.sagemaker.send(
      new DescribeModelCommand({ ModelName: modelName }),
      { abortSignal: signal },
    );
    return model.ModelArn ?? "";
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (isSageMakerNotFoundError(error)) return "";
    throw error;
  }
}
