import assert from "node:assert/strict";
import {
  FALCON_40B_INSTRUCT_MODEL_ID,
  JUMPSTART_SNAPSHOT,
} from "../../../lib/jumpstart/falcon_40b_instruct_snapshot.ts";
import { parseJumpStartManifest } from "../../../lib/jumpstart/manifest.ts";
import { buildJumpStartModelSpec, parseJumpStartSpecFile } from "../../../lib/jumpstart/spec.ts";

const [entry] = JUMPSTART_SNAPSHOT.manifest;
const file = JUMPSTART_SNAPSHOT.specs[entry!.spec_key]!;
const build = (instanceType?: string) =>
  buildJumpStartModelSpec(file, {
    region: "us-east-1",
    bucket: "jumpstart-cache-prod-us-east-1",
    source: "snapshot",
    ...(instanceType !== undefined && { instanceType }),
  });

Deno.test("the Falcon-40B-instruct snapshot is a well-formed manifest and spec for 2.3.22", () => {
  parseJumpStartManifest(JUMPSTART_SNAPSHOT.manifest, "snapshot manifest");
  parseJumpStartSpecFile(file, "snapshot spec");
  assert.equal(entry!.model_id, FALCON_40B_INSTRUCT_MODEL_ID);
  assert.equal(entry!.version, "2.3.22");
  assert.equal(file.version, "2.3.22");
});

Deno.test("the snapshot hosts on ml.g5.48xlarge by default with the TGI 1.4.0 image in us-east-1", () => {
  const spec = build();
  assert.equal(spec.instanceType, "ml.g5.48xlarge");
  assert.equal(
    spec.imageUri,
    "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:" +
      "2.1.1-tgi1.4.0-gpu-py310-cu121-ubuntu20.04",
  );
  assert.deepEqual(spec.supportedInstanceTypes, [
    "ml.g5.12xlarge",
    "ml.g5.24xlarge",
    "ml.g5.48xlarge",
    "ml.p4d.24xlarge",
  ]);
  assert.deepEqual(spec.modelData, {
    kind: "prefix",
    s3Uri: "s3://jumpstart-cache-prod-us-east-1/huggingface-llm/" +
      "huggingface-llm-falcon-40b-instruct-bf16/artifacts/inference-prepack/v1.0.1/",
  });
  assert.equal(spec.enableNetworkIsolation, true);
  assert.equal(spec.requiresEula, false);
});

Deno.test("the snapshot's environment matches the 2.3.22 record, per instance type", () => {
  assert.deepEqual(build("ml.g5.12xlarge").environment, {
    SAGEMAKER_PROGRAM: "inference.py",
    SAGEMAKER_CONTAINER_LOG_LEVEL: "20",
    SAGEMAKER_MODEL_SERVER_TIMEOUT: "3600",
    ENDPOINT_SERVER_TIMEOUT: "3600",
    MODEL_CACHE_ROOT: "/opt/ml/model",
    SAGEMAKER_ENV: "1",
    HF_MODEL_ID: "/opt/ml/model",
    SM_NUM_GPUS: "4",
    MAX_INPUT_LENGTH: "1024",
    MAX_TOTAL_TOKENS: "2048",
    SAGEMAKER_MODEL_SERVER_WORKERS: "1",
    MAX_BATCH_PREFILL_TOKENS: "2048",
    MAX_BATCH_TOTAL_TOKENS: "2048",
  });
  assert.equal(build("ml.g5.48xlarge").environment.SM_NUM_GPUS, "8");
  assert.equal(build("ml.p4d.24xlarge").environment.SM_NUM_GPUS, "8");
  assert.equal(build("ml.g5.48xlarge").environment.MAX_BATCH_TOTAL_TOKENS, undefined);
});
