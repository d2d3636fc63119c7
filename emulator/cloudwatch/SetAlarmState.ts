/**
 * `SetAlarmState`: sets an alarm's state by hand (for testing actions). The
 * next evaluation sets it back from the data; actions run when the state
 * changes.
 *
 * @module
 */
import { ALARM_STATES } from "./alarm.ts";
import type { CloudWatch } from "./backend.ts";
import { cloudWatchError } from "./errors.ts";
import { type Members, optionalString, requiredEnum, requiredString } from "./parameters.ts";

/** Handles `SetAlarmState`. */
export async function setAlarmState(cloudwatch: CloudWatch, input: Members): Promise<undefined> {
  const name = requiredString(input, "AlarmName", { min: 1, max: 255 });
  const state = requiredEnum(input, "StateValue", ALARM_STATES);
  const reason = requiredString(input, "StateReason", { max: 1023 });
  const reasonData = optionalString(input, "StateReasonData", { max: 4000 });
  if (reasonData !== undefined) {
    try {
      JSON.parse(reasonData);
    } catch {
      throw cloudWatchError("InvalidFormatFault", "StateReasonData is not valid JSON.");
    }
  }
  await cloudwatch.setAlarmState(name, state, reason, reasonData);
  return undefined;
}
