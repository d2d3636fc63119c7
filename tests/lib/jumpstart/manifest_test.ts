import assert from "node:assert/strict";
import { JumpStartModelNotFoundError } from "../../../lib/errors.ts";
import {
  compareVersions,
  parseJumpStartManifest,
  selectJumpStartManifestEntry,
} from "../../../lib/jumpstart/manifest.ts";

const manifest = [
  { model_id: "b-model", version: "1.0.0", spec_key: "b/specs_v1.0.0.json" },
  { model_id: "a-model", version: "1.9.3", spec_key: "a/specs_v1.9.3.json" },
  { model_id: "a-model", version: "1.10.0", spec_key: "a/specs_v1.10.0.json" },
  { model_id: "a-model", version: "1.2.0", spec_key: "a/specs_v1.2.0.json" },
];

Deno.test("selectJumpStartManifestEntry() picks the highest semantic version for *", () => {
  const entry = selectJumpStartManifestEntry(manifest, { modelId: "a-model", version: "*" });
  assert.equal(entry.version, "1.10.0");
  assert.equal(entry.spec_key, "a/specs_v1.10.0.json");
});

Deno.test("selectJumpStartManifestEntry() finds an exact version", () => {
  const entry = selectJumpStartManifestEntry(manifest, { modelId: "a-model", version: "1.9.3" });
  assert.equal(entry.spec_key, "a/specs_v1.9.3.json");
});

Deno.test("selectJumpStartManifestEntry() rejects an unknown model listing the known ids", () => {
  assert.throws(
    () => selectJumpStartManifestEntry(manifest, { modelId: "c-model", version: "*" }),
    (error: unknown) => {
      assert.ok(error instanceof JumpStartModelNotFoundError);
      assert.deepEqual(error.available, ["a-model", "b-model"]);
      assert.match(error.message, /Unknown JumpStart model "c-model".*a-model, b-model/);
      return true;
    },
  );
});

Deno.test("selectJumpStartManifestEntry() rejects an unknown version listing versions, newest first", () => {
  assert.throws(
    () => selectJumpStartManifestEntry(manifest, { modelId: "a-model", version: "9.9.9" }),
    (error: unknown) => {
      assert.ok(error instanceof JumpStartModelNotFoundError);
      assert.equal(error.version, "9.9.9");
      assert.deepEqual(error.available, ["1.10.0", "1.9.3", "1.2.0"]);
      return true;
    },
  );
});

Deno.test("compareVersions() orders numerically and puts releases above pre-releases", () => {
  assert.ok(compareVersions("1.10.0", "1.9.3") > 0);
  assert.ok(compareVersions("2.0.0", "10.0.0") < 0);
  assert.equal(compareVersions("1.2", "1.2.0"), 0);
  assert.ok(compareVersions("2.0.0", "2.0.0-rc1") > 0);
  assert.ok(compareVersions("2.0.0-rc1", "2.0.0-rc2") < 0);
});

Deno.test("parseJumpStartManifest() rejects a file that is not a list of entries", () => {
  assert.throws(() => parseJumpStartManifest({}, "s3://b/models_manifest.json"), {
    name: "TypeError",
    message: /s3:\/\/b\/models_manifest.json: must be a JSON array/,
  });
  assert.throws(
    () => parseJumpStartManifest([{ model_id: "m", version: 1 }], "m.json"),
    { name: "TypeError", message: /entry 0 must have string model_id, version and spec_key/ },
  );
  assert.equal(parseJumpStartManifest(manifest, "m.json").length, 4);
});
