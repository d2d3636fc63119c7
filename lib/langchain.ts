/**
 * LangChain.js for SageMaker asynchronous endpoints that scale to zero:
 * {@linkcode SageMakerAsyncEndpoint}, an LLM built on `@langchain/core`, with
 * the TGI content handler and the cold-start logic it uses. A separate entry
 * point (`@sagemaker-async/toolkit/langchain`), so the main module does not
 * load LangChain.
 *
 * @example
 * ```ts
 * import { TgiContentHandler } from "@sagemaker-async/toolkit/langchain";
 *
 * const body = new TgiContentHandler().transformInput("Hi", {});
 * const { parameters } = JSON.parse(new TextDecoder().decode(body));
 * if (parameters.max_new_tokens !== 100) throw new Error("default max_new_tokens changed");
 * ```
 *
 * @module
 */
export * from "./langchain/sagemaker_async_endpoint.ts";
export * from "./langchain/content_handler.ts";
export * from "./langchain/cold_start.ts";
export * from "./langchain/errors.ts";
