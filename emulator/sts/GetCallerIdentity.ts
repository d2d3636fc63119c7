/**
 * STS `GetCallerIdentity`: who signed the request. The emulator has one
 * identity, an IAM user named `emulator` in its account.
 *
 * @module
 */
import type { EmulatorConfig } from "../context.ts";
import type { QueryOperation } from "../protocols/aws_query.ts";

/** The IAM user name the emulator's credentials belong to. */
export const EMULATOR_USER_NAME = "emulator";

/** The unique id of the emulator's IAM user (an `AIDA...` id, as IAM gives users). */
export const EMULATOR_USER_ID = "AIDAEMULATORUSER0000";

/** `GetCallerIdentity` for the emulator's account. */
export function getCallerIdentity(config: EmulatorConfig): QueryOperation {
  return () => ({
    UserId: EMULATOR_USER_ID,
    Account: config.accountId,
    Arn: `arn:aws:iam::${config.accountId}:user/${EMULATOR_USER_NAME}`,
  });
}
