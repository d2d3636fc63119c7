/**
 * `DeleteObjects` (`POST /<bucket>?delete`): up to 1000 keys in one XML
 * request; the body must carry `Content-MD5` or an `x-amz-checksum-*` header
 * (verified); `<Quiet>true</Quiet>` reports only errors.
 *
 * @module
 */
import { parseXml } from "../protocols/xml.ts";
import { bodyText } from "../request.ts";
import { invalidRequest, malformedXml, notImplemented } from "./errors.ts";
import { md5ETagChecked, verifyChecksum } from "./integrity.ts";
import type { S3Call } from "./operation.ts";
import { s3XmlResponse } from "./operation.ts";

/** The request must prove its body with `Content-MD5` or an `x-amz-checksum-*`; both are verified. */
async function verifyIntegrity(call: S3Call): Promise<void> {
  const { request } = call;
  const checksum = await verifyChecksum(request, request.body);
  if (request.headers.has("content-md5")) md5ETagChecked(request, request.body);
  else if (!checksum) {
    throw invalidRequest(
      "Missing required header for this request: Content-MD5 or x-amz-checksum-*",
    );
  }
}

/** Parses the `<Delete>` document: keys in request order and the quiet flag. */
function parseDelete(text: string): { keys: string[]; quiet: boolean } {
  let doc: Record<string, unknown>;
  try {
    doc = parseXml(text);
  } catch {
    throw malformedXml();
  }
  const root = doc.Delete;
  if (typeof root !== "object" || root === null) throw malformedXml();
  const { Object: objects, Quiet } = root as Record<string, unknown>;
  const list = objects === undefined ? [] : Array.isArray(objects) ? objects : [objects];
  if (list.length === 0 || list.length > 1000) throw malformedXml();
  const keys = list.map((entry) => {
    const key = typeof entry === "object" && entry !== null
      ? (entry as Record<string, unknown>).Key
      : undefined;
    if (typeof key !== "string" || key === "") throw malformedXml();
    const versionId = (entry as Record<string, unknown>).VersionId;
    if (versionId !== undefined && versionId !== "null") {
      throw notImplemented("versioning (VersionId)");
    }
    return key;
  });
  const quiet = typeof Quiet === "string" && Quiet.trim().toLowerCase() === "true";
  return { keys, quiet };
}

/** Handles `DeleteObjects`. */
export async function DeleteObjects(call: S3Call): Promise<Response> {
  call.store.bucket(call.bucket);
  await verifyIntegrity(call);
  const { keys, quiet } = parseDelete(bodyText(call.request));
  const encoder = new TextEncoder();
  const valid: string[] = [];
  const errors: Array<{ Key: string; Code: string; Message: string }> = [];
  for (const key of keys) {
    if (encoder.encode(key).length > 1024) {
      errors.push({ Key: key, Code: "KeyTooLongError", Message: "Your key is too long" });
    } else valid.push(key);
  }
  await call.store.deleteObjects(call.bucket, valid);
  return s3XmlResponse(call.request, "DeleteResult", {
    Deleted: quiet ? [] : valid.map((key) => ({ Key: key })),
    Error: errors,
  });
}
