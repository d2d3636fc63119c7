/**
 * Deploying a model (by default JumpStart Falcon-40B-instruct) to a
 * SageMaker asynchronous endpoint.
 *
 * @module
 */
import { type BucketLocationConstraint, CreateBucketCommand } from "@aws-sdk/client-s3";
import {
  type ContainerDefinition,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  type ProductionVariantInstanceType,
} from "@aws-sdk/client-sagemaker";
import type { AwsClients } from "./clients.ts";
import { type Clock, systemClock } from "./clock.ts";
import { defaultAsyncEndpointPaths, resolveAccountId } from "./default_bucket.ts";
import type { AsyncDeployment, ResourceType } from "./deployment.ts";
import { UnsupportedInstanceTypeError } from "./errors.ts";
import { FALCON_40B_INSTRUCT_MODEL_ID } from "./jumpstart/falcon_40b_instruct_snapshot.ts";
import { type JumpStartSource, resolveJumpStartModel } from "./jumpstart/resolve_model.ts";
import type { JumpStartModelSpec, ModelDataLocation } from "./jumpstart/spec.ts";
import { emitProgress, type ProgressCallback } from "./progress.ts";
import { parseS3Uri } from "./s3_uri.ts";
import { DEFAULT_VARIANT_NAME } from "./scale_to_zero.ts";
import { buildDeploymentTags, tagsToRecord } from "./tags.ts";
import { teardown } from "./teardown.ts";
import {
  assertContainerEnvironment,
  assertDurationMs,
  assertIamRoleArn,
  assertInstanceType,
  assertIntegerInRange,
  assertKmsKeyId,
  assertSageMakerName,
  assertSnsTopicArn,
} from "./validation.ts";
import { isSageMakerNotFoundError, waitForEndpointInService } from "./wait_for_endpoint.ts";

/** A model that is not from JumpStart: your own image and weights. */
export interface CustomModelSpec {
  /** Container image URI. */
  imageUri: string;
  /** Model weights, if the container needs any. */
  modelData?: ModelDataLocation;
  /** Container environment. */
  environment?: Readonly<Record<string, string>>;
  /** Run without network access; default false. */
  enableNetworkIsolation?: boolean;
  /** Whether `modelData` needs its EULA accepted (`acceptEula`); default false. */
  requiresEula?: boolean;
}

/** Where SNS notifications may include the inference response. */
export type InferenceResponseTopic = "SUCCESS_NOTIFICATION_TOPIC" | "ERROR_NOTIFICATION_TOPIC";

