import assert from "node:assert/strict";
import { GetObjectCommand, NoSuchBucket, NoSuchKey, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { JumpStartModelNotFoundError, UnsupportedInstanceTypeError } from "../../../lib/errors.ts";
import { resolveJumpStartModel } from "../../../lib/jumpstart/resolve_model.ts";
import {
  FALCON_40B_INSTRUCT_MODEL_ID,
  JUMPSTART_SNAPSHOT,
} from "../../../lib/jumpstart/falcon_40b_instruct_snapshot.ts";

const region = "us-east-1";
const noEnv = {};
const body = (value: unknown) =>
  ({ transformToString: () => Promise.resolve(JSON.stringify(value)) }) as never;

function specFile(version: string) {
  const snapshotSpec = Object.values(JUMPSTART_SNAPSHOT.specs)[0]!;
  return {
    ...snapshotSpec,
    version,
    hosting_prepacked_artifact_key: `huggingface-llm/falcon/prepack/v${version}/`,
  };
}

const manifest = [
  {
    model_id: FALCON_40B_INSTRUCT_MODEL_ID,
    version: "2.3.22",
    spec_key: "specs/falcon_2.3.22.json",
  },
  {
    model_id: FALCON_40B_INSTRUCT_MODEL_ID,
    version: "2.10.0",
    spec_key: "specs/falcon_2.10.0.json",
  },
  { model_id: "other-model", version: "1.0.0", spec_key: "specs/other_1.0.0.json" },
];

function bucketWith(files: Record<string, unknown>, bucket = `jumpstart-cache-prod-${region}`) {
  const s3 = new S3Client({ region });
  const mock = mockClient(s3);
  mock.on(GetObjectCommand).callsFake(async (input: { Bucket: string; Key: string }) => {
    await Promise.resolve();
    if (input.Bucket !== bucket) {
      throw new NoSuchBucket({ message: "The specified bucket does not exist", $metadata: {} });
    }
    if (!(input.Key in files)) {
      throw new NoSuchKey({ message: "The specified key does not exist.", $metadata: {} });
    }
    return { Body: body(files[input.Key]) };
  });
  return { s3, mock };
}

Deno.test("resolveJumpStartModel() reads the manifest and the highest version's spec from the bucket", async () => {
  const { s3, mock } = bucketWith({
    "models_manifest.json": manifest,
    "specs/falcon_2.10.0.json": specFile("2.10.0"),
    "specs/falcon_2.3.22.json": specFile("2.3.22"),
  });
  const spec = await resolveJumpStartModel({
    clients: { s3, region },
    modelId: FALCON_40B_INSTRUCT_MODEL_ID,
    env: noEnv,
  });
  assert.equal(spec.version, "2.10.0");
  assert.equal(spec.source, "bucket");
  assert.equal(spec.fallbackReason, undefined);
  assert.equal(spec.instanceType, "ml.g5.48xlarge");
  assert.equal(spec.environment.SM_NUM_GPUS, "8");
  assert.deepEqual(spec.modelData, {
    kind: "prefix",
    s3Uri: "s3://jumpstart-cache-prod-us-east-1/huggingface-llm/falcon/prepack/v2.10.0/",
  });
  const keys = mock.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key);
  assert.deepEqual(keys, ["models_manifest.json", "specs/falcon_2.10.0.json"]);
});

Deno.test("resolveJumpStartModel() caches files per client, region and bucket", async () => {
  const { s3, mock } = bucketWith({
    "models_manifest.json": manifest,
    "specs/falcon_2.3.22.json": specFile("2.3.22"),
  });
  const options = {
    clients: { s3, region },
    modelId: FALCON_40B_INSTRUCT_MODEL_ID,
    version: "2.3.22",
    env: noEnv,
  };
  await resolveJumpStartModel(options);
  await resolveJumpStartModel({ ...options, instanceType: "ml.g5.12xlarge" });
  assert.equal(mock.commandCalls(GetObjectCommand).length, 2);
  const other = bucketWith({
    "models_manifest.json": manifest,
    "specs/falcon_2.3.22.json": specFile("2.3.22"),
  });
  await resolveJumpStartModel({ ...options, clients: { s3: other.s3, region } });
  assert.equal(other.mock.commandCalls(GetObjectCommand).length, 2);
});

