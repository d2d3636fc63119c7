/**
 * `DeleteObject` (`DELETE /<bucket>/<key>`): 204 whether or not the key
 * existed; `NoSuchBucket` when the bucket does not.
 *
 * @module
 */
import { notImplemented } from "./errors.ts";
import type { S3Call } from "./operation.ts";
import { s3Headers } from "./operation.ts";

/** Handles `DeleteObject`. */
export async function DeleteObject(call: S3Call): Promise<Response> {
  const versionId = call.request.query.get("versionId");
  if (versionId !== null && versionId !== "null") throw notImplemented("versioning (versionId)");
  await call.store.deleteObjects(call.bucket, [call.key]);
  return new Response(null, { status: 204, headers: s3Headers(call.request) });
}
