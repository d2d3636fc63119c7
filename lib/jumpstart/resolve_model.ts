/**
 * JumpStart model id + version -> everything needed to host it: image URI,
 * model data, environment, instance types, EULA flag.
 *
 * @module
 */
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { AwsClients } from "../clients.ts";
import { assertBucketName } from "../s3_uri.ts";
import { assertContainerEnvironment, assertInstanceType } from "../validation.ts";
import {
  type JumpStartManifestEntry,
  parseJumpStartManifest,
  selectJumpStartManifestEntry,
} from "./manifest.ts";
import {
  buildJumpStartModelSpec,
  type JumpStartModelSpec,
  parseJumpStartSpecFile,
} from "./spec.ts";
import { JUMPSTART_SNAPSHOT } from "./falcon_40b_instruct_snapshot.ts";
import { abortable } from "../abortable.ts";

/** Where to read JumpStart specs from. */
export type JumpStartSource = "auto" | "bucket" | "snapshot";

/** Options for {@linkcode resolveJumpStartModel}. */
export interface ResolveJumpStartModelOptions {
  /** `region` always; `s3` unless `source` is `snapshot`. */
  clients: Pick<AwsClients, "region"> & Partial<Pick<AwsClients, "s3">>;
  /** JumpStart model id, e.g. `huggingface-llm-falcon-40b-instruct-bf16`. */
  modelId: string;
  /** Exact version, or `*` (default) for the highest. */
  version?: string;
  /** Instance type; default the spec's default. Selects per-instance environment. */
  instanceType?: string;
  /** Extra container variables, applied over the spec's. */
  environment?: Readonly<Record<string, string>>;
  /**
   * `auto` (default): read the content bucket, and use the offline snapshot
   * when the bucket or file is missing, access is denied or the network
   * fails; `bucket`: the bucket only; `snapshot`: the snapshot only.
   */
  source?: JumpStartSource;
  /**
   * Content bucket; default `AWS_JUMPSTART_CONTENT_BUCKET_OVERRIDE`, else
   * `jumpstart-cache-prod-<region>`. Model artifacts are taken from it too.
   */
  bucket?: string;
  /** Environment read for `AWS_JUMPSTART_CONTENT_BUCKET_OVERRIDE`; default `Deno.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Cancels the S3 reads; rejects with `signal.reason`. */
  signal?: AbortSignal;
}

const MANIFEST_KEY = "models_manifest.json";
const SOURCES: readonly JumpStartSource[] = ["auto", "bucket", "snapshot"];

/**
 * Resolves a JumpStart model for the clients' region, reading
 * `models_manifest.json` and the model's spec file from the content bucket
 * through the S3 client (cached per client, region and bucket for the life
 * of the process), or from the offline snapshot.
 *
 * Unknown model id or version -> `JumpStartModelNotFoundError` listing what
 * exists; unsupported instance type -> `UnsupportedInstanceTypeError`; no
 * image for the region -> `RangeError`. In `bucket` mode S3 errors pass
 * through unchanged (`NoSuchKey`, `NoSuchBucket`, `AccessDenied`, ...).
 *
 * @example The offline snapshot
 * ```ts
 * import { resolveJumpStartModel } from "@sagemaker-async/toolkit";
 *
 * const spec = await resolveJumpStartModel({
 *   clients: { region: "us-east-1" },
 *   modelId: "huggingface-llm-falcon-40b-instruct-bf16",
 *   instanceType: "ml.g5.12xlarge",
 *   source: "snapshot",
 * });
 * if (spec.version !== "2.3.22" || spec.environment.SM_NUM_GPUS !== "4") {
 *   throw new Error("unexpected snapshot contents");
 * }
 * ```
 */