Deno.test("resolveJumpStartModel() honours the bucket option and AWS_JUMPSTART_CONTENT_BUCKET_OVERRIDE", async () => {
  const files = {
    "models_manifest.json": manifest,
    "specs/falcon_2.3.22.json": specFile("2.3.22"),
  };
  const mirror = bucketWith(files, "my-mirror");
  const spec = await resolveJumpStartModel({
    clients: { s3: mirror.s3, region },
    modelId: FALCON_40B_INSTRUCT_MODEL_ID,
    version: "2.3.22",
    source: "bucket",
    env: { AWS_JUMPSTART_CONTENT_BUCKET_OVERRIDE: "my-mirror" },
  });
  assert.equal(spec.modelData.s3Uri, "s3://my-mirror/huggingface-llm/falcon/prepack/v2.3.22/");
  const viaOption = bucketWith(files, "other-mirror");
  const spec2 = await resolveJumpStartModel({
    clients: { s3: viaOption.s3, region },
    modelId: FALCON_40B_INSTRUCT_MODEL_ID,
    version: "2.3.22",
    source: "bucket",
    bucket: "other-mirror",
    env: { AWS_JUMPSTART_CONTENT_BUCKET_OVERRIDE: "my-mirror" },
  });
  assert.equal(spec2.modelData.s3Uri, "s3://other-mirror/huggingface-llm/falcon/prepack/v2.3.22/");
});

