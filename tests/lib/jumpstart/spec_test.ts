import assert from "node:assert/strict";
import { UnsupportedInstanceTypeError } from "../../../lib/errors.ts";
import {
  buildJumpStartModelSpec,
  type JumpStartSpecFile,
  parseJumpStartSpecFile,
} from "../../../lib/jumpstart/spec.ts";

const file: JumpStartSpecFile = {
  model_id: "m",
  version: "1.2.3",
  hosting_artifact_key: "m/artifacts/inference/v1.0.0/",
  inference_environment_variables: [
    { name: "SM_NUM_GPUS", default: "4", scope: "container" },
    { name: "SAGEMAKER_SUBMIT_DIRECTORY", default: "/opt/ml/model/code", scope: "container" },
    { name: "SAGEMAKER_MODEL_SERVER_TIMEOUT", default: 3600, scope: "container" },
    { name: "SCRIPT_ONLY", default: "x", scope: "script" },
    { name: "NO_SCOPE", default: true },
  ],
  default_inference_instance_type: "ml.g5.12xlarge",
  supported_inference_instance_types: ["ml.g5.12xlarge", "ml.g5.48xlarge", "ml.p4d.24xlarge"],
  inference_enable_network_isolation: true,
  hosting_instance_type_variants: {
    regional_aliases: {
      "us-east-1": { gpu: "111.dkr.ecr.us-east-1.amazonaws.com/tgi:1" },
      "eu-west-1": { gpu: "111.dkr.ecr.eu-west-1.amazonaws.com/tgi:1" },
    },
    aliases: { p4: "222.dkr.ecr.global/tgi:p4" },
    variants: {
      g5: {
        regional_properties: { image_uri: "$gpu" },
        properties: { environment_variables: { FAMILY: "g5", MAX_TOTAL_TOKENS: "1" } },
      },
      "ml.g5.48xlarge": {
        properties: { environment_variables: { SM_NUM_GPUS: "8", MAX_TOTAL_TOKENS: "2" } },
      },
      p4d: { regional_properties: { image_uri: "$p4" } },
      "ml.p4d.24xlarge": { properties: { prepacked_artifact_key: "m/p4d/prepack.tar.gz" } },
    },
  },
};
const options = { region: "us-east-1", bucket: "content", source: "bucket" as const };

Deno.test("buildJumpStartModelSpec() merges spec env, family and instance overrides, drops SAGEMAKER_SUBMIT_DIRECTORY", () => {
  const spec = buildJumpStartModelSpec(file, {
    ...options,
    instanceType: "ml.g5.48xlarge",
    environment: { MAX_TOTAL_TOKENS: "4096", EXTRA: "1" },
  });
  assert.deepEqual(spec.environment, {
    SM_NUM_GPUS: "8",
    SAGEMAKER_MODEL_SERVER_TIMEOUT: "3600",
    NO_SCOPE: "true",
    FAMILY: "g5",
    MAX_TOTAL_TOKENS: "4096",
    EXTRA: "1",
  });
  assert.equal(spec.imageUri, "111.dkr.ecr.us-east-1.amazonaws.com/tgi:1");
  assert.equal(spec.instanceType, "ml.g5.48xlarge");
});

Deno.test("buildJumpStartModelSpec() defaults to the spec's instance type and reads the facts", () => {
  const spec = buildJumpStartModelSpec(file, { ...options, region: "eu-west-1" });
  assert.equal(spec.instanceType, "ml.g5.12xlarge");
  assert.equal(spec.environment.SM_NUM_GPUS, "4");
  assert.equal(spec.imageUri, "111.dkr.ecr.eu-west-1.amazonaws.com/tgi:1");
  assert.deepEqual(spec.modelData, {
    kind: "prefix",
    s3Uri: "s3://content/m/artifacts/inference/v1.0.0/",
  });
  assert.equal(spec.requiresEula, false);
  assert.equal(spec.enableNetworkIsolation, true);
  assert.equal(spec.source, "bucket");
  assert.deepEqual(spec.supportedInstanceTypes, file.supported_inference_instance_types);
});

Deno.test("buildJumpStartModelSpec() prefers an instance's prepacked tarball and a global alias", () => {
  const spec = buildJumpStartModelSpec(file, { ...options, instanceType: "ml.p4d.24xlarge" });
  assert.deepEqual(spec.modelData, { kind: "tarball", s3Uri: "s3://content/m/p4d/prepack.tar.gz" });
  assert.equal(spec.imageUri, "222.dkr.ecr.global/tgi:p4");
});

Deno.test("buildJumpStartModelSpec() uses the spec's prepacked key over the artifact key", () => {
  const spec = buildJumpStartModelSpec(
    { ...file, hosting_prepacked_artifact_key: "m/prepack/v2" },
    options,
  );
  assert.deepEqual(spec.modelData, { kind: "prefix", s3Uri: "s3://content/m/prepack/v2/" });
});

Deno.test("buildJumpStartModelSpec() flags a EULA from hosting_eula_key", () => {
  const spec = buildJumpStartModelSpec({ ...file, hosting_eula_key: "eulas/m.txt" }, options);
  assert.equal(spec.requiresEula, true);
  assert.equal(spec.eulaUri, "s3://content/eulas/m.txt");
});

Deno.test("buildJumpStartModelSpec() rejects an unsupported instance type listing the supported ones", () => {
  assert.throws(
    () => buildJumpStartModelSpec(file, { ...options, instanceType: "ml.g4dn.xlarge" }),
    (error: unknown) => {
      assert.ok(error instanceof UnsupportedInstanceTypeError);
      assert.equal(error.instanceType, "ml.g4dn.xlarge");
      assert.deepEqual(error.supported, file.supported_inference_instance_types);
      return true;
    },
  );
});

Deno.test("buildJumpStartModelSpec() rejects a region without an image, naming the ones with images", () => {
  assert.throws(() => buildJumpStartModelSpec(file, { ...options, region: "ap-south-1" }), {
    name: "RangeError",
    message: /no container image for region ap-south-1.*eu-west-1, us-east-1/,
  });
});

Deno.test("parseJumpStartSpecFile() names the malformed field", () => {
  assert.throws(() => parseJumpStartSpecFile([], "s3://b/spec.json"), {
    name: "TypeError",
    message: /s3:\/\/b\/spec.json: must be a JSON object/,
  });
  assert.throws(
    () => parseJumpStartSpecFile({ ...file, supported_inference_instance_types: "ml.g5" }, "s"),
    { name: "TypeError", message: /supported_inference_instance_types/ },
  );
  assert.throws(
    () =>
      parseJumpStartSpecFile(
        { ...file, hosting_artifact_key: undefined, hosting_prepacked_artifact_key: undefined },
        "s",
      ),
    { name: "TypeError", message: /hosting_artifact_key/ },
  );
  assert.equal(parseJumpStartSpecFile(file, "s").model_id, "m");
});
