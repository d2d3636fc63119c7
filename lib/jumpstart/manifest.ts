/**
 * The JumpStart model manifest (`models_manifest.json` in the regional
 * content bucket `jumpstart-cache-prod-<region>`), and picking a model
 * version from it.
 *
 * The file is a JSON array of entries, one per model version:
 *
 * ```json
 * [{ "model_id": "huggingface-llm-falcon-40b-instruct-bf16",
 *    "version": "2.3.22",
 *    "min_version": "2.189.0",
 *    "spec_key": "community_models/huggingface-llm-falcon-40b-instruct-bf16/specs_v2.3.22.json",
 *    "search_keywords": ["Text Generation"] }]
 * ```
 *
 * `min_version` is the lowest SageMaker Python SDK version that can use the
 * entry; this toolkit does not filter on it.
 *
 * @module
 */
import { JumpStartModelNotFoundError } from "../errors.ts";

/** One entry of `models_manifest.json`. */
export interface JumpStartManifestEntry {
  /** Model id, e.g. `huggingface-llm-falcon-40b-instruct-bf16`. */
  readonly model_id: string;
  /** Semantic version of the model's spec, e.g. `2.3.22`. */
  readonly version: string;
  /** Lowest SageMaker Python SDK version for this entry (not used here). */
  readonly min_version?: string;
  /** Key of the spec file in the same bucket. */
  readonly spec_key: string;
  /** Search keywords (not used here). */
  readonly search_keywords?: readonly string[];
}

/**
 * Checks the shape of a parsed `models_manifest.json` and returns its
 * entries. Throws a `TypeError` naming `source` and the first bad entry.
 */
export function parseJumpStartManifest(
  json: unknown,
  source: string,
): JumpStartManifestEntry[] {
  if (!Array.isArray(json)) {
    throw new TypeError(`Malformed JumpStart manifest ${source}: must be a JSON array of entries`);
  }
  json.forEach((entry, i) => {
    if (
      typeof entry !== "object" || entry === null || typeof entry.model_id !== "string" ||
      typeof entry.version !== "string" || typeof entry.spec_key !== "string"
    ) {
      throw new TypeError(
        `Malformed JumpStart manifest ${source}: entry ${i} must have string ` +
          `model_id, version and spec_key, got ${JSON.stringify(entry)?.slice(0, 200)}`,
      );
    }
  });
  return json as JumpStartManifestEntry[];
}

/** Options for {@linkcode selectJumpStartManifestEntry}. */
export interface SelectJumpStartManifestEntryOptions {
  /** The model id to find. */
  modelId: string;
  /** An exact version, or `*` for the highest. */
  version: string;
}

/**
 * Finds a model version in a manifest: an exact version, or the highest
 * semantic version for `*`. Throws {@linkcode JumpStartModelNotFoundError}
 * listing the known model ids (unknown model) or versions (unknown version).
 *
 * @example
 * ```ts
 * import { selectJumpStartManifestEntry } from "@sagemaker-async/toolkit";
 *
 * const manifest = [
 *   { model_id: "m", version: "1.10.0", spec_key: "m/specs_v1.10.0.json" },
 *   { model_id: "m", version: "1.9.3", spec_key: "m/specs_v1.9.3.json" },
 * ];
 * const latest = selectJumpStartManifestEntry(manifest, { modelId: "m", version: "*" });
 * if (latest.version !== "1.10.0") throw new Error("not the highest version");
 * ```
 */
export function selectJumpStartManifestEntry(
  manifest: readonly JumpStartManifestEntry[],
  options: SelectJumpStartManifestEntryOptions,
): JumpStartManifestEntry {
  const { modelId, version } = options;
  const candidates = manifest.filter((entry) => entry.model_id === modelId);
  if (candidates.length === 0) {
    const ids = [...new Set(manifest.map((entry) => entry.model_id))].sort();
    throw new JumpStartModelNotFoundError({ modelId, version, available: ids, what: "model" });
  }
  const sorted = [...candidates].sort((a, b) => compareVersions(b.version, a.version));
  const found = version === "*" ? sorted[0] : sorted.find((entry) => entry.version === version);
  if (!found) {
    throw new JumpStartModelNotFoundError({
      modelId,
      version,
      available: sorted.map((entry) => entry.version),
      what: "version",
    });
  }
  return found;
}

/**
 * Compares two dotted versions numerically (`1.10.0` > `1.9.3`); a release
 * sorts above its pre-releases (`2.0.0` > `2.0.0-rc1`). Returns a negative
 * number, zero or a positive number.
 */
export function compareVersions(a: string, b: string): number {
  const [coreA = "", preA] = splitPre(a);
  const [coreB = "", preB] = splitPre(b);
  const partsA = coreA.split(".");
  const partsB = coreB.split(".");
  for (let i = 0; i < Math.max(partsA.length, partsB.length); i++) {
    const x = partsA[i] ?? "0";
    const y = partsB[i] ?? "0";
    const nx = Number(x);
    const ny = Number(y);
    const diff = Number.isInteger(nx) && Number.isInteger(ny) ? nx - ny : x.localeCompare(y);
    if (diff !== 0) return diff;
  }
  if (preA === undefined || preB === undefined) {
    return (preA === undefined ? 1 : 0) - (preB === undefined ? 1 : 0);
  }
  return preA.localeCompare(preB);
}

function splitPre(version: string): [string, string | undefined] {
  const dash = version.indexOf("-");
  return dash === -1 ? [version, undefined] : [version.slice(0, dash), version.slice(dash + 1)];
}
