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