/** Options for {@linkcode deployAsyncEndpoint}. */
export interface DeployAsyncEndpointOptions {
  /** Clients (from `createClients()`); `endpoint` marks the emulator. */
  clients: Pick<
    AwsClients,
    "sagemaker" | "s3" | "sts" | "autoscaling" | "cloudwatch" | "region" | "endpoint"
  >;
  /** JumpStart model id; default `huggingface-llm-falcon-40b-instruct-bf16`. */
  modelId?: string;
  /** JumpStart model version; default `*` (the highest). */
  modelVersion?: string;
  /** Where to read the JumpStart spec; default `auto` (bucket, else offline snapshot). */
  jumpStartSource?: JumpStartSource;
  /** JumpStart content bucket override. */
  jumpStartBucket?: string;
  /** An already-resolved JumpStart spec, or your own image and weights (then no lookup). */
  model?: JumpStartModelSpec | CustomModelSpec;
  /** Instance type; default the JumpStart spec's default (required for a custom model). */
  instanceType?: string;
  /** Instances at creation (`InitialInstanceCount`); default 1. */
  initialInstanceCount?: number;
  /** Extra container variables, applied over the model's. */
  environment?: Readonly<Record<string, string>>;
  /** IAM role SageMaker assumes; required on AWS, optional against a custom endpoint. */
  executionRoleArn?: string;
  /** Accept the model's end-user license agreement (needed when the spec has one). */
  acceptEula?: boolean;
  /** Endpoint name; default the model id plus a timestamp and random suffix. */
  endpointName?: string;
  /** Endpoint config name; default the endpoint name. */
  endpointConfigName?: string;
  /** Model name; default the endpoint name. */
  modelName?: string;
  /** Variant name; default `AllTraffic`. */
  variantName?: string;
  /** Deployment id tag; default a random UUID. */
  deploymentId?: string;
  /** `S3OutputPath`; default `s3://sagemaker-{region}-{account}/async-endpoint-outputs/{endpoint}`. */
  outputPath?: string;
  /** `S3FailurePath`; default `s3://sagemaker-{region}-{account}/async-endpoint-failures/{endpoint}`. */
  failurePath?: string;
  /**
   * Where payloads go; default `s3://sagemaker-{region}-{account}/async-endpoint-inputs/{endpoint}`.
   * Recorded in the `sagemaker-async:input-prefix` tag, so it must fit a tag value once
   * escaped (256 characters; a `RangeError` says when it does not).
   */
  inputPrefix?: string;
  /** KMS key for the outputs. */
  kmsKeyId?: string;
  /** SNS topic ARN notified of successes. */
  successTopicArn?: string;
  /** SNS topic ARN notified of failures. */
  errorTopicArn?: string;
  /** Notifications that include the response (if at most 128 KB). */
  includeInferenceResponseIn?: readonly InferenceResponseTopic[];
  /** `MaxConcurrentInvocationsPerInstance` (1-1000); default chosen by SageMaker. */
  maxConcurrentInvocationsPerInstance?: number;
  /** `ModelDataDownloadTimeoutInSeconds` of the variant (60-3600). */
  modelDataDownloadTimeoutSeconds?: number;
  /** `ContainerStartupHealthCheckTimeoutInSeconds` of the variant (60-3600). */
  containerStartupHealthCheckTimeoutSeconds?: number;
  /** Extra tags on every resource. */
  tags?: Readonly<Record<string, string>>;
  /** Wait until the endpoint is `InService`; default true. */
  waitForInService?: boolean;
  /** Longest wait for `InService` (ms); default 45 minutes. */
  maxWaitMs?: number;
  /** Time source; default the system clock. */
  clock?: Clock;
  /** Stops the deployment (what was created is removed); rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Receives `resource-created` and `endpoint-status` events. */
  onProgress?: ProgressCallback;
}

const RESPONSE_TOPICS: readonly InferenceResponseTopic[] = [
  "SUCCESS_NOTIFICATION_TOPIC",
  "ERROR_NOTIFICATION_TOPIC",
];

