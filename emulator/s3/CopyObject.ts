/**
 * `CopyObject` (`PUT /<bucket>/<key>` with `x-amz-copy-source`): copies a
 * whole object; `x-amz-metadata-directive` `COPY` (default) keeps the
 * source's content type and metadata, `REPLACE` takes them from the request;
 * copying an object onto itself needs `REPLACE`. Answers with
 * `<CopyObjectResult>` (an empty 200 would be an error to the SDK).
 *
 * @module
 */
import { evaluateConditions } from "./conditions.ts";
import { computeChecksum, parseChecksumAlgorithm } from "./checksums.ts";
import { invalidArgument, invalidRequest, noSuchKey, notImplemented } from "./errors.ts";
import { readObjectAttributes, rejectUnsupportedWriteHeaders } from "./object_attributes.ts";
import type { S3Call } from "./operation.ts";
import { s3XmlResponse } from "./operation.ts";
import { checkKeyLength } from "./PutObject.ts";
import type { ObjectChecksum } from "./store.ts";

/** Parses `x-amz-copy-source`: `[/]bucket/key[?versionId=v]`, URL-encoded. */
export function parseCopySource(header: string): { bucket: string; key: string } {
  const question = header.indexOf("?");
  const path = question === -1 ? header : header.slice(0, question);
  if (question !== -1) {
    const versionId = new URLSearchParams(header.slice(question + 1)).get("versionId");
    if (versionId !== null && versionId !== "null") {
      throw notImplemented("versioning (versionId in x-amz-copy-source)");
    }
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw invalidArgument("Invalid copy source encoding", "x-amz-copy-source", header);
  }
  if (decoded.startsWith("/")) decoded = decoded.slice(1);
  const slash = decoded.indexOf("/");
  if (slash <= 0 || slash === decoded.length - 1) {
    throw invalidArgument(
      "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
      "x-amz-copy-source",
      header,
    );
  }
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}

/** Handles `CopyObject`. */
export async function CopyObject(call: S3Call): Promise<Response> {
  const { request, store, bucket, key } = call;
  const headers = request.headers;
  store.bucket(bucket);
  checkKeyLength(key);
  rejectUnsupportedWriteHeaders(headers);
  const source = parseCopySource(headers.get("x-amz-copy-source")!);
  store.bucket(source.bucket);
  const original = store.object(source.bucket, source.key);
  if (!original) throw noSuchKey(source.key);
  evaluateConditions(original, headers, "x-amz-copy-source-");
  const directive = (headers.get("x-amz-metadata-directive") ?? "COPY").toUpperCase();
  if (directive !== "COPY" && directive !== "REPLACE") {
    throw invalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", directive);
  }
  const taggingDirective = headers.get("x-amz-tagging-directive");
  if (taggingDirective !== null && taggingDirective.toUpperCase() !== "COPY") {
    throw notImplemented("object tagging (x-amz-tagging-directive REPLACE)");
  }
  const requested = readObjectAttributes(headers);
  const attributes = directive === "REPLACE" ? requested : undefined;
  const storageClass = headers.get("x-amz-storage-class");
  const algorithmText = headers.get("x-amz-checksum-algorithm");
  const sameObject = source.bucket === bucket && source.key === key;
  if (sameObject && directive === "COPY" && storageClass === null && algorithmText === null) {
    throw invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without " +
        "changing the object's metadata, storage class, website redirect location or encryption " +
        "attributes.",
    );
  }
  let checksum: ObjectChecksum = original.checksum;
  if (algorithmText !== null) {
    const algorithm = parseChecksumAlgorithm(algorithmText);
    if (!algorithm) {
      throw invalidRequest("Value for x-amz-checksum-algorithm header is invalid.");
    }
    if (algorithm !== original.checksum.algorithm) {
      checksum = { algorithm, value: await computeChecksum(algorithm, original.body) };
    }
  }
  const copied = await store.writeObject(bucket, key, {
    body: original.body,
    etag: original.etag,
    contentType: attributes ? attributes.contentType : original.contentType,
    metadata: attributes ? attributes.metadata : { ...original.metadata },
    headers: attributes ? attributes.headers : { ...original.headers },
    // A copy is STANDARD unless the request names a storage class, as in S3.
    storageClass: requested.storageClass,
    checksum,
  });
  return s3XmlResponse(request, "CopyObjectResult", {
    ETag: copied.etag,
    LastModified: copied.lastModified,
    ChecksumType: "FULL_OBJECT",
    [`Checksum${checksum.algorithm}`]: checksum.value,
  }, { "x-amz-server-side-encryption": "AES256" });
}
