/**
 * Tags that mark the resources this toolkit creates, so a sweep can find
 * them later and tell which deployment they belong to.
 *
 * @module
 */
import { paginateListTags, type Tag } from "@aws-sdk/client-sagemaker";
import type { AwsClients } from "./clients.ts";

/** Prefix reserved for this toolkit's own tag keys. */
export const TOOLKIT_TAG_PREFIX = "sagemaker-async:";
/** `true` on every resource the toolkit created. */
export const MANAGED_TAG_KEY = "sagemaker-async:managed";
/** The deployment a resource belongs to. */
export const DEPLOYMENT_ID_TAG_KEY = "sagemaker-async:deployment-id";
/** When the deployment was created, ISO 8601. */
export const CREATED_AT_TAG_KEY = "sagemaker-async:created-at";
/**
 * Where the deployment uploads request payloads (its `inputPrefix`), which SageMaker does not
 * record. Characters a tag value cannot hold are escaped as `=XX` per UTF-8 byte (`=` itself
 * as `=3D`); {@linkcode readDeploymentTags} undoes it.
 */
export const INPUT_PREFIX_TAG_KEY = "sagemaker-async:input-prefix";
/** The JumpStart model id, under the key the SageMaker Python SDK uses. */
export const JUMPSTART_MODEL_ID_TAG_KEY = "sagemaker-sdk:jumpstart-model-id";
/** The JumpStart model version, under the key the SageMaker Python SDK uses. */
export const JUMPSTART_MODEL_VERSION_TAG_KEY = "sagemaker-sdk:jumpstart-model-version";
/** Most tags one SageMaker resource may carry. */
export const MAX_TAGS_PER_RESOURCE = 50;

/** A tag as the SageMaker and CloudWatch APIs take it. */
export interface ResourceTag {
  /** 1-128 characters. */
  Key: string;
  /** 0-256 characters. */
  Value: string;
}

/** Options for {@linkcode buildDeploymentTags}. */
export interface BuildDeploymentTagsOptions {
  /** The deployment's id (becomes `sagemaker-async:deployment-id`). */
  deploymentId: string;
  /** Creation time (becomes `sagemaker-async:created-at`). */
  createdAt: Date | number;
  /**
   * Where request payloads go (becomes `sagemaker-async:input-prefix`, escaped). A
   * `RangeError` says when it needs more than the 256 characters a tag value holds.
   */
  inputPrefix?: string;
  /** JumpStart model id, if the deployment runs a JumpStart model. */
  jumpStartModelId?: string;
  /** JumpStart model version, if the deployment runs a JumpStart model. */
  jumpStartModelVersion?: string;
  /** Extra tags from the user; keys must not start with `aws:` or `sagemaker-async:`. */
  userTags?: Readonly<Record<string, string>>;
}

const TAG_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** What {@linkcode escapeTagValue} keeps as it is: the tag alphabet without its escape, `=`. */
const TAG_VALUE_SAFE = /[\p{L}\p{Z}\p{N}_.:/+\-@]/u;
const MAX_TAG_VALUE_LENGTH = 256;

/**
 * Builds the tags every resource of a deployment carries: the toolkit's own
 * keys (with the input prefix, escaped to fit a tag value), the SageMaker
 * Python SDK's JumpStart keys, then the user's tags. Throws a `TypeError` or
 * `RangeError` for a tag AWS would refuse or a user key in a reserved
 * namespace.
 *
 * @example
 * ```ts
 * import { buildDeploymentTags, readDeploymentTags } from "@sagemaker-async/toolkit";
 *
 * const tags = buildDeploymentTags({
 *   deploymentId: "d-1",
 *   createdAt: Date.UTC(2026, 0, 1),
 *   inputPrefix: "s3://my-bucket/inputs/run=1",
 *   userTags: { team: "research" },
 * });
 * const info = readDeploymentTags(tags);
 * if (!info.managed || info.deploymentId !== "d-1") throw new Error("tags do not round-trip");
 * if (info.createdAt !== Date.UTC(2026, 0, 1)) throw new Error("wrong creation time");
 * if (info.inputPrefix !== "s3://my-bucket/inputs/run=1") throw new Error(info.inputPrefix);
 * ```
 */
