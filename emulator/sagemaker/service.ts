/**
 * The SageMaker control-plane service module (awsJson 1.1, target prefix
 * `SageMaker`): models, endpoint configs, endpoints, capacity and tags.
 * Registers `context.sagemaker` (a {@linkcode SageMakerEmulatorBackend}),
 * which Application Auto Scaling, CloudWatch and SageMaker Runtime use.
 *
 * @module
 */
import type { EmulatorContext } from "../context.ts";
import { awsJsonErrorResponse, awsJsonService, type JsonOperation } from "../protocols/aws_json.ts";
import type { ServiceModule } from "../service.ts";
import { AddTags } from "./AddTags.ts";
import { SageMakerEmulatorBackend } from "./backend.ts";
import { CreateEndpoint } from "./CreateEndpoint.ts";
import { CreateEndpointConfig } from "./CreateEndpointConfig.ts";
import { CreateModel } from "./CreateModel.ts";
import { DeleteEndpoint } from "./DeleteEndpoint.ts";
import { DeleteEndpointConfig } from "./DeleteEndpointConfig.ts";
import { DeleteModel } from "./DeleteModel.ts";
import { DeleteTags } from "./DeleteTags.ts";
import { DescribeEndpoint } from "./DescribeEndpoint.ts";
import { DescribeEndpointConfig } from "./DescribeEndpointConfig.ts";
import { DescribeModel } from "./DescribeModel.ts";
import { ListEndpointConfigs } from "./ListEndpointConfigs.ts";
import { ListEndpoints } from "./ListEndpoints.ts";
import { ListModels } from "./ListModels.ts";
import { ListTags } from "./ListTags.ts";
import { UpdateEndpointWeightsAndCapacities } from "./UpdateEndpointWeightsAndCapacities.ts";

type Handler = (input: Record<string, unknown>, backend: SageMakerEmulatorBackend) => unknown;

const OPERATIONS: Record<string, Handler> = {
  CreateModel,
  DescribeModel,
  DeleteModel,
  ListModels,
  CreateEndpointConfig,
  DescribeEndpointConfig,
  DeleteEndpointConfig,
  ListEndpointConfigs,
  CreateEndpoint,
  DescribeEndpoint,
  DeleteEndpoint,
  ListEndpoints,
  UpdateEndpointWeightsAndCapacities,
  AddTags,
  ListTags,
  DeleteTags,
};

/**
 * Creates the SageMaker service: loads saved state, resumes lifecycles and
 * queued requests, and registers `context.sagemaker`.
 *
 * @example
 * ```ts
 * import { createEmulator, createSageMakerService, ManualEmulatorClock } from "@sagemaker-async/toolkit/emulator";
 *
 * const emulator = await createEmulator({
 *   auth: false, clock: new ManualEmulatorClock(), services: [createSageMakerService],
 * });
 * const response = await emulator.fetch(new Request("http://127.0.0.1/", {
 *   method: "POST",
 *   headers: { "x-amz-target": "SageMaker.DescribeEndpoint", "content-type": "application/x-amz-json-1.1" },
 *   body: JSON.stringify({ EndpointName: "missing" }),
 * }));
 * const error = await response.json();
 * if (response.status !== 400 || error.__type !== "ValidationException") throw new Error();
 * await emulator.close();
 * ```
 */
export async function createSageMakerService(context: EmulatorContext): Promise<ServiceModule> {
  const backend = new SageMakerEmulatorBackend(context);
  await backend.load();
  context.sagemaker = backend;
  const operations: Record<string, JsonOperation> = {};
  for (const [name, handler] of Object.entries(OPERATIONS)) {
    operations[name] = (input) => handler(input, backend);
  }
  const handle = awsJsonService({ targetPrefix: "SageMaker", version: "1.1", operations });
  return {
    key: "sagemaker",
    handle,
    renderError: (error, request) =>
      awsJsonErrorResponse(error, { version: "1.1", requestId: request.requestId }),
    close: () => backend.close(),
  };
}
