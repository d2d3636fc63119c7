/**
 * Helpers for the SageMaker contract suites: create a model, config and
 * endpoint with the real SDK and move the manual clock until it is in
 * service.
 *
 * @module
 */
import { CreateBucketCommand, GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  type CreateEndpointConfigCommandInput,
  CreateModelCommand,
  type ProductionVariantInstanceType,
} from "@aws-sdk/client-sagemaker";
import type { ManualEmulatorClock } from "../../emulator/clock.ts";
import { DEFAULT_TIMINGS } from "../../emulator/core.ts";
import { parseS3Uri } from "../../lib/s3_uri.ts";
import type { ContractEnv } from "./_harness.ts";

/** JumpStart Falcon-40B's TGI image in us-east-1. */
export const TGI_IMAGE =
  "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.1.1-tgi1.4.0-gpu-py310-cu121-ubuntu20.04";
/** An execution role ARN in the emulator's account. */
export const ROLE_ARN = "arn:aws:iam::123456789012:role/SageMakerExecutionRole";
/** Emulated time from CreateEndpoint to InService with the default timings. */
export const TIME_TO_IN_SERVICE_MS = DEFAULT_TIMINGS.endpointCreationMs +
  DEFAULT_TIMINGS.instanceLaunchMs;

/** Options for {@linkcode deployEndpoint}. */
export interface DeployEndpointOptions {
  name: string;
  /** Async config; `null` for a real-time endpoint. Default: outputs under `s3://results/`. */
  asyncConfig?: CreateEndpointConfigCommandInput["AsyncInferenceConfig"] | null;
  instanceCount?: number;
  instanceType?: string;
  image?: string;
  environment?: Record<string, string>;
  /** Move the clock until the endpoint is in service. Default true. */
  wait?: boolean;
}

/** The default async output and failure paths. */
export const OUTPUT_PATH = "s3://results/out";
export const FAILURE_PATH = "s3://results/fail";

/** Creates the `results` bucket, a model, a config and an endpoint; waits for `InService`. */
export async function deployEndpoint(
  env: ContractEnv<ManualEmulatorClock>,
  options: DeployEndpointOptions,
): Promise<void> {
  const { s3, sagemaker } = env.clients;
  await ensureBucket(s3, "results");
  await sagemaker.send(
    new CreateModelCommand({
      ModelName: `${options.name}-model`,
      ExecutionRoleArn: ROLE_ARN,
      PrimaryContainer: {
        Image: options.image ?? TGI_IMAGE,
        Environment: options.environment ?? { MAX_INPUT_LENGTH: "1024", MAX_TOTAL_TOKENS: "2048" },
      },
    }),
  );
  await sagemaker.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: `${options.name}-config`,
      ProductionVariants: [{
        VariantName: "AllTraffic",
        ModelName: `${options.name}-model`,
        InstanceType: (options.instanceType ?? "ml.g5.12xlarge") as ProductionVariantInstanceType,
        InitialInstanceCount: options.instanceCount ?? 1,
      }],
      AsyncInferenceConfig: options.asyncConfig === null ? undefined : options.asyncConfig ?? {
        OutputConfig: { S3OutputPath: OUTPUT_PATH, S3FailurePath: FAILURE_PATH },
      },
    }),
  );
  await sagemaker.send(
    new CreateEndpointCommand({
      EndpointName: options.name,
      EndpointConfigName: `${options.name}-config`,
    }),
  );
  if (options.wait ?? true) await env.clock.advance(TIME_TO_IN_SERVICE_MS);
}

/** Creates a bucket unless it exists. */
export async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if ((error as Error).name !== "BucketAlreadyOwnedByYou") throw error;
  }
}

/** Reads an object given as `s3://bucket/key`, or `undefined` if it does not exist. */
export async function readS3(
  s3: S3Client,
  uri: string,
): Promise<{ text: string; contentType: string | undefined } | undefined> {
  const { bucket, key } = parseS3Uri(uri);
  try {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return { text: await got.Body!.transformToString(), contentType: got.ContentType };
  } catch (error) {
    if ((error as Error).name === "NoSuchKey") return undefined;
    throw error;
  }
}
