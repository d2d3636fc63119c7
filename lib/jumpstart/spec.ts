/**
 * A JumpStart model spec file and what it means for hosting: the container
 * image for a region, the model data location, the container environment
 * for an instance type, and the instance types the model supports.
 *
 * A spec file (`spec_key` in the manifest, e.g.
 * `community_models/<model_id>/specs_v<version>.json`) is a JSON object. The
 * fields read here, as the SageMaker Python SDK reads them:
 *
 * ```json
 * { "model_id": "huggingface-llm-falcon-40b-instruct-bf16",
 *   "version": "2.3.22",
 *   "hosting_artifact_key": "huggingface-llm/.../artifacts/inference/v1.0.0/",
 *   "hosting_prepacked_artifact_key": "huggingface-llm/.../artifacts/inference-prepack/v1.0.1/",
 *   "hosting_eula_key": null,
 *   "inference_environment_variables": [
 *     { "name": "SM_NUM_GPUS", "type": "text", "default": "4", "scope": "container",
 *       "required_for_model_class": true }],
 *   "default_inference_instance_type": "ml.g5.48xlarge",
 *   "supported_inference_instance_types": ["ml.g5.12xlarge", "ml.g5.48xlarge"],
 *   "inference_enable_network_isolation": true,
 *   "hosting_instance_type_variants": {
 *     "regional_aliases": { "us-east-1": { "gpu_ecr_uri_1": "763104351884.dkr.ecr...." } },
 *     "variants": {
 *       "g5": { "regional_properties": { "image_uri": "$gpu_ecr_uri_1" } },
 *       "ml.g5.48xlarge": { "properties": { "environment_variables": { "SM_NUM_GPUS": "8" } } } } } }
 * ```
 *
 * Variants are keyed by instance family (`g5`) or full instance type
 * (`ml.g5.48xlarge`); the full type wins. `properties` may also carry
 * `image_uri`, `artifact_key` and `prepacked_artifact_key`; `$name` values
 * refer to `regional_aliases[<region>]` (or top-level `aliases`).
 *
 * @module
 */
import { UnsupportedInstanceTypeError } from "../errors.ts";

/** One entry of `inference_environment_variables`. */
export interface JumpStartEnvironmentVariable {
  /** Variable name. */
  readonly name: string;
  /** Declared type, e.g. `text` or `int`. */
  readonly type?: string;
  /** Default value (numbers and booleans become strings). */
  readonly default: string | number | boolean;
  /** `container` variables go into the model; `script` ones are for SDK scripts. */
  readonly scope?: string;
  /** Whether the SDK's model class needs it. */
  readonly required_for_model_class?: boolean;
}

/** Per-instance-type or per-family settings in `hosting_instance_type_variants.variants`. */
export interface JumpStartVariant {
  /** Region-independent settings. */
  readonly properties?: {
    /** Image URI, or `$alias`. */
    readonly image_uri?: string;
    /** Variables over the spec's defaults. */
    readonly environment_variables?: Readonly<Record<string, string>>;
    /** Artifact key for this instance type. */
    readonly artifact_key?: string;
    /** Prepacked artifact key for this instance type. */
    readonly prepacked_artifact_key?: string;
  };
  /** Settings whose `$alias` values are resolved per region. */
  readonly regional_properties?: {
    /** `$alias` of the image in `regional_aliases[<region>]`. */
    readonly image_uri?: string;
  };
}

/** `hosting_instance_type_variants` of a spec file. */
export interface JumpStartInstanceTypeVariants {
  /** Region -> alias name -> value (image URIs). */
  readonly regional_aliases?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Alias name -> value, the same in every region. */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Family or instance type -> settings. */
  readonly variants?: Readonly<Record<string, JumpStartVariant>>;
}

/** The fields of a JumpStart spec file this toolkit reads. */
export interface JumpStartSpecFile {
  /** Model id. */
  readonly model_id: string;
  /** Spec version. */
  readonly version: string;
  /** Key of the model artifacts (a `.tar.gz`, or a prefix ending in `/`). */
  readonly hosting_artifact_key?: string;
  /** Key of artifacts with the inference code packed in; preferred when present. */
  readonly hosting_prepacked_artifact_key?: string | null;
  /** Key of the EULA; present when deploying requires accepting it. */
  readonly hosting_eula_key?: string | null;
  /** Container variables and their defaults. */
  readonly inference_environment_variables?: readonly JumpStartEnvironmentVariable[];
  /** Default hosting instance type. */
  readonly default_inference_instance_type: string;
  /** Hosting instance types the model supports. */
  readonly supported_inference_instance_types: readonly string[];
  /** Whether the model runs with network isolation. */
  readonly inference_enable_network_isolation?: boolean;
  /** Per-instance-type images, environment and artifacts. */
  readonly hosting_instance_type_variants?: JumpStartInstanceTypeVariants;
}

