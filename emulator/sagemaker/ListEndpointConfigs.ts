/**
 * SageMaker `ListEndpointConfigs`.
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import { listPage } from "./pagination.ts";

/** Handles `ListEndpointConfigs`. */
export function ListEndpointConfigs(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): { EndpointConfigs: Array<Record<string, unknown>>; NextToken?: string } {
  const { page, nextToken } = listPage(backend.state.endpointConfigs.values(), {
    input,
    sortBy: ["Name", "CreationTime"],
    fields: { name: (c) => c.name, creationTime: (c) => c.creationTime },
  });
  return {
    EndpointConfigs: page.map((c) => ({
      EndpointConfigName: c.name,
      EndpointConfigArn: c.arn,
      CreationTime: new Date(c.creationTime),
    })),
    NextToken: nextToken,
  };
}
