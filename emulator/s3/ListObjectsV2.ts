/**
 * `ListObjectsV2` (`GET /<bucket>?list-type=2`): keys in UTF-8 order with
 * `prefix`, `delimiter` (`CommonPrefixes`), `max-keys`, `start-after`,
 * `continuation-token`, `fetch-owner` and `encoding-type=url`. The page walk
 * is `listing.ts`'s; the continuation token is where it resumes, as
 * base64 JSON.
 *
 * @module
 */
import { invalidArgument } from "./errors.ts";
import { listedObject, listPage, readListingQuery, type Resume } from "./listing.ts";
import type { S3Call } from "./operation.ts";
import { s3XmlResponse } from "./operation.ts";
import { compareKeys } from "./sorted_keys.ts";

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

/** Handles `ListObjectsV2`. */
export function ListObjectsV2(call: S3Call): Response {
  const { bucket, prefix, delimiter, maxKeys, pageSize, encodingType, encode } = readListingQuery(
    call,
  );
  const query = call.request.query;
  const startAfter = query.get("start-after");
  const token = query.get("continuation-token");
  let after: Resume | undefined = token !== null ? decodeToken(token) : undefined;
  if (startAfter !== null && (after === undefined || compareKeys(startAfter, after.key) > 0)) {
    after = { key: startAfter, skipPrefix: after?.skipPrefix };
  }
  const page = listPage(bucket, {
    prefix,
    delimiter,
    maxKeys: pageSize,
    after,
  });
  const owner = query.get("fetch-owner") === "true"
    ? { ID: call.ownerId, DisplayName: "emulator" }
    : undefined;
  return s3XmlResponse(call.request, "ListBucketResult", {
    Name: bucket.name,
    Prefix: encode(prefix),
    Delimiter: delimiter === "" ? undefined : encode(delimiter),
    StartAfter: startAfter === null ? undefined : encode(startAfter),
    ContinuationToken: token ?? undefined,
    KeyCount: page.contents.length + page.commonPrefixes.length,
    MaxKeys: maxKeys,
    EncodingType: encodingType,
    IsTruncated: page.truncated,
    NextContinuationToken: page.truncated && page.next ? encodeToken(page.next) : undefined,
    Contents: page.contents.map((object) => listedObject(object, encode, owner)),
    CommonPrefixes: page.commonPrefixes.map((common) => ({ Prefix: encode(common) })),
  });
}