export async function resolveJumpStartModel(
  options: ResolveJumpStartModelOptions,
): Promise<JumpStartModelSpec> {
  const { clients, modelId, signal } = options;
  const version = options.version ?? "*";
  const source = options.source ?? "auto";
  if (typeof modelId !== "string" || modelId === "") {
    throw new TypeError(
      `Invalid modelId ${JSON.stringify(modelId)}: must be a non-empty JumpStart model id`,
    );
  }
  if (typeof version !== "string" || version === "") {
    throw new TypeError(
      `Invalid version ${JSON.stringify(version)}: must be an exact version or "*"`,
    );
  }
  if (!SOURCES.includes(source)) {
    throw new TypeError(
      `Invalid source ${JSON.stringify(source)}: must be "auto", "bucket" or "snapshot"`,
    );
  }
  if (options.instanceType !== undefined) assertInstanceType(options.instanceType);
  if (options.environment !== undefined) assertContainerEnvironment(options.environment);
  const region = clients.region;
  const env = options.env ?? { AWS_JUMPSTART_CONTENT_BUCKET_OVERRIDE: readOverride() };
  const bucket = options.bucket ?? (env.AWS_JUMPSTART_CONTENT_BUCKET_OVERRIDE || undefined) ??
    `jumpstart-cache-prod-${region}`;
  assertBucketName(bucket, "JumpStart content bucket");
  if (source !== "snapshot" && clients.s3 === undefined) {
    throw new TypeError(
      `resolveJumpStartModel() with source "${source}" needs clients.s3 to read ${bucket}; ` +
        'pass it, or use source "snapshot"',
    );
  }
  signal?.throwIfAborted();

  const build = {
    region,
    bucket,
    ...(options.instanceType !== undefined && { instanceType: options.instanceType }),
    ...(options.environment !== undefined && { environment: options.environment }),
  };
  const fromSnapshot = (fallbackReason?: string): JumpStartModelSpec => {
    const entry = selectJumpStartManifestEntry(JUMPSTART_SNAPSHOT.manifest, { modelId, version });
    const file = JUMPSTART_SNAPSHOT.specs[entry.spec_key];
    if (!file) throw new Error(`The JumpStart snapshot lacks ${entry.spec_key}`);
    return buildJumpStartModelSpec(file, {
      ...build,
      source: "snapshot",
      ...(fallbackReason !== undefined && { fallbackReason }),
    });
  };
  if (source === "snapshot") return fromSnapshot();

  const s3 = clients.s3!;
  let location = `s3://${bucket}/${MANIFEST_KEY}`;
  try {
    const manifest = parseJumpStartManifest(
      await readJson({ s3, region, bucket, key: MANIFEST_KEY, signal }),
      location,
    );
    const entry: JumpStartManifestEntry = selectJumpStartManifestEntry(manifest, {
      modelId,
      version,
    });
    location = `s3://${bucket}/${entry.spec_key}`;
    const file = parseJumpStartSpecFile(
      await readJson({ s3, region, bucket, key: entry.spec_key, signal }),
      location,
    );
    return buildJumpStartModelSpec(file, { ...build, source: "bucket" });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (source === "bucket" || !isUnreachable(error)) throw error;
    const reason = `could not read ${location} (${describe(error)}); used the offline snapshot`;
    try {
      return fromSnapshot(reason);
    } catch (snapshotError) {
      if (snapshotError instanceof Error && snapshotError.cause === undefined) {
        snapshotError.cause = error;
      }
      throw snapshotError;
    }
  }
}

const cache = new WeakMap<S3Client, Map<string, Promise<unknown>>>();

function readJson(
  options: { s3: S3Client; region: string; bucket: string; key: string; signal?: AbortSignal },
): Promise<unknown> {
  const { s3, region, bucket, key, signal } = options;
  let perClient = cache.get(s3);
  if (!perClient) {
    perClient = new Map();
    cache.set(s3, perClient);
  }
  const cacheKey = `${region}\n${bucket}\n${key}`;
  let pending = perClient.get(cacheKey);
  if (!pending) {
    // Not tied to one caller's signal: other callers may share the read.
    pending = s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })).then(async (r) => {
      const text = await r.Body?.transformToString("utf-8");
      try {
        return JSON.parse(text ?? "") as unknown;
      } catch (error) {
        throw new TypeError(`Malformed JumpStart file s3://${bucket}/${key}: not JSON`, {
          cause: error,
        });
      }
    });
    const stored = pending;
    stored.catch(() => {
      if (perClient.get(cacheKey) === stored) perClient.delete(cacheKey);
    });
    perClient.set(cacheKey, stored);
  }
  return abortable(pending, signal);
}

const UNREACHABLE_NAMES = new Set([
  "NoSuchBucket",
  "NoSuchKey",
  "AccessDenied",
  "NotFound",
  "Forbidden",
  "PermanentRedirect",
  "AllAccessDisabled",
  "InvalidAccessKeyId",
  "CredentialsProviderError",
  "TimeoutError",
  "NetworkingError",
  "RequestTimeout",
]);
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

function isUnreachable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return (typeof name === "string" && UNREACHABLE_NAMES.has(name)) ||
    (typeof code === "string" && UNREACHABLE_CODES.has(code));
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function readOverride(): string | undefined {
  return Deno.env.get("AWS_JUMPSTART_CONTENT_BUCKET_OVERRIDE");
}
