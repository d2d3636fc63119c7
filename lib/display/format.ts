/**
 * One-line descriptions of {@linkcode ProgressEvent}s, shared by every
 * progress renderer so a terminal, a CI log and a notebook say the same thing.
 *
 * @module
 */
import { type CapacityPhase, formatDuration, type ProgressEvent } from "../progress.ts";

/** How a line should look: drives the symbol and colour a renderer picks. */
export type ProgressTone = "active" | "success" | "warning" | "failure" | "neutral";

/** What a renderer needs to show one {@linkcode ProgressEvent}. */
export interface ProgressDescription {
  /**
   * `milestone`: something happened once (a resource was created or deleted) and stays in the
   * log. `status`: the latest state of something that is still changing (an endpoint's status,
   * result counts, capacity) and replaces the previous status with the same `key`.
   */
  readonly kind: "milestone" | "status";
  /**
   * What the line is about, e.g. `endpoint:falcon`, `capacity:falcon`, `results`,
   * `created:model:falcon`. A newer status with the same key supersedes the older one.
   */
  readonly key: string;
  /**
   * The coarse state, e.g. `Creating`, `instance-starting:0/1`, `waiting`. A change of state is
   * always worth showing; a change of `text` with the same state (counts ticking) can be
   * throttled.
   */
  readonly state: string;
  /** The line without the elapsed time, e.g. `Endpoint falcon: Creating`. */
  readonly text: string;
  /** `text` followed by the elapsed time for statuses, e.g. `Endpoint falcon: Creating (2m 10s)`. */
  readonly line: string;
  /** Clock time since the operation started, ms (from the event). */
  readonly elapsedMs: number;
  /** How it should look. */
  readonly tone: ProgressTone;
  /**
   * True when the status reached a resting state (`InService`, all results in, capacity
   * `running` or `idle`).
   */
  readonly settled: boolean;
  /** Work done out of a total, for statuses that have one (result counts). */
  readonly fraction?: { readonly done: number; readonly total: number };
}

const ACTIVE_ENDPOINT_STATUSES = new Set([
  "Creating",
  "Updating",
  "SystemUpdating",
  "RollingBack",
  "Deleting",
]);

const FAILED_ENDPOINT_STATUSES = new Set(["Failed", "OutOfService", "UpdateRollbackFailed"]);

/** How each capacity phase reads and looks; `idle` and `running` are resting states. */
const CAPACITY_PHASES: Readonly<
  Record<CapacityPhase, { readonly text: string; readonly tone: ProgressTone }>
> = {
  "running": { text: "running", tone: "success" },
  "scaling-in": { text: "scaling in", tone: "active" },
  "instance-starting": { text: "instance starting", tone: "active" },
  "waiting-for-capacity": { text: "waiting for capacity", tone: "active" },
  "idle": { text: "idle", tone: "neutral" },
};

/**
 * Describes one progress event: its line of text, whether it is a milestone or a status, the
 * key it updates, its tone and, for result counts, the fraction done. Events of a type this
 * version does not know are shown by their own `message`.
 *
 * @example An endpoint that is still creating
 * ```ts
 * import { describeProgress } from "@sagemaker-async/toolkit/display";
 *
 * const d = describeProgress({
 *   type: "endpoint-status",
 *   endpointName: "falcon",
 *   status: "Creating",
 *   elapsedMs: 130_000,
 *   message: "Endpoint falcon is Creating",
 * });
 * if (d.line !== "Endpoint falcon: Creating (2m 10s)") throw new Error(d.line);
 * if (d.kind !== "status" || d.settled) throw new Error("should be an unsettled status");
 * ```
 */
export function describeProgress(event: ProgressEvent): ProgressDescription {
  switch (event.type) {
    case "endpoint-status": {
      const status = event.status;
      const tone: ProgressTone = status === "InService"
        ? "success"
        : FAILED_ENDPOINT_STATUSES.has(status)
        ? "failure"
        : ACTIVE_ENDPOINT_STATUSES.has(status)
        ? "active"
        : "neutral";
      return statusLine({
        key: `endpoint:${event.endpointName}`,
        state: status,
        text: `Endpoint ${event.endpointName}: ${status}`,
        elapsedMs: event.elapsedMs,
        tone,
        settled: tone === "success" || tone === "failure",
      });
    }
    case "resource-created":
      return milestone({
        key: `created:${event.resource}:${event.name}`,
        text: `Created ${event.resource} ${event.name}`,
        elapsedMs: event.elapsedMs,
        tone: "success",
      });
    case "resource-deleted":
      return milestone({
        key: `deleted:${event.resource}:${event.name}`,
        text: event.outcome === "deleted"
          ? `Deleted ${event.resource} ${event.name}`
          : `${capitalize(event.resource)} ${event.name} was already gone`,
        elapsedMs: event.elapsedMs,
        tone: event.outcome === "deleted" ? "success" : "neutral",
      });
    case "results": {
      const done = event.succeeded + event.failed;
      const settled = event.pending === 0;
      return statusLine({
        key: "results",
        state: settled ? "complete" : "waiting",
        text: `Results ${done}/${event.total}: ${event.succeeded} succeeded, ` +
          `${event.failed} failed, ${event.pending} pending`,
        elapsedMs: event.elapsedMs,
        tone: !settled ? "active" : event.failed > 0 ? "warning" : "success",
        settled,
        fraction: { done, total: event.total },
      });
    }
    case "capacity": {
      const counts = `${event.currentInstanceCount}/${event.desiredInstanceCount}`;
      // A phase this version does not know is shown by its name, as still changing.
      const phase = CAPACITY_PHASES[event.phase] ?? { text: event.phase, tone: "active" };
      return statusLine({
        key: `capacity:${event.endpointName}`,
        state: `${event.phase}:${counts}`,
        text: `Endpoint ${event.endpointName}: ${phase.text} (${counts} instances)`,
        elapsedMs: event.elapsedMs,
        tone: phase.tone,
        settled: phase.tone !== "active",
      });
    }
    default: {
      const unknown = event as { type?: unknown; message?: unknown; elapsedMs?: unknown };
      const text = typeof unknown.message === "string"
        ? unknown.message
        : `Progress: ${String(unknown.type)}`;
      return statusLine({
        key: `other:${String(unknown.type)}`,
        state: text,
        text,
        elapsedMs: typeof unknown.elapsedMs === "number" ? unknown.elapsedMs : 0,
        tone: "neutral",
        settled: false,
      });
    }
  }
}

function statusLine(
  init: Omit<ProgressDescription, "kind" | "line">,
): ProgressDescription {
  const elapsed = Number.isFinite(init.elapsedMs) && init.elapsedMs >= 0
    ? ` (${formatDuration(init.elapsedMs)})`
    : "";
  return { kind: "status", line: `${init.text}${elapsed}`, ...init };
}

function milestone(
  init: Pick<ProgressDescription, "key" | "text" | "elapsedMs" | "tone">,
): ProgressDescription {
  return { kind: "milestone", state: "done", line: init.text, settled: true, ...init };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
