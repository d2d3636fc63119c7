/**
 * SageMaker `ListModels`.
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import { listPage } from "./pagination.ts";

/** Handles `ListModels`. */
export function ListModels(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): { Models: Array<Record<string, unknown>>; NextToken?: string } {
  const { page, nextToken } = listPage(backend.state.models.values(), {
    input,
    sortBy: ["Name", "CreationTime"],
    fields: { name: (m) => m.name, creationTime: (m) => m.creationTime },
  });
  return {
    Models: page.map((m) => ({
      ModelName: m.name,
      ModelArn: m.arn,
      CreationTime: new Date(m.creationTime),
    })),
    NextToken: nextToken,
  };
}
