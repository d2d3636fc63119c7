/**
 * Progress events. The library never prints: long operations report through
 * an `onProgress` callback, and the CLI and notebooks decide how to show it
 * (a bar on a terminal, a display updated in place in Jupyter, plain lines in
 * CI).
 *
 * @module
 */

/** Fields every event has. */
export interface ProgressBase {
  /** One line a person can read, e.g. `Endpoint falcon is Creating (2m 10s)`. */
  readonly message: string;
  /** Clock time since the operation started, ms. */
  readonly elapsedMs: number;
}

/** An endpoint's status while deploying, updating or deleting. */
export interface EndpointStatusEvent extends ProgressBase {
  /** Discriminant. */
  readonly type: "endpoint-status";
  /** The endpoint. */
  readonly endpointName: string;
  /** `Creating`, `InService`, `Deleting`, ... */
  readonly status: string;
}

/** A resource was created. */
export interface ResourceCreatedEvent extends ProgressBase {
  /** Discriminant. */
  readonly type: "resource-created";
  /** What kind: `model`, `endpoint-config`, `endpoint`, `scalable-target`, `scaling-policy`, `alarm`, `object`. */
  readonly resource: string;
  /** Its name. */
  readonly name: string;
  /** Its ARN, when AWS returns one. */
  readonly arn?: string;
}

/** A resource was deleted, or was already gone. */
export interface ResourceDeletedEvent extends ProgressBase {
  /** Discriminant. */
  readonly type: "resource-deleted";
  /** What kind of resource (as in `resource-created`). */
  readonly resource: string;
  /** Its name. */
  readonly name: string;
  /** Deleted now, or already gone. */
  readonly outcome: "deleted" | "not-found";
}

/** Counts while waiting for many async results. */
export interface ResultsEvent extends ProgressBase {
  /** Discriminant. */
  readonly type: "results";
  /** Results waited for. */
  readonly total: number;
  /** Outputs received. */
  readonly succeeded: number;
  /** Failures (failure objects, timeouts). */
  readonly failed: number;
  /** Still waiting. */
  readonly pending: number;
}

/**
 * Where an endpoint's capacity stands:
 * - `running`: an instance is in service and none is being removed;
 * - `scaling-in`: fewer instances are wanted than are in service (they drain);
 * - `instance-starting`: none in service, at least one wanted;
 * - `waiting-for-capacity`: none in service or wanted while requests wait for one;
 * - `idle`: none in service or wanted, and nothing known to wait.
 */
export type CapacityPhase =
  | "running"
  | "scaling-in"
  | "instance-starting"
  | "waiting-for-capacity"
  | "idle";

/** Capacity of an endpoint: while waiting for it to wake, to idle, or while recording it. */
export interface CapacityEvent extends ProgressBase {
  /** Discriminant. */
  readonly type: "capacity";
  /** The endpoint. */
  readonly endpointName: string;
  /** Where the capacity stands (see {@linkcode CapacityPhase}). */
  readonly phase: CapacityPhase;
  /** Instances in service. */
  readonly currentInstanceCount: number;
  /** Instances asked for. */
  readonly desiredInstanceCount: number;
}

/** Any progress event. */
export type ProgressEvent =
  | EndpointStatusEvent
  | ResourceCreatedEvent
  | ResourceDeletedEvent
  | ResultsEvent
  | CapacityEvent;

/** Receives progress events. Must not throw; errors it throws are ignored. */
export type ProgressCallback = (event: ProgressEvent) => void;

/** Calls `callback` if given, swallowing anything it throws. */
export function emitProgress(callback: ProgressCallback | undefined, event: ProgressEvent): void {
  if (!callback) return;
  try {
    callback(event);
  } catch {
    // A broken renderer must not break the operation it reports on.
  }
}

/** Formats a duration as `1h 2m 3s`, `2m 10s`, `42s` or `4.2s`. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total}s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h ${m}m ${s}s` : `${m}m ${s}s`;
}
