/**
 * STS (query protocol, `Version=2011-06-15`): enough for clients and tools
 * that ask who they are (`aws sts get-caller-identity`, the account id in
 * default bucket names).
 *
 * @module
 */
import type { EmulatorContext } from "../context.ts";
import { awsQueryService, queryErrorResponse } from "../protocols/aws_query.ts";
import type { ServiceModule } from "../service.ts";
import { getCallerIdentity } from "./GetCallerIdentity.ts";

const XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";

/**
 * Creates the STS service.
 *
 * @example
 * ```ts
 * import { createEmulator, createStsService, ManualEmulatorClock } from "@sagemaker-async/toolkit/emulator";
 *
 * const emulator = await createEmulator({
 *   auth: false, clock: new ManualEmulatorClock(), services: [createStsService],
 * });
 * const response = await emulator.fetch(new Request("http://127.0.0.1/", {
 *   method: "POST",
 *   headers: { "content-type": "application/x-www-form-urlencoded" },
 *   body: "Action=GetCallerIdentity&Version=2011-06-15",
 * }));
 * if (!(await response.text()).includes("<Account>123456789012</Account>")) throw new Error();
 * await emulator.close();
 * ```
 */
export function createStsService(context: EmulatorContext): ServiceModule {
  const handle = awsQueryService({
    version: "2011-06-15",
    xmlns: XMLNS,
    operations: { GetCallerIdentity: getCallerIdentity(context.config) },
  });
  return {
    key: "sts",
    handle,
    renderError: (error, request) => queryErrorResponse(error, request.requestId, XMLNS),
  };
}
