/**
 * `ListBuckets` (`GET /`): the account's buckets in name order, with
 * `prefix`, `bucket-region`, `max-buckets` and `continuation-token`.
 *
 * @module
 */
import { invalidArgument } from "./errors.ts";
import type { S3Call } from "./operation.ts";
import { s3XmlResponse } from "./operation.ts";

/** Handles `ListBuckets`. */
export function ListBuckets(call: S3Call): Response {
  const { query } = call.request;
  const prefix = query.get("prefix") ?? "";
  const region = query.get("bucket-region");
  const maxText = query.get("max-buckets");
  const max = maxText === null ? 10_000 : Number(maxText);
  if (!Number.isInteger(max) || max < 1 || max > 10_000) {
    throw invalidArgument(
      "max-buckets must be an integer from 1 to 10000",
      "max-buckets",
      maxText ?? "",
    );
  }
  const tokenText = query.get("continuation-token");
  let after = "";
  if (tokenText !== null) {
    try {
      after = atob(tokenText);
    } catch {
      throw invalidArgument(
        "The continuation token provided is incorrect",
        "continuation-token",
        tokenText,
      );
    }
  }
  const matching = call.store.buckets().filter((bucket) =>
    bucket.name.startsWith(prefix) && (region === null || bucket.region === region) &&
    bucket.name > after
  );
  const page = matching.slice(0, max);
  const truncated = matching.length > page.length;
  return s3XmlResponse(call.request, "ListAllMyBucketsResult", {
    Owner: { ID: call.ownerId, DisplayName: "emulator" },
    Buckets: page.length === 0 ? "" : {
      Bucket: page.map((bucket) => ({
        Name: bucket.name,
        CreationDate: bucket.creationDate,
        BucketRegion: bucket.region,
      })),
    },
    ContinuationToken: truncated ? btoa(page.at(-1)!.name) : undefined,
    Prefix: query.has("prefix") ? prefix : undefined,
  });
}