/** Where the model weights are: an uncompressed S3 prefix or a `.tar.gz`. */
export type ModelDataLocation =
  | {
    /** An uncompressed S3 prefix, given as `ModelDataSource.S3DataSource` (`S3Prefix`). */
    readonly kind: "prefix";
    /** `s3://bucket/prefix/` (ends with `/`). */
    readonly s3Uri: string;
  }
  | {
    /** A `model.tar.gz`, given as `ModelDataUrl`. */
    readonly kind: "tarball";
    /** `s3://bucket/key.tar.gz`. */
    readonly s3Uri: string;
  };

/** Everything needed to host one JumpStart model version on one instance type. */
export interface JumpStartModelSpec {
  /** Model id. */
  readonly modelId: string;
  /** Exact version (never `*`). */
  readonly version: string;
  /** Region the image and data locations are for. */
  readonly region: string;
  /** Instance type the environment was computed for. */
  readonly instanceType: string;
  /** Container image URI for the region and instance type. */
  readonly imageUri: string;
  /** Model weights location. */
  readonly modelData: ModelDataLocation;
  /**
   * Container environment: spec defaults, then per-instance-type overrides
   * (e.g. `SM_NUM_GPUS`), without `SAGEMAKER_SUBMIT_DIRECTORY`, then the
   * caller's variables.
   */
  readonly environment: Readonly<Record<string, string>>;
  /** The spec's default instance type. */
  readonly defaultInstanceType: string;
  /** Instance types the spec supports. */
  readonly supportedInstanceTypes: readonly string[];
  /** Whether deploying requires accepting the model's EULA. */
  readonly requiresEula: boolean;
  /** Where the EULA is, when there is one. */
  readonly eulaUri?: string;
  /** Whether the model must run with network isolation. */
  readonly enableNetworkIsolation: boolean;
  /** Where the spec came from. */
  readonly source: "bucket" | "snapshot";
  /** Why the offline snapshot was used when the bucket was tried first. */
  readonly fallbackReason?: string;
}

/**
 * Checks the shape of a parsed spec file. Throws a `TypeError` naming
 * `source` and the field that is wrong.
 */
export function parseJumpStartSpecFile(json: unknown, source: string): JumpStartSpecFile {
  const fail = (rule: string): never => {
    throw new TypeError(`Malformed JumpStart spec ${source}: ${rule}`);
  };
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return fail("must be a JSON object");
  }
  const spec = json as Record<string, unknown>;
  if (typeof spec.model_id !== "string") fail("model_id must be a string");
  if (typeof spec.version !== "string") fail("version must be a string");
  if (typeof spec.default_inference_instance_type !== "string") {
    fail("default_inference_instance_type must be a string");
  }
  const supported = spec.supported_inference_instance_types;
  if (!Array.isArray(supported) || supported.some((t) => typeof t !== "string")) {
    fail("supported_inference_instance_types must be an array of strings");
  }
  if (
    typeof spec.hosting_artifact_key !== "string" &&
    typeof spec.hosting_prepacked_artifact_key !== "string"
  ) {
    fail("hosting_artifact_key or hosting_prepacked_artifact_key must be a string");
  }
  const env = spec.inference_environment_variables;
  if (
    env !== undefined &&
    (!Array.isArray(env) ||
      env.some((v) => typeof v !== "object" || v === null || typeof v.name !== "string"))
  ) {
    fail("inference_environment_variables must be an array of { name, default }");
  }
  const variants = spec.hosting_instance_type_variants;
  if (variants !== undefined && (typeof variants !== "object" || variants === null)) {
    fail("hosting_instance_type_variants must be an object");
  }
  return spec as unknown as JumpStartSpecFile;
}

/** Options for {@linkcode buildJumpStartModelSpec}. */
export interface BuildJumpStartModelSpecOptions {
  /** Region of the image and of the content bucket. */
  region: string;
  /** Bucket holding the model artifacts (the JumpStart content bucket). */
  bucket: string;
  /** Instance type; default the spec's default. Must be a supported one. */
  instanceType?: string;
  /** The caller's container variables, applied last. */
  environment?: Readonly<Record<string, string>>;
  /** Where the spec file came from. */
  source: "bucket" | "snapshot";
  /** Why the snapshot was used, if it was a fallback. */
  fallbackReason?: string;
}

/**
 * Turns a spec file into what hosting needs for one region and instance
 * type. Throws {@linkcode UnsupportedInstanceTypeError} for an instance type
 * the spec does not list, and a `RangeError` when the spec has no image for
 * the region or instance type.
 *
 * @example
 * ```ts
 * import { buildJumpStartModelSpec } from "@sagemaker-async/toolkit";
 *
 * const spec = buildJumpStartModelSpec({
 *   model_id: "m",
 *   version: "1.0.0",
 *   hosting_prepacked_artifact_key: "m/artifacts/inference-prepack/v1.0.0/",
 *   default_inference_instance_type: "ml.g5.12xlarge",
 *   supported_inference_instance_types: ["ml.g5.12xlarge", "ml.g5.48xlarge"],
 *   inference_environment_variables: [
 *     { name: "SM_NUM_GPUS", default: "4", scope: "container" },
 *     { name: "SAGEMAKER_SUBMIT_DIRECTORY", default: "/opt/ml/model/code", scope: "container" },
 *   ],
 *   hosting_instance_type_variants: {
 *     regional_aliases: { "us-east-1": { gpu: "123.dkr.ecr.us-east-1.amazonaws.com/tgi:1" } },
 *     variants: {
 *       g5: { regional_properties: { image_uri: "$gpu" } },
 *       "ml.g5.48xlarge": { properties: { environment_variables: { SM_NUM_GPUS: "8" } } },
 *     },
 *   },
 * }, { region: "us-east-1", bucket: "content", instanceType: "ml.g5.48xlarge", source: "bucket" });
 * if (spec.environment.SM_NUM_GPUS !== "8") throw new Error("per-instance env not applied");
 * if ("SAGEMAKER_SUBMIT_DIRECTORY" in spec.environment) throw new Error("must be dropped");
 * if (spec.modelData.kind !== "prefix") throw new Error("a key ending in / is a prefix");
 * ```
 */
