/**
 * `GetObject` (`GET /<bucket>/<key>`): the bytes, whole or a `Range`, with
 * the stored checksum when `x-amz-checksum-mode: ENABLED`.
 *
 * @module
 */
import { readObject } from "./object_read.ts";
import type { S3Call } from "./operation.ts";

/** Handles `GetObject`. */
export function GetObject(call: S3Call): Response {
  return readObject(call, { body: true });
}
