/**
 * An offline snapshot of the JumpStart facts for
 * `huggingface-llm-falcon-40b-instruct-bf16` version 2.3.22, in the shape of
 * the manifest and spec files, so the workflow runs with no access to the
 * JumpStart content bucket (e.g. against the local emulator).
 *
 * Source: the record for 2.3.22 in awslabs/generative-ai-cdk-constructs
 * (`jumpstart-models.json`, built from the JumpStart specs) as summarized in
 * the project's reference notes. Only the us-east-1 image is recorded; other
 * regions need the content bucket (`source: "bucket"`) or an explicit image.
 * The spec key follows the pattern of other community models and is not
 * confirmed.
 *
 * @module
 */
import type { JumpStartManifestEntry } from "./manifest.ts";
import type { JumpStartSpecFile } from "./spec.ts";

/** The model this project deploys by default. */
export const FALCON_40B_INSTRUCT_MODEL_ID = "huggingface-llm-falcon-40b-instruct-bf16";

/** The snapshot's version of {@linkcode FALCON_40B_INSTRUCT_MODEL_ID}. */
export const FALCON_40B_INSTRUCT_SNAPSHOT_VERSION = "2.3.22";

const IMAGE_US_EAST_1 = "763104351884.dkr.ecr.us-east-1.amazonaws.com/" +
  "huggingface-pytorch-tgi-inference:2.1.1-tgi1.4.0-gpu-py310-cu121-ubuntu20.04";

const SPEC_KEY =
  `community_models/${FALCON_40B_INSTRUCT_MODEL_ID}/specs_v${FALCON_40B_INSTRUCT_SNAPSHOT_VERSION}.json`;

const containerVariable = (name: string, value: string, type = "text") => ({
  name,
  type,
  default: value,
  scope: "container",
  required_for_model_class: true,
});

const falconSpec: JumpStartSpecFile = {
  model_id: FALCON_40B_INSTRUCT_MODEL_ID,
  version: FALCON_40B_INSTRUCT_SNAPSHOT_VERSION,
  hosting_artifact_key:
    `huggingface-llm/${FALCON_40B_INSTRUCT_MODEL_ID}/artifacts/inference/v1.0.0/`,
  hosting_prepacked_artifact_key:
    `huggingface-llm/${FALCON_40B_INSTRUCT_MODEL_ID}/artifacts/inference-prepack/v1.0.1/`,
  hosting_eula_key: null,
  inference_environment_variables: [
    containerVariable("SAGEMAKER_PROGRAM", "inference.py"),
    containerVariable("SAGEMAKER_SUBMIT_DIRECTORY", "/opt/ml/model/code"),
    containerVariable("SAGEMAKER_CONTAINER_LOG_LEVEL", "20", "int"),
    containerVariable("SAGEMAKER_MODEL_SERVER_TIMEOUT", "3600", "int"),
    containerVariable("ENDPOINT_SERVER_TIMEOUT", "3600", "int"),
    containerVariable("MODEL_CACHE_ROOT", "/opt/ml/model"),
    containerVariable("SAGEMAKER_ENV", "1"),
    containerVariable("HF_MODEL_ID", "/opt/ml/model"),
    containerVariable("SM_NUM_GPUS", "4"),
    containerVariable("MAX_INPUT_LENGTH", "1024"),
    containerVariable("MAX_TOTAL_TOKENS", "2048"),
    containerVariable("SAGEMAKER_MODEL_SERVER_WORKERS", "1", "int"),
  ],
  default_inference_instance_type: "ml.g5.48xlarge",
  supported_inference_instance_types: [
    "ml.g5.12xlarge",
    "ml.g5.24xlarge",
    "ml.g5.48xlarge",
    "ml.p4d.24xlarge",
  ],
  inference_enable_network_isolation: true,
  hosting_instance_type_variants: {
    regional_aliases: { "us-east-1": { gpu_ecr_uri_1: IMAGE_US_EAST_1 } },
    variants: {
      g5: { regional_properties: { image_uri: "$gpu_ecr_uri_1" } },
      p4d: { regional_properties: { image_uri: "$gpu_ecr_uri_1" } },
      p4de: { regional_properties: { image_uri: "$gpu_ecr_uri_1" } },
      "ml.g5.12xlarge": {
        properties: {
          environment_variables: {
            SM_NUM_GPUS: "4",
            MAX_BATCH_PREFILL_TOKENS: "2048",
            MAX_BATCH_TOTAL_TOKENS: "2048",
          },
        },
      },
      "ml.g5.24xlarge": {
        properties: {
          environment_variables: {
            SM_NUM_GPUS: "4",
            MAX_BATCH_PREFILL_TOKENS: "2048",
            MAX_BATCH_TOTAL_TOKENS: "2048",
          },
        },
      },
      "ml.g5.48xlarge": { properties: { environment_variables: { SM_NUM_GPUS: "8" } } },
      "ml.p4d.24xlarge": { properties: { environment_variables: { SM_NUM_GPUS: "8" } } },
      "ml.p4de.24xlarge": { properties: { environment_variables: { SM_NUM_GPUS: "8" } } },
    },
  },
};

/** The offline snapshot: a manifest and the spec files it points to. */
export interface JumpStartSnapshot {
  /** Manifest entries, as in `models_manifest.json`. */
  readonly manifest: readonly JumpStartManifestEntry[];
  /** Spec files by `spec_key`. */
  readonly specs: Readonly<Record<string, JumpStartSpecFile>>;
}

/** The snapshot shipped with the toolkit (Falcon-40B-instruct 2.3.22 only). */
export const JUMPSTART_SNAPSHOT: JumpStartSnapshot = {
  manifest: [{
    model_id: FALCON_40B_INSTRUCT_MODEL_ID,
    version: FALCON_40B_INSTRUCT_SNAPSHOT_VERSION,
    spec_key: SPEC_KEY,
  }],
  specs: { [SPEC_KEY]: falconSpec },
};