/**
 * Deploys a model to an asynchronous endpoint: resolves the JumpStart model
 * (or takes the given one), makes sure the default bucket exists when
 * default S3 paths are used, then CreateModel -> CreateEndpointConfig (with
 * `AsyncInferenceConfig`) -> CreateEndpoint, and waits until `InService`.
 * Every argument is checked first (`TypeError`/`RangeError`). Every resource
 * is tagged (`sagemaker-async:managed`, `:deployment-id`, `:created-at`,
 * `:input-prefix`, the JumpStart model id and version, and `tags`), so
 * `findDeployment` can rebuild the handle later. If a step fails, what this
 * call created is deleted in reverse order and the original error rethrown
 * (an `AggregateError` if that cleanup fails too). The result works with
 * `await using`: leaving the scope tears the deployment down.
 *
 * @example Falcon-40B-instruct from the offline snapshot, against fake clients
 * ```ts
 * import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
 * import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
 * import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
 * import {
 *   CreateEndpointCommand,
 *   CreateEndpointConfigCommand,
 *   CreateModelCommand,
 *   DescribeEndpointCommand,
 *   SageMakerClient,
 * } from "@aws-sdk/client-sagemaker";
 * import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
 * import { mockClient } from "aws-sdk-client-mock";
 * import { deployAsyncEndpoint } from "@sagemaker-async/toolkit";
 * import { ManualClock } from "@sagemaker-async/toolkit/testing";
 *
 * const region = "us-east-1";
 * const sagemaker = new SageMakerClient({ region });
 * mockClient(sagemaker)
 *   .on(CreateModelCommand).resolves({ ModelArn: "arn:model" })
 *   .on(CreateEndpointConfigCommand).resolves({ EndpointConfigArn: "arn:config" })
 *   .on(CreateEndpointCommand).resolves({ EndpointArn: "arn:endpoint" })
 *   .on(DescribeEndpointCommand).resolves({ EndpointStatus: "InService" });
 * const sts = new STSClient({ region });
 * mockClient(sts).on(GetCallerIdentityCommand).resolves({ Account: "123456789012" });
 * const s3 = new S3Client({ region });
 * mockClient(s3).on(CreateBucketCommand).resolves({});
 *
 * const deployment = await deployAsyncEndpoint({
 *   clients: {
 *     sagemaker,
 *     sts,
 *     s3,
 *     autoscaling: new ApplicationAutoScalingClient({ region }),
 *     cloudwatch: new CloudWatchClient({ region }),
 *     region,
 *   },
 *   executionRoleArn: "arn:aws:iam::123456789012:role/SageMakerExecution",
 *   instanceType: "ml.g5.12xlarge",
 *   jumpStartSource: "snapshot",
 *   endpointName: "falcon-async",
 *   clock: new ManualClock({ autoAdvance: true }),
 * });
 * const expected = "s3://sagemaker-us-east-1-123456789012/async-endpoint-outputs/falcon-async";
 * if (deployment.outputPath !== expected) throw new Error(deployment.outputPath);
 * ```
 */
