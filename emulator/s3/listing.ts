/**
 * What `ListObjects` and `ListObjectsV2` share: the query parameters both
 * read (`prefix`, `delimiter`, `max-keys`, `encoding-type=url`), the walk
 * over a bucket's sorted keys for one page, and the `<Contents>` rows. The
 * walk starts with a binary search in the bucket's sorted keys and skips a
 * rolled-up prefix in one more search, so a page costs O(log n + page).
 *
 * @module
 */
import { invalidArgument } from "./errors.ts";
import type { S3Call } from "./operation.ts";
import type { Bucket, S3Object } from "./store.ts";

/** Where a listing resumes: after `key`, skipping keys under `skipPrefix`. */
export interface Resume {
  key: string;
  skipPrefix?: string;
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

/** The query parameters both listing operations read, checked. */
export interface ListingQuery {
  readonly bucket: Bucket;
  readonly prefix: string;
  readonly delimiter: string;
  /** `max-keys` as sent (default 1000), echoed in `<MaxKeys>`. */
  readonly maxKeys: number;
  /** How many entries a page holds: `max-keys`, at most 1000. */
  readonly pageSize: number;
  readonly encodingType: "url" | undefined;
  /** Encodes a key, prefix or delimiter for the response as `encoding-type` asks. */
  readonly encode: (text: string) => string;
}

/** S3's `encoding-type=url`: percent-encode, keeping `/`. */
function urlEncode(text: string): string {
  return encodeURIComponent(text).replace(/%2F/g, "/");
}

function asIs(text: string): string {
  return text;
}

/** Reads and checks the bucket and the shared listing parameters; `NoSuchBucket`, `InvalidArgument`. */
export function readListingQuery(call: S3Call): ListingQuery {
  const bucket = call.store.bucket(call.bucket);
  const query = call.request.query;
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
  return {
    bucket,
    prefix: query.get("prefix") ?? "",
    delimiter: query.get("delimiter") ?? "",
    maxKeys,
    pageSize: Math.min(maxKeys, 1000),
    encodingType: encodingType ?? undefined,
    encode: encodingType === "url" ? urlEncode : asIs,
  };
}

/** The `<Contents>` row of one listed object; `owner` only when the operation returns it. */
export function listedObject(
  object: S3Object,
  encode: (text: string) => string,
  owner: { ID: string; DisplayName: string } | undefined,
): Record<string, unknown> {
  return {
    Key: encode(object.key),
    LastModified: object.lastModified,
    ETag: object.etag,
    ChecksumAlgorithm: object.checksum.algorithm,
    ChecksumType: "FULL_OBJECT",
    Size: object.size,
    Owner: owner,
    StorageClass: object.storageClass,
  };
}
