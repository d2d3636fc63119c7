/**
 * `ListObjects` (version 1, `GET /<bucket>` without `list-type`), still used
 * by boto3's resource API: `prefix`, `delimiter`, `marker`, `max-keys`,
 * `encoding-type=url`; `NextMarker` only with a delimiter, as in S3.
 *
 * @module
 */
import { invalidArgument } from "./errors.ts";
import { listPage } from "./ListObjectsV2.ts";
import type { S3Call } from "./operation.ts";
import { s3XmlResponse } from "./operation.ts";

/** Handles `ListObjects`. */
export function ListObjects(call: S3Call): Response {
  const { request, store } = call;
  const bucket = store.bucket(call.bucket);
  const query = request.query;
  const prefix = query.get("prefix") ?? "";
  const delimiter = query.get("delimiter") ?? "";
  const marker = query.get("marker") ?? "";
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
  const rolledUp = delimiter !== "" && marker.startsWith(prefix) && marker.endsWith(delimiter);
  const page = listPage(bucket, {
    prefix,
    delimiter,
    maxKeys: Math.min(maxKeys, 1000),
    after: marker === "" ? undefined : { key: marker, skipPrefix: rolledUp ? marker : undefined },
  });
  const enc = encodingType === "url"
    ? (text: string) => encodeURIComponent(text).replace(/%2F/g, "/")
    : (text: string) => text;
  const lastContent = page.contents.at(-1)?.key;
  const lastPrefix = page.commonPrefixes.at(-1);
  const nextMarker =
    lastPrefix !== undefined && (lastContent === undefined || lastPrefix > lastContent)
      ? lastPrefix
      : lastContent;
  return s3XmlResponse(request, "ListBucketResult", {
    Name: bucket.name,
    Prefix: enc(prefix),
    Marker: enc(marker),
    NextMarker: page.truncated && delimiter !== "" && nextMarker !== undefined
      ? enc(nextMarker)
      : undefined,
    MaxKeys: maxKeys,
    Delimiter: delimiter === "" ? undefined : enc(delimiter),
    EncodingType: encodingType ?? undefined,
    IsTruncated: page.truncated,
    Contents: page.contents.map((object) => ({
      Key: enc(object.key),
      LastModified: object.lastModified,
      ETag: object.etag,
      ChecksumAlgorithm: object.checksum.algorithm,
      ChecksumType: "FULL_OBJECT",
      Size: object.size,
      Owner: { ID: call.ownerId, DisplayName: "emulator" },
      StorageClass: object.storageClass,
    })),
    CommonPrefixes: page.commonPrefixes.map((common) => ({ Prefix: enc(common) })),
  });
}