export async function deployAsyncEndpoint(
  options: DeployAsyncEndpointOptions,
): Promise<AsyncDeployment> {
  const { clients, signal, onProgress } = options;
  const clock = options.clock ?? systemClock;
  const region = clients.region;
  const given = options.model;
  const jumpStartGiven = given !== undefined && "modelId" in given;
  const modelId = jumpStartGiven
    ? given.modelId
    : given === undefined
    ? options.modelId ?? FALCON_40B_INSTRUCT_MODEL_ID
    : undefined;

  // ---- validation, before any call ----
  if (given !== undefined && !jumpStartGiven) assertCustomModel(given);
  if (given !== undefined && (options.modelId !== undefined || options.modelVersion)) {
    throw new TypeError(
      "Pass either model (already resolved) or modelId/modelVersion (to resolve), not both",
    );
  }
  if (options.instanceType !== undefined) assertInstanceType(options.instanceType);
  if (given !== undefined && !jumpStartGiven && options.instanceType === undefined) {
    throw new TypeError("A custom model needs an instanceType, e.g. ml.g5.12xlarge");
  }
  if (jumpStartGiven) {
    if (given.region !== region) {
      throw new TypeError(
        `The JumpStart spec was resolved for region ${given.region}, but the clients use ` +
          `${region}; image and model data are regional, so resolve it for ${region}`,
      );
    }
    if (options.instanceType !== undefined && options.instanceType !== given.instanceType) {
      if (!given.supportedInstanceTypes.includes(options.instanceType)) {
        throw new UnsupportedInstanceTypeError({
          modelId: given.modelId,
          instanceType: options.instanceType,
          supported: given.supportedInstanceTypes,
        });
      }
      throw new TypeError(
        `The JumpStart spec was resolved for ${given.instanceType}, not ${options.instanceType}; ` +
          "resolve it again with that instanceType (its environment depends on it)",
      );
    }
  }
  const initialInstanceCount = options.initialInstanceCount ?? 1;
  assertIntegerInRange(initialInstanceCount, "initialInstanceCount", { min: 1, max: 10_000 });
  if (options.environment !== undefined) assertContainerEnvironment(options.environment);
  if (options.executionRoleArn !== undefined) assertIamRoleArn(options.executionRoleArn);
  else if (clients.endpoint === undefined) {
    throw new TypeError(
      "executionRoleArn is required on AWS: SageMaker assumes this IAM role to pull the image " +
        "and read the model data and S3 payloads (e.g. a role with AmazonSageMakerFullAccess)",
    );
  }
  if (options.acceptEula !== undefined && typeof options.acceptEula !== "boolean") {
    throw new TypeError(
      `Invalid acceptEula ${JSON.stringify(options.acceptEula)}: must be boolean`,
    );
  }
  const createdAt = clock.now();
  const deploymentId = options.deploymentId ?? crypto.randomUUID();
  // Checks the id, a given input prefix and the user's tags now; the final tags add the
  // resolved version and the default input prefix (which always fits a tag).
  buildDeploymentTags({
    deploymentId,
    createdAt,
    ...(options.inputPrefix !== undefined && { inputPrefix: options.inputPrefix }),
    ...(options.tags !== undefined && { userTags: options.tags }),
  });
  const endpointName = options.endpointName ??
    uniqueName(modelId ?? "model", createdAt);
  assertSageMakerName(endpointName, "endpoint name");
  const endpointConfigName = options.endpointConfigName ?? endpointName;
  assertSageMakerName(endpointConfigName, "endpoint config name");
  const modelName = options.modelName ?? endpointName;
  assertSageMakerName(modelName, "model name");
  const variantName = options.variantName ?? DEFAULT_VARIANT_NAME;
  assertSageMakerName(variantName, "variant name");
  if (options.outputPath !== undefined) parseS3Uri(options.outputPath, "outputPath");
  if (options.failurePath !== undefined) parseS3Uri(options.failurePath, "failurePath");
  if (options.inputPrefix !== undefined) parseS3Uri(options.inputPrefix, "inputPrefix");
  for (
    const [what, uri] of [["outputPath", options.outputPath], [
      "failurePath",
      options.failurePath,
    ]] as const
  ) {
    if (uri !== undefined && uri.length > 512) {
      throw new RangeError(`Invalid ${what}: ${uri.length} characters, at most 512 allowed`);
    }
  }
  if (options.kmsKeyId !== undefined) assertKmsKeyId(options.kmsKeyId);
  if (options.successTopicArn !== undefined) {
    assertSnsTopicArn(options.successTopicArn, "successTopicArn");
  }
  if (options.errorTopicArn !== undefined) {
    assertSnsTopicArn(options.errorTopicArn, "errorTopicArn");
  }
  for (const topic of options.includeInferenceResponseIn ?? []) {
    if (!RESPONSE_TOPICS.includes(topic)) {
      throw new TypeError(
        `Invalid includeInferenceResponseIn entry ${JSON.stringify(topic)}: ` +
          `must be one of ${RESPONSE_TOPICS.join(", ")}`,
      );
    }
  }
  if (options.maxConcurrentInvocationsPerInstance !== undefined) {
    assertIntegerInRange(
      options.maxConcurrentInvocationsPerInstance,
      "maxConcurrentInvocationsPerInstance",
      { min: 1, max: 1000 },
    );
  }
  for (
    const [what, value] of [
      ["modelDataDownloadTimeoutSeconds", options.modelDataDownloadTimeoutSeconds],
      [
        "containerStartupHealthCheckTimeoutSeconds",
        options.containerStartupHealthCheckTimeoutSeconds,
      ],
    ] as const
  ) {
    if (value !== undefined) assertIntegerInRange(value, what, { min: 60, max: 3600 });
  }
  if (options.maxWaitMs !== undefined) assertDurationMs(options.maxWaitMs, "maxWaitMs");
  signal?.throwIfAborted();

  // ---- the model ----
  let spec: JumpStartModelSpec | undefined;
  let container: { imageUri: string; modelData?: ModelDataLocation; requiresEula: boolean };
  let environment: Record<string, string>;
  let enableNetworkIsolation: boolean;
  let instanceType: string;
  if (given === undefined || jumpStartGiven) {
    spec = jumpStartGiven ? given : await resolveJumpStartModel({
      clients,
      modelId: modelId!,
      ...(options.modelVersion !== undefined && { version: options.modelVersion }),
      ...(options.instanceType !== undefined && { instanceType: options.instanceType }),
      ...(options.environment !== undefined && { environment: options.environment }),
      ...(options.jumpStartSource !== undefined && { source: options.jumpStartSource }),
      ...(options.jumpStartBucket !== undefined && { bucket: options.jumpStartBucket }),
      ...(signal !== undefined && { signal }),
    });
    container = {
      imageUri: spec.imageUri,
      modelData: spec.modelData,
      requiresEula: spec.requiresEula,
    };
    environment = { ...spec.environment, ...(jumpStartGiven ? options.environment : {}) };
    enableNetworkIsolation = spec.enableNetworkIsolation;
    instanceType = spec.instanceType;
  } else {
    container = {
      imageUri: given.imageUri,
      ...(given.modelData !== undefined && { modelData: given.modelData }),
      requiresEula: given.requiresEula ?? false,
    };
    environment = { ...given.environment, ...options.environment };
    enableNetworkIsolation = given.enableNetworkIsolation ?? false;
    instanceType = options.instanceType!;
  }
  assertContainerEnvironment(environment);
  if (container.requiresEula && options.acceptEula !== true) {
    throw new TypeError(
      `Model ${spec?.modelId ?? container.imageUri} comes with an end-user license agreement` +
        `${spec?.eulaUri ? ` (${spec.eulaUri})` : ""}: read it and pass acceptEula: true to ` +
        "accept it; SageMaker refuses to load the weights otherwise",
    );
  }

  // ---- account, default bucket ----
  const accountId = await resolveAccountId({
    clients,
    ...(signal !== undefined && { signal }),
  });
  const defaults = defaultAsyncEndpointPaths({ region, accountId, endpointName });
  const usesDefaultBucket = options.outputPath === undefined ||
    options.failurePath === undefined || options.inputPrefix === undefined;
  const outputPath = options.outputPath ?? defaults.outputPath;
  const failurePath = options.failurePath ?? defaults.failurePath;
  const inputPrefix = options.inputPrefix ?? defaults.inputPrefix;
  if (usesDefaultBucket) await ensureBucket(clients, defaults.bucket, region, signal);

  const tagList = buildDeploymentTags({
    deploymentId,
    createdAt,
    inputPrefix,
    ...(spec !== undefined && {
      jumpStartModelId: spec.modelId,
      jumpStartModelVersion: spec.version,
    }),
    ...(options.tags !== undefined && { userTags: options.tags }),
  });

  // ---- create, rolling back on failure ----
  const start = clock.now();
  const created: { type: ResourceType; name: string }[] = [];
  const onCreated = (type: ResourceType, name: string, arn: string | undefined) => {
    created.push({ type, name });
    emitProgress(onProgress, {
      type: "resource-created",
      resource: type,
      name,
      ...(arn !== undefined && { arn }),
      elapsedMs: clock.now() - start,
      message: `Created ${type} ${name}`,
    });
  };
  const send = { abortSignal: signal };
  try {
    const primary: ContainerDefinition = { Image: container.imageUri, Environment: environment };
    if (container.modelData?.kind === "tarball") {
      primary.ModelDataUrl = container.modelData.s3Uri;
    } else if (container.modelData?.kind === "prefix") {
      primary.ModelDataSource = {
        S3DataSource: {
          S3Uri: container.modelData.s3Uri,
          S3DataType: "S3Prefix",
          CompressionType: "None",
          ...(container.requiresEula && { ModelAccessConfig: { AcceptEula: true } }),
        },
      };
    }
    const model = await clients.sagemaker.send(
      new CreateModelCommand({
        ModelName: modelName,
        PrimaryContainer: primary,
        ...(options.executionRoleArn !== undefined &&
          { ExecutionRoleArn: options.executionRoleArn }),
        EnableNetworkIsolation: enableNetworkIsolation,
        Tags: tagList,
      }),
      send,
    );
    onCreated("model", modelName, model.ModelArn);

    const notification = {
      ...(options.successTopicArn !== undefined && { SuccessTopic: options.successTopicArn }),
      ...(options.errorTopicArn !== undefined && { ErrorTopic: options.errorTopicArn }),
      ...(options.includeInferenceResponseIn !== undefined &&
        { IncludeInferenceResponseIn: [...options.includeInferenceResponseIn] }),
    };
    const config = await clients.sagemaker.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: endpointConfigName,
        ProductionVariants: [{
          VariantName: variantName,
          ModelName: modelName,
          InitialInstanceCount: initialInstanceCount,
          InstanceType: instanceType as ProductionVariantInstanceType,
          InitialVariantWeight: 1,
          ...(options.modelDataDownloadTimeoutSeconds !== undefined &&
            { ModelDataDownloadTimeoutInSeconds: options.modelDataDownloadTimeoutSeconds }),
          ...(options.containerStartupHealthCheckTimeoutSeconds !== undefined && {
            ContainerStartupHealthCheckTimeoutInSeconds:
              options.containerStartupHealthCheckTimeoutSeconds,
          }),
        }],
        AsyncInferenceConfig: {
          OutputConfig: {
            S3OutputPath: outputPath,
            S3FailurePath: failurePath,
            ...(options.kmsKeyId !== undefined && { KmsKeyId: options.kmsKeyId }),
            ...(Object.keys(notification).length > 0 && { NotificationConfig: notification }),
          },
          ...(options.maxConcurrentInvocationsPerInstance !== undefined && {
            ClientConfig: {
              MaxConcurrentInvocationsPerInstance: options.maxConcurrentInvocationsPerInstance,
            },
          }),
        },
        Tags: tagList,
      }),
      send,
    );
    onCreated("endpoint-config", endpointConfigName, config.EndpointConfigArn);

    const endpoint = await clients.sagemaker.send(
      new CreateEndpointCommand({
        EndpointName: endpointName,
        EndpointConfigName: endpointConfigName,
        Tags: tagList,
      }),
      send,
    );
    onCreated("endpoint", endpointName, endpoint.EndpointArn);

    if (options.waitForInService ?? true) {
      await waitForEndpointInService({
        clients,
        endpointName,
        clock,
        ...(options.maxWaitMs !== undefined && { maxWaitMs: options.maxWaitMs }),
        ...(signal !== undefined && { signal }),
        ...(onProgress !== undefined && { onProgress }),
      });
    }

    return createDeploymentHandle({
      deploymentId,
      region,
      accountId,
      endpointName,
      endpointConfigName,
      modelName,
      variantName,
      instanceType,
      modelArn: model.ModelArn ?? "",
      endpointConfigArn: config.EndpointConfigArn ?? "",
      endpointArn: endpoint.EndpointArn ?? "",
      outputPath,
      failurePath,
      inputPrefix,
      createdAt: new Date(createdAt).toISOString(),
      tags: tagsToRecord(tagList),
      ...(spec !== undefined && {
        jumpStartModel: {
          modelId: spec.modelId,
          version: spec.version,
          source: spec.source,
          ...(spec.fallbackReason !== undefined && { fallbackReason: spec.fallbackReason }),
        },
      }),
    }, { clients, clock });
  } catch (error) {
    const original = signal?.aborted ? signal.reason : error;
    const leftovers = await rollback(clients, created);
    if (leftovers.length > 0) {
      throw new AggregateError(
        [original, ...leftovers.map((l) => l.error)],
        `Deploying ${endpointName} failed and ${
          leftovers.map((l) => `${l.type} ${l.name}`).join(", ")
        } could not be deleted; run teardown() to remove them`,
        { cause: original },
      );
    }
    throw original;
  }
}

