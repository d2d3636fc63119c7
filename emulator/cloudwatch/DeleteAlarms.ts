/**
 * `DeleteAlarms`: deletes metric alarms by name. If any name does not exist
 * nothing is deleted and the call fails with `ResourceNotFound`.
 *
 * @module
 */
import type { CloudWatch } from "./backend.ts";
import { cloudWatchError } from "./errors.ts";
import { type Members, missingParameter, optionalStringList } from "./parameters.ts";

/** Handles `DeleteAlarms`. */
export function deleteAlarms(cloudwatch: CloudWatch, input: Members): undefined {
  const names = optionalStringList(input, "AlarmNames", {
    max: 100,
    item: { min: 1, max: 255 },
  });
  if (names === undefined) throw missingParameter("AlarmNames");
  const missing = names.filter((n) => cloudwatch.alarm(n) === undefined);
  if (missing.length > 0) {
    throw cloudWatchError(
      "ResourceNotFound",
      `${missing.length} of the alarms specified do not exist: ${missing.join(", ")}`,
    );
  }
  cloudwatch.deleteAlarms(names);
  return undefined;
}
