/**
 * Domain errors a caller may catch. Bad arguments are built-in `TypeError` or
 * `RangeError` thrown before any AWS call; SDK errors pass through unchanged
 * (check them by `name`).
 *
 * @module
 */

/** What an S3 result poll saw last, carried by timeouts. */
export interface LastObservation {
  /** Epoch ms of the last poll, or undefined if none ran. */
  at?: number;
  /** Polling rounds completed. */
  rounds: number;
  /** What was found, e.g. `"no output or failure object yet"`. */
  summary: string;
}

/** The model (or SageMaker) wrote a failure object for an inference. */
export class InferenceFailedError extends Error {
  override name = "InferenceFailedError";
  /** The inference that failed. */
  readonly inferenceId: string | undefined;
  /** `s3://` URI of the failure object. */
  readonly failureLocation: string;
  /** `s3://` URI where the output would have been. */
  readonly outputLocation: string;
  /** The failure object's content, decoded as UTF-8. */
  readonly failureBody: string;

  constructor(
    init: {
      inferenceId?: string;
      failureLocation: string;
      outputLocation: string;
      failureBody: string;
    },
    options?: ErrorOptions,
  ) {
    super(
      `Inference ${init.inferenceId ?? "(no id)"} failed: ${
        truncate(init.failureBody, 500)
      } (failure object ${init.failureLocation})`,
      options,
    );
    this.inferenceId = init.inferenceId;
    this.failureLocation = init.failureLocation;
    this.outputLocation = init.outputLocation;
    this.failureBody = init.failureBody;
  }
}

/** A wait reached its deadline before the awaited state appeared. */
export class WaitTimeoutError extends Error {
  override name = "WaitTimeoutError";
  /** What was being waited for, e.g. `output s3://b/k.out`. */
  readonly waitingFor: string;
  /** Milliseconds waited (clock time). */
  readonly waitedMs: number;
  /** The last thing the poller saw. */
  readonly lastObserved: LastObservation;

  constructor(
    init: {
      waitingFor: string;
      waitedMs: number;
      lastObserved: LastObservation;
    },
    options?: ErrorOptions,
  ) {
    super(
      `Timed out after ${Math.round(init.waitedMs / 1000)} s waiting for ${init.waitingFor}; ` +
        `last observed after ${init.lastObserved.rounds} round(s): ${init.lastObserved.summary}`,
      options,
    );
    this.waitingFor = init.waitingFor;
    this.waitedMs = init.waitedMs;
    this.lastObserved = init.lastObserved;
  }
}

/** The endpoint reached `Failed` (or vanished) while we waited for it. */
export class EndpointFailedError extends Error {
  override name = "EndpointFailedError";
  /** The endpoint. */
  readonly endpointName: string;
  /** SageMaker's `FailureReason`, if it gave one. */
  readonly failureReason: string | undefined;
  /** The status that ended the wait (`Failed`, or `Missing`). */
  readonly status: string;

  constructor(
    init: { endpointName: string; status: string; failureReason?: string },
    options?: ErrorOptions,
  ) {
    super(
      `Endpoint "${init.endpointName}" is ${init.status}: ${
        init.failureReason ?? "no reason given"
      }`,
      options,
    );
    this.endpointName = init.endpointName;
    this.status = init.status;
    this.failureReason = init.failureReason;
  }
}

/** `getResult()` without a waiter found neither output nor failure yet. */
export class ResultNotReadyError extends Error {
  override name = "ResultNotReadyError";
  /** The inference still running (or queued). */
  readonly inferenceId: string | undefined;
  /** Where its output will appear. */
  readonly outputLocation: string;

  constructor(
    init: { inferenceId?: string; outputLocation: string },
    options?: ErrorOptions,
  ) {
    super(
      `Inference ${init.inferenceId ?? "(no id)"} has no result yet at ${init.outputLocation}; ` +
        "it may still be queued or running",
      options,
    );
    this.inferenceId = init.inferenceId;
    this.outputLocation = init.outputLocation;
  }
}

/** A JumpStart model id or version that the manifest does not list. */
export class JumpStartModelNotFoundError extends Error {
  override name = "JumpStartModelNotFoundError";
  /** The requested model id. */
  readonly modelId: string;
  /** The requested version (`*` = latest). */
  readonly version: string;
  /** Every model id (or version of `modelId`) that exists; the message names the first 20. */
  readonly available: readonly string[];

  constructor(
    init: {
      modelId: string;
      version: string;
      available: readonly string[];
      what: "model" | "version";
    },
    options?: ErrorOptions,
  ) {
    const list = init.available.slice(0, 20).join(", ") +
      (init.available.length > 20 ? `, ... (${init.available.length} in all)` : "");
    super(
      init.what === "model"
        ? `Unknown JumpStart model "${init.modelId}". Known models: ${list || "(none)"}`
        : `JumpStart model "${init.modelId}" has no version "${init.version}". Versions: ${
          list || "(none)"
        }`,
      options,
    );
    this.modelId = init.modelId;
    this.version = init.version;
    this.available = init.available;
  }
}

/** An instance type the model's spec does not support. */
export class UnsupportedInstanceTypeError extends Error {
  override name = "UnsupportedInstanceTypeError";
  /** The model id. */
  readonly modelId: string;
  /** The requested instance type. */
  readonly instanceType: string;
  /** Instance types the spec supports. */
  readonly supported: readonly string[];

  constructor(
    init: {
      modelId: string;
      instanceType: string;
      supported: readonly string[];
    },
    options?: ErrorOptions,
  ) {
    super(
      `JumpStart model "${init.modelId}" does not support instance type "${init.instanceType}". ` +
        `Supported: ${init.supported.join(", ")}`,
      options,
    );
    this.modelId = init.modelId;
    this.instanceType = init.instanceType;
    this.supported = init.supported;
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}...`;
}