/** What an {@linkcode AsyncDeployment} records: everything but its dispose method. */
export type AsyncDeploymentFields = Omit<AsyncDeployment, typeof Symbol.asyncDispose>;

/** Options for {@linkcode createDeploymentHandle}. */
export interface CreateDeploymentHandleOptions {
  /** Clients the handle tears the deployment down with. */
  clients: Pick<AwsClients, "sagemaker" | "autoscaling" | "cloudwatch" | "s3">;
  /** Time source for the teardown's waits; default the system clock. */
  clock?: Clock;
}

/**
 * Makes an {@linkcode AsyncDeployment} handle from its fields: leaving an
 * `await using` scope (or calling `[Symbol.asyncDispose]()`) runs
 * {@linkcode teardown} with the given clients. `deployAsyncEndpoint` and
 * `findDeployment` both build their handles here; use it to revive a handle
 * saved as JSON.
 */
export function createDeploymentHandle(
  fields: AsyncDeploymentFields,
  options: CreateDeploymentHandleOptions,
): AsyncDeployment {
  const { clients } = options;
  const clock = options.clock ?? systemClock;
  const deployment: AsyncDeployment = {
    ...fields,
    async [Symbol.asyncDispose]() {
      await teardown(deployment, { clients, clock });
    },
  };
  return deployment;
}

