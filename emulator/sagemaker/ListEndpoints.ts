/**
 * SageMaker `ListEndpoints`.
 *
 * @module
 */
import type { SageMakerEmulatorBackend } from "./backend.ts";
import { listPage } from "./pagination.ts";

const STATUSES = [
  "OutOfService",
  "Creating",
  "Updating",
  "SystemUpdating",
  "RollingBack",
  "InService",
  "Deleting",
  "Failed",
  "UpdateRollbackFailed",
];

/** Handles `ListEndpoints`. */
export function ListEndpoints(
  input: Record<string, unknown>,
  backend: SageMakerEmulatorBackend,
): { Endpoints: Array<Record<string, unknown>>; NextToken?: string } {
  const { page, nextToken } = listPage(backend.state.endpoints.values(), {
    input,
    sortBy: ["Name", "CreationTime", "Status"],
    statuses: STATUSES,
    fields: {
      name: (e) => e.name,
      creationTime: (e) => e.creationTime,
      lastModifiedTime: (e) => e.lastModifiedTime,
      status: (e) => e.status,
    },
  });
  return {
    Endpoints: page.map((e) => ({
      EndpointName: e.name,
      EndpointArn: e.arn,
      CreationTime: new Date(e.creationTime),
      LastModifiedTime: new Date(e.lastModifiedTime),
      EndpointStatus: e.status,
    })),
    NextToken: nextToken,
  };
}
