/**
 * Errors of the LangChain LLM that a caller may catch. Timeouts and model
 * failures use the library's `WaitTimeoutError` and `InferenceFailedError`.
 *
 * @module
 */
import type { VariantCapacity } from "../scale_to_zero.ts";

/**
 * The endpoint has zero instances, nothing is starting one, and it has no
 * scale-from-zero policy, so a queued request would wait without waking it.
 * Nothing was submitted: the prompt is not queued anywhere, and calling
 * again once the endpoint can wake does not run it twice.
 */
export class EndpointAtZeroError extends Error {
  override name = "EndpointAtZeroError";
  /** The endpoint. */
  readonly endpointName: string;
  /** Instance counts of its variants when it was checked. */
  readonly variants: readonly VariantCapacity[];

  constructor(
    init: { endpointName: string; variants: readonly VariantCapacity[] },
    options?: ErrorOptions,
  ) {
    const name = init.endpointName;
    super(
      `Endpoint "${name}" has 0 instances and no scale-from-zero policy (a ` +
        "HasBacklogWithoutCapacity step-scaling policy triggered by a CloudWatch alarm), so a " +
        "queued request would not wake it; nothing was submitted. Add the policy with " +
        `enableScaleToZero({ endpointName: "${name}", wakeFromZero: true }), or pass ` +
        'wakeEndpoint: "set-desired-count" to let the LLM raise the desired instance count ' +
        "itself (UpdateEndpointWeightsAndCapacities)",
      options,
    );
    this.endpointName = init.endpointName;
    this.variants = init.variants;
  }
}

/**
 * The content handler could not turn an output object into text. The output
 * stays in S3 at `outputLocation`.
 */
export class OutputTransformError extends Error {
  override name = "OutputTransformError";
  /** The inference whose output could not be read. */
  readonly inferenceId: string | undefined;
  /** `s3://` URI of the output object. */
  readonly outputLocation: string;

  constructor(
    init: { inferenceId?: string; outputLocation: string; reason: string },
    options?: ErrorOptions,
  ) {
    super(
      `Could not read the output of inference ${init.inferenceId ?? "(no id)"} at ` +
        `${init.outputLocation}: ${init.reason}`,
      options,
    );
    this.inferenceId = init.inferenceId;
    this.outputLocation = init.outputLocation;
  }
}
