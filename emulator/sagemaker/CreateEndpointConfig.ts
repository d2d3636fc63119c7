/**
 * SageMaker `CreateEndpointConfig`, with production variants and
 * `AsyncInferenceConfig`. Every variant's model must exist. The emulator
 * requires `AsyncInferenceConfig.OutputConfig.S3OutputPath` (results need
 * somewhere to go) and does not emulate serverless variants.
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import { PRODUCTION_VARIANT_INSTANCE_TYPES } from "./instance_types.ts";
import type { AsyncConfigRecord, VariantSpec } from "./state.ts";
import {
  alreadyExists,
  ENDPOINT_NAME_RULE,
  MODEL_NAME_RULE,
  RequestValidator,
  SNS_TOPIC_ARN_PATTERN,
  validationException,
} from "./validation.ts";

const OUTPUT_PATH_PATTERN = "^(https|s3)://([^/])/?(.*)$";
const INSTANCE_TYPES = [...PRODUCTION_VARIANT_INSTANCE_TYPES];

function validateAsyncConfig(
  v: RequestValidator,
  value: unknown,
): AsyncConfigRecord | undefined {
  const config = v.object(value, "asyncInferenceConfig");
  if (!config) return undefined;
  const client = v.object(config.ClientConfig, "asyncInferenceConfig.clientConfig");
  const maxConcurrent = v.number(
    client?.MaxConcurrentInvocationsPerInstance,
    "asyncInferenceConfig.clientConfig.maxConcurrentInvocationsPerInstance",
    { min: 1, max: 1000, integer: true },
  );
  const output = v.object(config.OutputConfig, "asyncInferenceConfig.outputConfig", {
    required: true,
  });
  const s3OutputPath = v.string(
    output?.S3OutputPath,
    "asyncInferenceConfig.outputConfig.s3OutputPath",
    { required: output !== undefined, max: 512, pattern: OUTPUT_PATH_PATTERN },
  );
  const s3FailurePath = v.string(
    output?.S3FailurePath,
    "asyncInferenceConfig.outputConfig.s3FailurePath",
    { max: 512, pattern: OUTPUT_PATH_PATTERN },
  );
  v.string(output?.KmsKeyId, "asyncInferenceConfig.outputConfig.kmsKeyId", {
    max: 2048,
    pattern: "[a-zA-Z0-9:/_-]*",
  });
  const notification = v.object(
    output?.NotificationConfig,
    "asyncInferenceConfig.outputConfig.notificationConfig",
  );
  const topicRule = { max: 2048, pattern: SNS_TOPIC_ARN_PATTERN };
  const successTopic = v.string(
    notification?.SuccessTopic,
    "asyncInferenceConfig.outputConfig.notificationConfig.successTopic",
    topicRule,
  );
  const errorTopic = v.string(
    notification?.ErrorTopic,
    "asyncInferenceConfig.outputConfig.notificationConfig.errorTopic",
    topicRule,
  );
  const include = v.list(
    notification?.IncludeInferenceResponseIn,
    "asyncInferenceConfig.outputConfig.notificationConfig.includeInferenceResponseIn",
    { max: 2 },
  )?.map((item, i) =>
    v.string(
      item,
      `asyncInferenceConfig.outputConfig.notificationConfig.includeInferenceResponseIn.${
        i + 1
      }.member`,
      { required: true, values: ["SUCCESS_NOTIFICATION_TOPIC", "ERROR_NOTIFICATION_TOPIC"] },
    ) ?? ""
  ) ?? [];
  return {
    raw: config,
    maxConcurrentInvocationsPerInstance: maxConcurrent,
    s3OutputPath: s3OutputPath ?? "",
    s3FailurePath,
    successTopic,
    errorTopic,
    includeInferenceResponseIn: include,
  };
}

/** Handles `CreateEndpointConfig`. */
export function CreateEndpointConfig(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): { EndpointConfigArn: string } {
  const v = new RequestValidator();
  const name = v.string(input.EndpointConfigName, "endpointConfigName", ENDPOINT_NAME_RULE);
  const rawVariants = v.list(input.ProductionVariants, "productionVariants", {
    required: true,
    min: 1,
    max: 10,
  }) ?? [];
  const variants: VariantSpec[] = rawVariants.map((raw, i) => {
    const at = `productionVariants.${i + 1}.member`;
    const variant = v.object(raw, at, { required: true }) ?? {};
    if (variant.ServerlessConfig !== undefined) {
      throw validationException(
        "ServerlessConfig is not supported by the emulator: give InstanceType and InitialInstanceCount.",
      );
    }
    return {
      VariantName: v.string(variant.VariantName, `${at}.variantName`, ENDPOINT_NAME_RULE) ?? "",
      ModelName: v.string(variant.ModelName, `${at}.modelName`, MODEL_NAME_RULE) ?? "",
      InstanceType: v.string(variant.InstanceType, `${at}.instanceType`, {
        required: true,
        values: INSTANCE_TYPES,
      }) ?? "",
      InitialInstanceCount: v.number(variant.InitialInstanceCount, `${at}.initialInstanceCount`, {
        required: true,
        min: 1,
        integer: true,
      }) ?? 1,
      InitialVariantWeight: v.number(variant.InitialVariantWeight, `${at}.initialVariantWeight`, {
        min: 0,
      }) ?? 1,
    };
  });
  const asyncConfig = validateAsyncConfig(v, input.AsyncInferenceConfig);
  v.string(input.KmsKeyId, "kmsKeyId", { max: 2048, pattern: "[a-zA-Z0-9:/_-]*" });
  v.object(input.DataCaptureConfig, "dataCaptureConfig");
  const tags = v.tags(input.Tags, "tags");
  v.throwIfInvalid();
  const seen = new Set<string>();
  for (const variant of variants) {
    if (seen.has(variant.VariantName)) {
      throw validationException(
        `Duplicate VariantName "${variant.VariantName}" in ProductionVariants.`,
      );
    }
    seen.add(variant.VariantName);
  }
  const { state } = backend;
  const arn = state.arn("endpoint-config", name!);
  if (state.endpointConfigs.has(name!.toLowerCase())) {
    throw alreadyExists("endpoint configuration", arn);
  }
  for (const variant of variants) state.requireModel(variant.ModelName);
  const description: Record<string, unknown> = { ProductionVariants: variants };
  for (const member of ["AsyncInferenceConfig", "DataCaptureConfig", "KmsKeyId"]) {
    if (input[member] !== undefined) description[member] = input[member];
  }
  state.endpointConfigs.set(name!.toLowerCase(), {
    name: name!,
    arn,
    creationTime: backend.context.clock.now(),
    description,
    variants,
    asyncConfig,
  });
  if (tags && tags.length > 0) state.tags.set(arn, tags);
  backend.changed();
  return { EndpointConfigArn: arn };
}
