/**
 * `DeleteBucket` (`DELETE /<bucket>`): 204; `BucketNotEmpty` while it holds objects.
 *
 * @module
 */
import type { S3Call } from "./operation.ts";
import { s3Headers } from "./operation.ts";

/** Handles `DeleteBucket`. */
export async function DeleteBucket(call: S3Call): Promise<Response> {
  await call.store.deleteBucket(call.bucket);
  return new Response(null, { status: 204, headers: s3Headers(call.request) });
}