export function buildDeploymentTags(options: BuildDeploymentTagsOptions): ResourceTag[] {
  const createdAt = new Date(options.createdAt);
  if (Number.isNaN(createdAt.getTime())) {
    throw new TypeError(
      `Invalid createdAt ${JSON.stringify(options.createdAt)}: must be a valid date`,
    );
  }
  const tags: ResourceTag[] = [
    { Key: MANAGED_TAG_KEY, Value: "true" },
    { Key: DEPLOYMENT_ID_TAG_KEY, Value: options.deploymentId },
    { Key: CREATED_AT_TAG_KEY, Value: createdAt.toISOString() },
  ];
  if (options.inputPrefix !== undefined) {
    const value = escapeTagValue(options.inputPrefix);
    if (value.length > MAX_TAG_VALUE_LENGTH) {
      throw new RangeError(
        `Invalid inputPrefix ${JSON.stringify(options.inputPrefix)}: it is recorded in the tag ` +
          `${INPUT_PREFIX_TAG_KEY}, whose value holds at most ${MAX_TAG_VALUE_LENGTH} characters ` +
          `and this prefix needs ${value.length} (characters other than letters, digits, ` +
          "spaces and _.:/+-@ take 3 per UTF-8 byte); use a shorter prefix",
      );
    }
    tags.push({ Key: INPUT_PREFIX_TAG_KEY, Value: value });
  }
  if (options.jumpStartModelId !== undefined) {
    tags.push({ Key: JUMPSTART_MODEL_ID_TAG_KEY, Value: options.jumpStartModelId });
  }
  if (options.jumpStartModelVersion !== undefined) {
    tags.push({ Key: JUMPSTART_MODEL_VERSION_TAG_KEY, Value: options.jumpStartModelVersion });
  }
  for (const tag of tags) assertTag(tag.Key, tag.Value);
  for (const [key, value] of Object.entries(options.userTags ?? {})) {
    assertTag(key, value);
    if (key.toLowerCase().startsWith("aws:")) {
      throw new TypeError(`Invalid tag key ${JSON.stringify(key)}: the "aws:" prefix is reserved`);
    }
    if (key.startsWith(TOOLKIT_TAG_PREFIX) || tags.some((t) => t.Key === key)) {
      throw new TypeError(
        `Invalid tag key ${JSON.stringify(key)}: keys starting with "${TOOLKIT_TAG_PREFIX}" ` +
          "and the JumpStart keys are set by the toolkit",
      );
    }
    tags.push({ Key: key, Value: value });
  }
  if (tags.length > MAX_TAGS_PER_RESOURCE) {
    throw new RangeError(
      `Too many tags: ${tags.length} (the toolkit adds ${
        tags.length - Object.keys(options.userTags ?? {}).length
      }); a resource carries at most ${MAX_TAGS_PER_RESOURCE}`,
    );
  }
  return tags;
}

/** What the toolkit's tags say about a resource. */
export interface DeploymentTagInfo {
  /** Whether `sagemaker-async:managed` is `true`. */
  readonly managed: boolean;
  /** `sagemaker-async:deployment-id`, if present. */
  readonly deploymentId?: string;
  /** `sagemaker-async:created-at` as epoch ms, if present and valid. */
  readonly createdAt?: number;
  /** `sagemaker-async:input-prefix` unescaped, if present and well-formed. */
  readonly inputPrefix?: string;
  /** `sagemaker-sdk:jumpstart-model-id`, if present. */
  readonly jumpStartModelId?: string;
  /** `sagemaker-sdk:jumpstart-model-version`, if present. */
  readonly jumpStartModelVersion?: string;
}

/** Tags as the SDK returns them (`Key`/`Value` may be missing). */
export type TagList = readonly { readonly Key?: string; readonly Value?: string }[];

/** Turns a tag list into a record (later duplicates win). */
export function tagsToRecord(tags: TagList): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags) {
    if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? "";
  }
  return record;
}

/** Options for {@linkcode fetchResourceTags}. */
export interface FetchResourceTagsOptions {
  /** SageMaker, for `ListTags`. */
  clients: Pick<AwsClients, "sagemaker">;
  /** The endpoint's, endpoint config's or model's ARN. */
  resourceArn: string;
  /** Cancels the calls; SDK calls reject with the abort. */
  signal?: AbortSignal;
}