Deno.test("resolveJumpStartModel() in auto mode falls back to the snapshot when the spec is missing, and says so", async () => {
  const { s3 } = bucketWith({ "models_manifest.json": manifest });
  const spec = await resolveJumpStartModel({
    clients: { s3, region },
    modelId: FALCON_40B_INSTRUCT_MODEL_ID,
    version: "2.3.22",
    instanceType: "ml.g5.12xlarge",
    env: noEnv,
  });
  assert.equal(spec.source, "snapshot");
  assert.match(spec.fallbackReason!, /specs\/falcon_2.3.22.json \(NoSuchKey/);
  assert.equal(spec.environment.SM_NUM_GPUS, "4");
});

Deno.test("resolveJumpStartModel() in auto mode falls back when the bucket does not exist", async () => {
  const { s3 } = bucketWith({}, "some-other-bucket");
  const spec = await resolveJumpStartModel({
    clients: { s3, region },
    modelId: FALCON_40B_INSTRUCT_MODEL_ID,
    env: noEnv,
  });
  assert.equal(spec.source, "snapshot");
  assert.equal(spec.version, "2.3.22");
  assert.match(spec.fallbackReason!, /models_manifest.json \(NoSuchBucket/);
});

Deno.test("resolveJumpStartModel() in auto mode falls back on a network error", async () => {
  const s3 = new S3Client({ region });
  mockClient(s3).on(GetObjectCommand).rejects(
    Object.assign(new Error("connect ECONNREFUSED 1.2.3.4:443"), { code: "ECONNREFUSED" }),
  );
  const spec = await resolveJumpStartModel({
    clients: { s3, region },
    modelId: FALCON_40B_INSTRUCT_MODEL_ID,
    env: noEnv,
  });
  assert.equal(spec.source, "snapshot");
  assert.match(spec.fallbackReason!, /ECONNREFUSED/);
});

Deno.test("resolveJumpStartModel() in bucket mode passes the S3 error through", async () => {
  const { s3 } = bucketWith({ "models_manifest.json": manifest });
  await assert.rejects(
    resolveJumpStartModel({
      clients: { s3, region },
      modelId: FALCON_40B_INSTRUCT_MODEL_ID,
      source: "bucket",
      env: noEnv,
    }),
    { name: "NoSuchKey" },
  );
});

Deno.test("resolveJumpStartModel() does not fall back on errors that are not about reaching the bucket", async () => {
  const s3 = new S3Client({ region });
  mockClient(s3).on(GetObjectCommand).rejects(
    Object.assign(new Error("Rate exceeded"), { name: "SlowDown" }),
  );
  await assert.rejects(
    resolveJumpStartModel({
      clients: { s3, region },
      modelId: FALCON_40B_INSTRUCT_MODEL_ID,
      env: noEnv,
    }),
    { name: "SlowDown" },
  );
});

Deno.test("resolveJumpStartModel() rejects an unknown model from the bucket's manifest without falling back", async () => {
  const { s3 } = bucketWith({ "models_manifest.json": manifest });
  await assert.rejects(
    resolveJumpStartModel({ clients: { s3, region }, modelId: "no-such-model", env: noEnv }),
    (error: unknown) => {
      assert.ok(error instanceof JumpStartModelNotFoundError);
      assert.deepEqual(error.available, [FALCON_40B_INSTRUCT_MODEL_ID, "other-model"]);
      return true;
    },
  );
});

Deno.test("resolveJumpStartModel() from the snapshot rejects unknown versions listing 2.3.22", async () => {
  await assert.rejects(
    resolveJumpStartModel({
      clients: { region },
      modelId: FALCON_40B_INSTRUCT_MODEL_ID,
      version: "1.0.0",
      source: "snapshot",
      env: noEnv,
    }),
    (error: unknown) => {
      assert.ok(error instanceof JumpStartModelNotFoundError);
      assert.deepEqual(error.available, ["2.3.22"]);
      return true;
    },
  );
});

Deno.test("resolveJumpStartModel() rejects an unsupported instance type", async () => {
  await assert.rejects(
    resolveJumpStartModel({
      clients: { region },
      modelId: FALCON_40B_INSTRUCT_MODEL_ID,
      instanceType: "ml.g5.2xlarge",
      source: "snapshot",
      env: noEnv,
    }),
    UnsupportedInstanceTypeError,
  );
});

Deno.test("resolveJumpStartModel() from the snapshot outside us-east-1 says which regions it has", async () => {
  await assert.rejects(
    resolveJumpStartModel({
      clients: { region: "eu-west-1" },
      modelId: FALCON_40B_INSTRUCT_MODEL_ID,
      source: "snapshot",
      env: noEnv,
    }),
    { name: "RangeError", message: /region eu-west-1.*us-east-1/ },
  );
});

Deno.test("resolveJumpStartModel() validates its arguments before reading anything", async () => {
  const s3 = new S3Client({ region });
  const mock = mockClient(s3);
  const clients = { s3, region };
  await assert.rejects(resolveJumpStartModel({ clients, modelId: "", env: noEnv }), TypeError);
  await assert.rejects(
    resolveJumpStartModel({ clients, modelId: "m", instanceType: "g5.large", env: noEnv }),
    { name: "TypeError", message: /"g5.large"/ },
  );
  await assert.rejects(
    resolveJumpStartModel({ clients, modelId: "m", source: "web" as never, env: noEnv }),
    { name: "TypeError", message: /"web"/ },
  );
  await assert.rejects(
    resolveJumpStartModel({ clients, modelId: "m", bucket: "Bad_Bucket", env: noEnv }),
    { name: "TypeError", message: /"Bad_Bucket"/ },
  );
  await assert.rejects(
    resolveJumpStartModel({ clients: { region }, modelId: "m", source: "bucket", env: noEnv }),
    { name: "TypeError", message: /needs clients.s3/ },
  );
  assert.equal(mock.calls().length, 0);
});

Deno.test("resolveJumpStartModel() rejects with the signal's reason when aborted mid-read", async () => {
  const s3 = new S3Client({ region });
  mockClient(s3).on(GetObjectCommand).callsFake(() => new Promise(() => {}));
  const controller = new AbortController();
  const reason = new Error("user cancelled");
  const pending = resolveJumpStartModel({
    clients: { s3, region },
    modelId: FALCON_40B_INSTRUCT_MODEL_ID,
    signal: controller.signal,
    env: noEnv,
  });
  controller.abort(reason);
  await assert.rejects(pending, (error: unknown) => error === reason);
});
