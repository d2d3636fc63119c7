/** Progress event builders shared by the display tests. */
import type {
  CapacityEvent,
  EndpointStatusEvent,
  ResourceCreatedEvent,
  ResourceDeletedEvent,
  ResultsEvent,
} from "../../../lib/progress.ts";

export function endpointStatus(
  status: string,
  elapsedMs: number,
  endpointName = "falcon",
): EndpointStatusEvent {
  return {
    type: "endpoint-status",
    endpointName,
    status,
    elapsedMs,
    message: `Endpoint ${endpointName} is ${status}`,
  };
}

export function created(resource: string, name: string): ResourceCreatedEvent {
  return { type: "resource-created", resource, name, elapsedMs: 0, message: "" };
}

export function deleted(resource: string, name: string): ResourceDeletedEvent {
  return {
    type: "resource-deleted",
    resource,
    name,
    outcome: "deleted",
    elapsedMs: 0,
    message: "",
  };
}

export function results(
  counts: { succeeded: number; failed: number; pending: number },
  elapsedMs: number,
): ResultsEvent {
  return {
    type: "results",
    total: counts.succeeded + counts.failed + counts.pending,
    ...counts,
    elapsedMs,
    message: "",
  };
}

export function capacity(
  phase: CapacityEvent["phase"],
  current: number,
  elapsedMs: number,
  desired = 1,
): CapacityEvent {
  return {
    type: "capacity",
    endpointName: "falcon",
    phase,
    currentInstanceCount: current,
    desiredInstanceCount: desired,
    elapsedMs,
    message: "",
  };
}
