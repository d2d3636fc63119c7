/**
 * The SageMaker Runtime service module (restJson1): `InvokeEndpointAsync`
 * and `InvokeEndpoint`, routed by path. Errors carry their code in
 * `x-amzn-errortype`. It uses the SageMaker service's backend
 * (`context.sagemaker`), looked up per request.
 *
 * @module
 */
import type { EmulatorContext } from "../context.ts";
import { AwsError, toAwsError } from "../errors.ts";
import { restJsonErrorResponse } from "../protocols/rest_json.ts";
import type { AwsRequest } from "../request.ts";
import type { ServiceModule } from "../service.ts";
import { InvokeEndpoint } from "./InvokeEndpoint.ts";
import { InvokeEndpointAsync } from "./InvokeEndpointAsync.ts";

const ROUTE = /^\/endpoints\/([^/]+)\/(async-invocations|invocations)$/;

/**
 * Creates the SageMaker Runtime service.
 *
 * @example
 * ```ts
 * import {
 *   createEmulator, createSageMakerRuntimeService, createSageMakerService, ManualEmulatorClock,
 * } from "@sagemaker-async/toolkit/emulator";
 *
 * const emulator = await createEmulator({
 *   auth: false,
 *   clock: new ManualEmulatorClock(),
 *   services: [createSageMakerService, createSageMakerRuntimeService],
 * });
 * const response = await emulator.fetch(new Request("http://127.0.0.1/endpoints/nope/async-invocations", {
 *   method: "POST",
 *   headers: { "x-amzn-sagemaker-inputlocation": "s3://b/in.json" },
 * }));
 * if (response.status !== 400 || response.headers.get("x-amzn-errortype") !== "ValidationError") {
 *   throw new Error(await response.text());
 * }
 * await emulator.close();
 * ```
 */
export function createSageMakerRuntimeService(context: EmulatorContext): ServiceModule {
  const handle = async (request: AwsRequest): Promise<Response> => {
    try {
      const match = ROUTE.exec(request.rawPath);
      if (!match || request.method !== "POST") {
        throw new AwsError(
          "UnknownOperationException",
          `No SageMaker Runtime operation for ${request.method} ${request.rawPath}`,
          { status: 404 },
        );
      }
      let name: string;
      try {
        name = decodeURIComponent(match[1]!);
      } catch {
        name = match[1]!;
      }
      return match[2] === "async-invocations"
        ? await InvokeEndpointAsync(request, context, name)
        : await InvokeEndpoint(request, context, name);
    } catch (error) {
      return restJsonErrorResponse(toAwsError(error), request.requestId);
    }
  };
  return {
    key: "sagemaker-runtime",
    handle,
    renderError: (error, request) => restJsonErrorResponse(error, request.requestId),
    operationName(request) {
      const kind = ROUTE.exec(request.rawPath)?.[2];
      return kind === undefined
        ? ""
        : kind === "invocations"
        ? "InvokeEndpoint"
        : "InvokeEndpointAsync";
    },
  };
}
