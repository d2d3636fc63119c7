/**
 * How progress, tables and charts look in a terminal, in CI logs and in Jupyter notebooks.
 * The library only emits progress events; these renderers show them.
 *
 * @example Progress in whatever environment the code runs in
 * ```ts
 * import { createProgressRenderer, toTable } from "@sagemaker-async/toolkit/display";
 *
 * let out = "";
 * const progress = createProgressRenderer({ target: "plain", write: (t) => out += t });
 * progress.onProgress({
 *   type: "endpoint-status",
 *   endpointName: "falcon",
 *   status: "InService",
 *   elapsedMs: 420_000,
 *   message: "",
 * });
 * await progress.done();
 * if (out !== "Endpoint falcon: InService (7m 0s)\nDone\n") throw new Error(out);
 * if (!toTable([{ a: 1 }]).toMarkdown().startsWith("| ")) throw new Error("markdown");
 * ```
 *
 * @module
 */
export type { Clock } from "../clock.ts";
export type {
  CapacityEvent,
  CapacityPhase,
  EndpointStatusEvent,
  ProgressBase,
  ProgressCallback,
  ProgressEvent,
  ResourceCreatedEvent,
  ResourceDeletedEvent,
  ResultsEvent,
} from "../progress.ts";
export * from "./chart.ts";
export * from "./format.ts";
export * from "./jupyter_progress_renderer.ts";
export * from "./plain_progress_renderer.ts";
export * from "./progress_renderer.ts";
export * from "./progress_target.ts";
export * from "./resource_table.ts";
export * from "./show.ts";
export * from "./table.ts";
export * from "./terminal_progress_renderer.ts";
