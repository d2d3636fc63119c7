/**
 * `HeadBucket` (`HEAD /<bucket>`): 200 with the bucket's region, or a bare 404.
 *
 * @module
 */
import type { S3Call } from "./operation.ts";
import { s3Headers } from "./operation.ts";

/** Handles `HeadBucket`. */
export function HeadBucket(call: S3Call): Response {
  const bucket = call.store.bucket(call.bucket);
  return new Response(null, {
    status: 200,
    headers: {
      ...s3Headers(call.request),
      "x-amz-bucket-region": bucket.region,
      "x-amz-access-point-alias": "false",
    },
  });
}
