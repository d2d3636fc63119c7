/**
 * Deploy a large model to an Amazon SageMaker asynchronous endpoint that
 * scales to zero, invoke it, wait for results and tear it all down.
 *
 * @module
 */
export * from "./clock.ts";
export * from "./errors.ts";
export * from "./progress.ts";
export * from "./s3_uri.ts";
export * from "./validation.ts";
export * from "./default_bucket.ts";
export * from "./payload.ts";
export * from "./abortable.ts";
export * from "./backoff.ts";
export * from "./invoke.ts";
export * from "./result_waiter.ts";
export * from "./wait_for_result.ts";
export * from "./predictor.ts";
export * from "./clients.ts";
export * from "./tags.ts";
export * from "./deployment.ts";
export * from "./jumpstart/manifest.ts";
export * from "./jumpstart/spec.ts";
export * from "./jumpstart/falcon_40b_instruct_snapshot.ts";
export * from "./jumpstart/resolve_model.ts";
export * from "./wait_for_endpoint.ts";
export * from "./deploy.ts";
export * from "./scale_to_zero.ts";
export * from "./teardown.ts";
export * from "./sweep.ts";
export * from "./find_deployment.ts";
export * from "./capacity_timeline.ts";
export * from "./pricing.ts";