export function buildJumpStartModelSpec(
  file: JumpStartSpecFile,
  options: BuildJumpStartModelSpecOptions,
): JumpStartModelSpec {
  const { region, bucket } = options;
  const instanceType = options.instanceType ?? file.default_inference_instance_type;
  const supported = [...file.supported_inference_instance_types];
  if (!supported.includes(instanceType)) {
    throw new UnsupportedInstanceTypeError({ modelId: file.model_id, instanceType, supported });
  }
  const variants = file.hosting_instance_type_variants;
  const family = instanceType.split(".")[1] ?? instanceType;
  // Most specific last, so it wins.
  const matching = [variants?.variants?.[family], variants?.variants?.[instanceType]].filter(
    (v): v is JumpStartVariant => v !== undefined,
  );

  const imageUri = resolveImageUri(file, matching, region, instanceType);
  const environment: Record<string, string> = {};
  for (const variable of file.inference_environment_variables ?? []) {
    if (variable.scope === undefined || variable.scope === "container") {
      environment[variable.name] = String(variable.default);
    }
  }
  for (const variant of matching) {
    Object.assign(environment, variant.properties?.environment_variables ?? {});
  }
  delete environment.SAGEMAKER_SUBMIT_DIRECTORY;
  Object.assign(environment, options.environment ?? {});

  let key: string | undefined;
  for (const variant of matching) {
    key = variant.properties?.prepacked_artifact_key ?? key;
  }
  key ??= file.hosting_prepacked_artifact_key ?? undefined;
  if (key === undefined) {
    for (const variant of matching) key = variant.properties?.artifact_key ?? key;
  }
  key ??= file.hosting_artifact_key;
  if (key === undefined) {
    throw new TypeError(`JumpStart spec of ${file.model_id} ${file.version} has no artifact key`);
  }
  const tarball = /\.(tar\.gz|tgz)$/.test(key);
  const modelData: ModelDataLocation = tarball
    ? { kind: "tarball", s3Uri: `s3://${bucket}/${key}` }
    : { kind: "prefix", s3Uri: `s3://${bucket}/${key.endsWith("/") ? key : `${key}/`}` };

  const eulaKey = file.hosting_eula_key ?? undefined;
  return {
    modelId: file.model_id,
    version: file.version,
    region,
    instanceType,
    imageUri,
    modelData,
    environment,
    defaultInstanceType: file.default_inference_instance_type,
    supportedInstanceTypes: supported,
    requiresEula: eulaKey !== undefined,
    ...(eulaKey !== undefined && { eulaUri: `s3://${bucket}/${eulaKey}` }),
    enableNetworkIsolation: file.inference_enable_network_isolation ?? false,
    source: options.source,
    ...(options.fallbackReason !== undefined && { fallbackReason: options.fallbackReason }),
  };
}

function resolveImageUri(
  file: JumpStartSpecFile,
  matching: readonly JumpStartVariant[],
  region: string,
  instanceType: string,
): string {
  const variants = file.hosting_instance_type_variants;
  const regional = variants?.regional_aliases?.[region];
  let image: string | undefined;
  let missingAlias: string | undefined;
  for (const variant of matching) {
    const candidates = [variant.properties?.image_uri, variant.regional_properties?.image_uri];
    for (const value of candidates) {
      if (value === undefined) continue;
      if (!value.startsWith("$")) {
        image = value;
        continue;
      }
      const alias = value.slice(1);
      const resolved = regional?.[alias] ?? variants?.aliases?.[alias];
      if (resolved !== undefined) image = resolved;
      else missingAlias = alias;
    }
  }
  if (image !== undefined) return image;
  const regions = Object.keys(variants?.regional_aliases ?? {}).sort();
  if (missingAlias !== undefined) {
    throw new RangeError(
      `JumpStart model "${file.model_id}" ${file.version} has no container image for region ` +
        `${region} (image alias $${missingAlias}); regions with images: ${
          regions.join(", ") || "(none)"
        }. Use one of them, or pass an explicit image URI`,
    );
  }
  throw new RangeError(
    `JumpStart model "${file.model_id}" ${file.version} has no container image for instance ` +
      `type ${instanceType} in its hosting_instance_type_variants`,
  );
}
