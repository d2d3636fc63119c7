/**
 * `ListObjects` (version 1, `GET /<bucket>` without `list-type`), still used
 * by boto3's resource API: `prefix`, `delimiter`, `marker`, `max-keys`,
 * `encoding-type=url`; `NextMarker` only with a delimiter, as in S3.
 *
 * @module
 */
import { listedObject, listPage, readListingQuery } from "./listing.ts";
import type { S3Call } from "./operation.ts";
import { s3XmlResponse } from "./operation.ts";
import { compareKeys } from "./sorted_keys.ts";

/** Handles `ListObjects`. */
export function ListObjects(call: S3Call): Response {
  const { bucket, prefix, delimiter, maxKeys, pageSize, encodingType, encode } = readListingQuery(
    call,
  );
  const marker = call.request.query.get("marker") ?? "";
  const rolledUp = delimiter !== "" && marker.startsWith(prefix) && marker.endsWith(delimiter);
  const page = listPage(bucket, {
    prefix,
    delimiter,
    maxKeys: pageSize,
    after: marker === "" ? undefined : { key: marker, skipPrefix: rolledUp ? marker : undefined },
  });
  const lastContent = page.contents.at(-1)?.key;
  const lastPrefix = page.commonPrefixes.at(-1);
  const nextMarker = lastPrefix !== undefined &&
      (lastContent === undefined || compareKeys(lastPrefix, lastContent) > 0)
    ? lastPrefix
    : lastContent;
  const owner = { ID: call.ownerId, DisplayName: "emulator" };
  return s3XmlResponse(call.request, "ListBucketResult", {
    Name: bucket.name,
    Prefix: encode(prefix),
    Marker: encode(marker),
    NextMarker: page.truncated && delimiter !== "" && nextMarker !== undefined
      ? encode(nextMarker)
      : undefined,
    MaxKeys: maxKeys,
    Delimiter: delimiter === "" ? undefined : encode(delimiter),
    EncodingType: encodingType,
    IsTruncated: page.truncated,
    Contents: page.contents.map((object) => listedObject(object, encode, owner)),
    CommonPrefixes: page.commonPrefixes.map((common) => ({ Prefix: encode(common) })),
  });
}