/**
 * Every tag of a SageMaker resource (each page of `ListTags`), as a record;
 * read the toolkit's with {@linkcode readDeploymentTags}. SDK errors pass
 * through unchanged.
 *
 * @example
 * ```ts
 * import { ListTagsCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
 * import { mockClient } from "aws-sdk-client-mock";
 * import { fetchResourceTags } from "@sagemaker-async/toolkit";
 *
 * const sagemaker = new SageMakerClient({ region: "us-east-1" });
 * mockClient(sagemaker).on(ListTagsCommand)
 *   .resolvesOnce({ Tags: [{ Key: "team", Value: "a" }], NextToken: "2" })
 *   .resolves({ Tags: [{ Key: "sagemaker-async:managed", Value: "true" }] });
 * const tags = await fetchResourceTags({
 *   clients: { sagemaker },
 *   resourceArn: "arn:aws:sagemaker:us-east-1:123456789012:endpoint/falcon",
 * });
 * if (tags.team !== "a" || tags["sagemaker-async:managed"] !== "true") throw new Error();
 * ```
 */
export async function fetchResourceTags(
  options: FetchResourceTagsOptions,
): Promise<Record<string, string>> {
  const { clients, resourceArn, signal } = options;
  const tags: Tag[] = [];
  const pages = paginateListTags(
    { client: clients.sagemaker, pageSize: 100 },
    { ResourceArn: resourceArn },
    { abortSignal: signal },
  );
  for await (const page of pages) tags.push(...(page.Tags ?? []));
  return tagsToRecord(tags);
}

/** Reads the toolkit's tags from a tag list or record (see {@linkcode buildDeploymentTags}). */
export function readDeploymentTags(
  tags: TagList | Readonly<Record<string, string>>,
): DeploymentTagInfo {
  const record = Array.isArray(tags) ? tagsToRecord(tags as TagList) : tags as Record<
    string,
    string
  >;
  const createdAt = record[CREATED_AT_TAG_KEY] === undefined
    ? undefined
    : Date.parse(record[CREATED_AT_TAG_KEY]);
  const inputPrefix = record[INPUT_PREFIX_TAG_KEY] === undefined
    ? undefined
    : unescapeTagValue(record[INPUT_PREFIX_TAG_KEY]);
  return {
    managed: record[MANAGED_TAG_KEY] === "true",
    ...(record[DEPLOYMENT_ID_TAG_KEY] !== undefined &&
      { deploymentId: record[DEPLOYMENT_ID_TAG_KEY] }),
    ...(createdAt !== undefined && !Number.isNaN(createdAt) && { createdAt }),
    ...(inputPrefix !== undefined && { inputPrefix }),
    ...(record[JUMPSTART_MODEL_ID_TAG_KEY] !== undefined &&
      { jumpStartModelId: record[JUMPSTART_MODEL_ID_TAG_KEY] }),
    ...(record[JUMPSTART_MODEL_VERSION_TAG_KEY] !== undefined &&
      { jumpStartModelVersion: record[JUMPSTART_MODEL_VERSION_TAG_KEY] }),
  };
}

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Keeps what a tag value may hold; writes anything else as `=XX` per UTF-8 byte. */
function escapeTagValue(text: string): string {
  let escaped = "";
  for (const char of text) {
    if (TAG_VALUE_SAFE.test(char)) {
      escaped += char;
      continue;
    }
    for (const byte of utf8.encode(char)) {
      escaped += `=${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }
  }
  return escaped;
}

/** Undoes {@linkcode escapeTagValue}; `undefined` for a value it cannot have written. */
function unescapeTagValue(value: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < value.length;) {
    if (value[i] === "=") {
      const hex = value.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 3;
      continue;
    }
    const char = String.fromCodePoint(value.codePointAt(i)!);
    bytes.push(...utf8.encode(char));
    i += char.length;
  }
  try {
    return strictUtf8.decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}

function assertTag(key: unknown, value: unknown): void {
  if (typeof key !== "string" || key.length < 1 || key.length > 128 || !TAG_PATTERN.test(key)) {
    throw new TypeError(
      `Invalid tag key ${JSON.stringify(key)}: must be 1-128 letters, digits, spaces and _.:/=+-@`,
    );
  }
  if (typeof value !== "string" || value.length > 256 || !TAG_PATTERN.test(value)) {
    throw new TypeError(
      `Invalid value ${JSON.stringify(value)} of tag ${JSON.stringify(key)}: ` +
        "must be 0-256 letters, digits, spaces and _.:/=+-@",
    );
  }
}
