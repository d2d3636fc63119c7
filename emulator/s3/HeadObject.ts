/**
 * `HeadObject` (`HEAD /<bucket>/<key>`): `GetObject`'s headers without a
 * body; errors carry only their status.
 *
 * @module
 */
import { readObject } from "./object_read.ts";
import type { S3Call } from "./operation.ts";

/** Handles `HeadObject`. */
export function HeadObject(call: S3Call): Response {
  return readObject(call, { body: false });
}
