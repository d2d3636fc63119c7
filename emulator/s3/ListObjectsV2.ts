/**
 * `ListObjectsV2` (`GET /<bucket>?list-type=2`): keys in UTF-8 order with
 * `prefix`, `delimiter` (`CommonPrefixes`), `max-keys`, `start-after`,
 * `continuation-token`, `fetch-owner` and `encoding-type=url`. The walk
 * starts with a binary search in the bucket's sorted keys and skips a
 * rolled-up prefix in one more search, so a page costs O(log n + page).
 *
 * @module
 */
import { invalidArgument } from "./errors.ts";
import type { S3Call } from "./operation.ts";
import { s3XmlResponse } from "./operation.ts";
import { compareKeys } from "./sorted_keys.ts";
import type { Bucket, S3Object } from "./store.ts";

/** Where a listing resumes: after `key`, skipping keys under `skipPrefix`. */
interface Resume {
  key: string;
  skipPrefix?: string;
}

function encodeToken(resume: Resume): string {
  const bytes = new TextEncoder().encode(JSON.stringify(resume));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function decodeToken(token: string): Resume {
  const fail = () =>
    invalidArgument(
      "The continuation token provided is incorrect",
      "continuation-token",
      token,
    );
  let parsed: unknown;
  try {
    const binary = atob(token);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw fail();
  }
  const resume = parsed as Partial<Resume>;
  if (
    typeof parsed !== "object" || parsed === null || typeof resume.key !== "string" ||
    (resume.skipPrefix !== undefined && typeof resume.skipPrefix !== "string")
  ) throw fail();
  return resume as Resume;
}

/** One page of a listing. */
export interface ListingPage {
  readonly contents: S3Object[];
  readonly commonPrefixes: string[];
  readonly truncated: boolean;
  /** Where the next page starts, when truncated. */
  readonly next: Resume | undefined;
}

/** Walks a bucket's sorted keys for one page. */
export function listPage(
  bucket: Bucket,
  options: { prefix: string; delimiter: string; maxKeys: number; after: Resume | undefined },
): ListingPage {
  const { prefix, delimiter, maxKeys, after } = options;
  const keys = bucket.keys;
  let index = keys.firstAtOrAfter(prefix);
  if (after) {
    index = Math.max(index, keys.firstAfter(after.key));
    if (after.skipPrefix) index = Math.max(index, keys.firstPast(after.skipPrefix));
  }
  const contents: S3Object[] = [];
  const commonPrefixes: string[] = [];
  if (maxKeys === 0) return { contents, commonPrefixes, truncated: false, next: undefined };
  let last: Resume | undefined;
  while (index < keys.size) {
    const key = keys.at(index)!;
    if (!key.startsWith(prefix)) break;
    if (contents.length + commonPrefixes.length >= maxKeys) {
      return { contents, commonPrefixes, truncated: true, next: last };
    }
    if (delimiter !== "") {
      const cut = key.indexOf(delimiter, prefix.length);
      if (cut !== -1) {
        const common = key.slice(0, cut + delimiter.length);
        commonPrefixes.push(common);
        last = { key, skipPrefix: common };
        index = keys.firstPast(common);
        continue;
      }
    }
    contents.push(bucket.objects.get(key)!);
    last = { key };
    index++;
  }
  return { contents, commonPrefixes, truncated: false, next: undefined };
}

/** S3's `encoding-type=url`: percent-encode, keeping `/`. */
function urlEncode(text: string): string {
  return encodeURIComponent(text).replace(/%2F/g, "/");
}

/** Handles `ListObjectsV2`. */
export function ListObjectsV2(call: S3Call): Response {
  const { request, store } = call;
  const bucket = store.bucket(call.bucket);
  const query = request.query;
  const prefix = query.get("prefix") ?? "";
  const delimiter = query.get("delimiter") ?? "";
  const encodingType = query.get("encoding-type");
  if (encodingType !== null && encodingType !== "url") {
    throw invalidArgument(
      "Invalid Encoding Method specified in Request",
      "encoding-type",
      encodingType,
    );
  }
  const maxText = query.get("max-keys");
  const maxKeys = maxText === null ? 1000 : Number(maxText);
  if (maxText !== null && (!/^\d+$/.test(maxText) || !Number.isSafeInteger(maxKeys))) {
    throw invalidArgument(
      "Provided max-keys not an integer or within integer range",
      "max-keys",
      maxText,
    );
  }
  const startAfter = query.get("start-after");
  const token = query.get("continuation-token");
  let after: Resume | undefined = token !== null ? decodeToken(token) : undefined;
  if (startAfter !== null && (after === undefined || compareKeys(startAfter, after.key) > 0)) {
    after = { key: startAfter, skipPrefix: after?.skipPrefix };
  }
  const page = listPage(bucket, {
    prefix,
    delimiter,
    maxKeys: Math.min(maxKeys, 1000),
    after,
  });
  const enc = encodingType === "url" ? urlEncode : (text: string) => text;
  const fetchOwner = query.get("fetch-owner") === "true";
  return s3XmlResponse(request, "ListBucketResult", {
    Name: bucket.name,
    Prefix: enc(prefix),
    Delimiter: delimiter === "" ? undefined : enc(delimiter),
    StartAfter: startAfter === null ? undefined : enc(startAfter),
    ContinuationToken: token ?? undefined,
    KeyCount: page.contents.length + page.commonPrefixes.length,
    MaxKeys: maxKeys,
    EncodingType: encodingType ?? undefined,
    IsTruncated: page.truncated,
    NextContinuationToken: page.truncated && page.next ? encodeToken(page.next) : undefined,
    Contents: page.contents.map((object) => ({
      Key: enc(object.key),
      LastModified: object.lastModified,
      ETag: object.etag,
      ChecksumAlgorithm: object.checksum.algorithm,
      ChecksumType: "FULL_OBJECT",
      Size: object.size,
      Owner: fetchOwner ? { ID: call.ownerId, DisplayName: "emulator" } : undefined,
      StorageClass: object.storageClass,
    })),
    CommonPrefixes: page.commonPrefixes.map((common) => ({ Prefix: enc(common) })),
  });
}
