import assert from "node:assert/strict";
import {
  buildDeploymentTags,
  CREATED_AT_TAG_KEY,
  DEPLOYMENT_ID_TAG_KEY,
  INPUT_PREFIX_TAG_KEY,
  JUMPSTART_MODEL_ID_TAG_KEY,
  JUMPSTART_MODEL_VERSION_TAG_KEY,
  MANAGED_TAG_KEY,
  readDeploymentTags,
  tagsToRecord,
} from "../../lib/tags.ts";

const createdAt = Date.UTC(2026, 0, 2, 3, 4, 5);

Deno.test("buildDeploymentTags() puts the toolkit keys first, then JumpStart keys, then user tags", () => {
  const tags = buildDeploymentTags({
    deploymentId: "d-123",
    createdAt,
    jumpStartModelId: "huggingface-llm-falcon-40b-instruct-bf16",
    jumpStartModelVersion: "2.3.22",
    userTags: { team: "research", "cost-center": "42" },
  });
  assert.deepEqual(tags, [
    { Key: MANAGED_TAG_KEY, Value: "true" },
    { Key: DEPLOYMENT_ID_TAG_KEY, Value: "d-123" },
    { Key: CREATED_AT_TAG_KEY, Value: "2026-01-02T03:04:05.000Z" },
    { Key: JUMPSTART_MODEL_ID_TAG_KEY, Value: "huggingface-llm-falcon-40b-instruct-bf16" },
    { Key: JUMPSTART_MODEL_VERSION_TAG_KEY, Value: "2.3.22" },
    { Key: "team", Value: "research" },
    { Key: "cost-center", Value: "42" },
  ]);
});

Deno.test("buildDeploymentTags() rejects user keys in the aws: and sagemaker-async: namespaces", () => {
  assert.throws(
    () => buildDeploymentTags({ deploymentId: "d", createdAt, userTags: { "aws:x": "1" } }),
    { name: "TypeError", message: /"aws:x".*reserved/ },
  );
  assert.throws(
    () =>
      buildDeploymentTags({
        deploymentId: "d",
        createdAt,
        userTags: { "sagemaker-async:managed": "false" },
      }),
    { name: "TypeError", message: /sagemaker-async:managed/ },
  );
});

Deno.test("buildDeploymentTags() rejects keys, values and counts AWS would refuse", () => {
  assert.throws(
    () => buildDeploymentTags({ deploymentId: "d", createdAt, userTags: { "a*b": "1" } }),
    { name: "TypeError", message: /"a\*b"/ },
  );
  assert.throws(
    () => buildDeploymentTags({ deploymentId: "d", createdAt, userTags: { k: "x".repeat(257) } }),
    { name: "TypeError", message: /0-256/ },
  );
  assert.throws(
    () => buildDeploymentTags({ deploymentId: "bad id!", createdAt }),
    { name: "TypeError", message: /"bad id!"/ },
  );
  const many = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`k${i}`, "v"]));
  assert.throws(
    () => buildDeploymentTags({ deploymentId: "d", createdAt, userTags: many }),
    { name: "RangeError", message: /51.*at most 50/ },
  );
  assert.throws(
    () => buildDeploymentTags({ deploymentId: "d", createdAt: Number.NaN }),
    { name: "TypeError", message: /createdAt/ },
  );
});

Deno.test("readDeploymentTags() reads lists and records, and ignores a bad created-at", () => {
  const info = readDeploymentTags([
    { Key: MANAGED_TAG_KEY, Value: "true" },
    { Key: DEPLOYMENT_ID_TAG_KEY, Value: "d-9" },
    { Key: CREATED_AT_TAG_KEY, Value: "not a date" },
    { Key: JUMPSTART_MODEL_VERSION_TAG_KEY, Value: "2.3.22" },
  ]);
  assert.deepEqual(info, { managed: true, deploymentId: "d-9", jumpStartModelVersion: "2.3.22" });
  assert.deepEqual(readDeploymentTags({ other: "x" }), { managed: false });
  assert.equal(readDeploymentTags({ [MANAGED_TAG_KEY]: "yes" }).managed, false);
});

Deno.test("buildDeploymentTags() records the input prefix as it is when a tag value can hold it", () => {
  const inputPrefix = "s3://sagemaker-us-east-1-123456789012/async-endpoint-inputs/falcon_1.2";
  const tags = buildDeploymentTags({ deploymentId: "d", createdAt, inputPrefix });
  assert.deepEqual(tags[3], { Key: INPUT_PREFIX_TAG_KEY, Value: inputPrefix });
  assert.equal(readDeploymentTags(tags).inputPrefix, inputPrefix);
});

Deno.test("buildDeploymentTags() escapes what a tag value cannot hold, and readDeploymentTags() undoes it", () => {
  const inputPrefix = "s3://bucket/a=b/it's (mine)!/ünïcode 日本/€~*";
  const tags = buildDeploymentTags({ deploymentId: "d", createdAt, inputPrefix });
  const value = tags.find((t) => t.Key === INPUT_PREFIX_TAG_KEY)!.Value;
  assert.match(value, /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, "AWS accepts the escaped value");
  assert.equal(value, "s3://bucket/a=3Db/it=27s =28mine=29=21/ünïcode 日本/=E2=82=AC=7E=2A");
  assert.equal(readDeploymentTags(tags).inputPrefix, inputPrefix);
});

Deno.test("buildDeploymentTags() rejects an input prefix too long for a tag, naming the limit", () => {
  const fits = `s3://bucket/${"k".repeat(256 - "s3://bucket/".length)}`;
  assert.equal(
    buildDeploymentTags({ deploymentId: "d", createdAt, inputPrefix: fits })[3]?.Value,
    fits,
  );
  assert.throws(
    () => buildDeploymentTags({ deploymentId: "d", createdAt, inputPrefix: `${fits}k` }),
    { name: "RangeError", message: /inputPrefix.*sagemaker-async:input-prefix.*256.*needs 257/ },
  );
  // Escaping counts: 90 "!" take 270 characters.
  assert.throws(
    () =>
      buildDeploymentTags({
        deploymentId: "d",
        createdAt,
        inputPrefix: `s3://b/${"!".repeat(90)}`,
      }),
    { name: "RangeError", message: /needs 277/ },
  );
});

Deno.test("readDeploymentTags() leaves out an input prefix it could not have written", () => {
  for (const value of ["s3://b/=4", "s3://b/=zz", "s3://b/=C3"]) {
    assert.equal(
      readDeploymentTags({ [INPUT_PREFIX_TAG_KEY]: value }).inputPrefix,
      undefined,
      value,
    );
  }
});

Deno.test("tagsToRecord() keeps the last duplicate and treats a missing value as empty", () => {
  assert.deepEqual(
    tagsToRecord([{ Key: "a", Value: "1" }, { Key: "a", Value: "2" }, { Key: "b" }]),
    {
      a: "2",
      b: "",
    },
  );
});