async function rollback(
  clients: Pick<AwsClients, "sagemaker">,
  created: readonly { type: ResourceType; name: string }[],
): Promise<{ type: ResourceType; name: string; error: unknown }[]> {
  const leftovers: { type: ResourceType; name: string; error: unknown }[] = [];
  for (const { type, name } of [...created].reverse()) {
    try {
      if (type === "endpoint") {
        await clients.sagemaker.send(new DeleteEndpointCommand({ EndpointName: name }));
      } else if (type === "endpoint-config") {
        await clients.sagemaker.send(new DeleteEndpointConfigCommand({ EndpointConfigName: name }));
      } else if (type === "model") {
        await clients.sagemaker.send(new DeleteModelCommand({ ModelName: name }));
      }
    } catch (error) {
      if (!isSageMakerNotFoundError(error)) leftovers.push({ type, name, error });
    }
  }
  return leftovers;
}

async function ensureBucket(
  clients: Pick<AwsClients, "s3">,
  bucket: string,
  region: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  try {
    await clients.s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ...(region !== "us-east-1" &&
          {
            CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint },
          }),
      }),
      { abortSignal: signal },
    );
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if ((error as { name?: unknown })?.name !== "BucketAlreadyOwnedByYou") throw error;
  }
}

/** `<base>-<yyyymmdd>-<hhmmss>-<4 hex>`, at most 63 characters, valid for SageMaker. */
function uniqueName(base: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const random = Array.from(crypto.getRandomValues(new Uint8Array(2)))
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  const suffix = `${stamp}-${random}`;
  const cleaned = base.replace(/[^a-zA-Z0-9]+/g, "-").replace(/^-+/, "")
    .slice(0, 63 - suffix.length - 1).replace(/-+$/, "");
  return cleaned ? `${cleaned}-${suffix}` : `model-${suffix}`;
}

function assertCustomModel(model: CustomModelSpec): void {
  if (typeof model.imageUri !== "string" || model.imageUri === "" || model.imageUri.length > 255) {
    throw new TypeError(
      `Invalid model.imageUri ${
        JSON.stringify(model.imageUri)
      }: must be a container image URI of at most 255 characters`,
    );
  }
  if (model.modelData !== undefined) {
    if (model.modelData.kind !== "prefix" && model.modelData.kind !== "tarball") {
      throw new TypeError(
        `Invalid model.modelData.kind ${
          JSON.stringify((model.modelData as { kind?: unknown }).kind)
        }: must be "prefix" or "tarball"`,
      );
    }
    parseS3Uri(model.modelData.s3Uri, "model.modelData.s3Uri");
  }
  if (model.environment !== undefined) {
    assertContainerEnvironment(model.environment, "model.environment");
  }
}
