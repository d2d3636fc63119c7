/**
 * A model container that is a real server at a URL: anything that follows
 * SageMaker's container contract (`GET /ping`, `POST /invocations`), such as
 * a TGI server (`text-generation-launcher` serves both routes). The emulator
 * forwards the payload, content type, accept and custom attributes verbatim
 * and returns the server's status, body and content type. Time spent is real
 * time (the emulator adds no emulated inference duration).
 *
 * @module
 */
import type { ContainerInvocation, ContainerResponse, ModelContainer } from "./container.ts";

/** Options for {@linkcode ExternalContainer}. */
export interface ExternalContainerOptions {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** The fetch to use (tests may inject one). Default: global `fetch`. */
  fetch?: typeof fetch;
}

/** Validates a container base URL: `http:` or `https:` only; returns it without a trailing `/`. */
export function containerBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`Invalid container URL ${JSON.stringify(url)}: not a URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new TypeError(`Invalid container URL ${JSON.stringify(url)}: must be http or https`);
  }
  return url.replace(/\/+$/, "");
}

/**
 * A container served by an external HTTP server.
 *
 * @example
 * ```ts
 * import { ExternalContainer } from "@sagemaker-async/toolkit/emulator";
 *
 * const fakeFetch = (input: RequestInfo | URL) =>
 *   Promise.resolve(
 *     String(input).endsWith("/ping")
 *       ? new Response("ok")
 *       : Response.json([{ generated_text: "hi" }]),
 *   );
 * const container = new ExternalContainer({ url: "http://127.0.0.1:8080", fetch: fakeFetch });
 * if (!(await container.ping(new AbortController().signal))) throw new Error("unhealthy");
 * ```
 */
export class ExternalContainer implements ModelContainer {
  readonly description: string;
  readonly #base: string;
  readonly #fetch: typeof fetch;

  constructor(options: ExternalContainerOptions) {
    this.#base = containerBaseUrl(options.url);
    this.#fetch = options.fetch ?? fetch;
    this.description = `external container at ${this.#base}`;
  }

  async ping(signal: AbortSignal): Promise<boolean> {
    try {
      const response = await this.#fetch(`${this.#base}/ping`, { signal });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  }

  async invoke(invocation: ContainerInvocation): Promise<ContainerResponse> {
    const headers: Record<string, string> = {
      "content-type": invocation.contentType ?? "application/octet-stream",
    };
    if (invocation.accept) headers.accept = invocation.accept;
    if (invocation.customAttributes) {
      headers["x-amzn-sagemaker-custom-attributes"] = invocation.customAttributes;
    }
    const response = await this.#fetch(`${this.#base}/invocations`, {
      method: "POST",
      headers,
      body: invocation.body as Uint8Array<ArrayBuffer>,
      signal: invocation.signal,
    });
    const body = new Uint8Array(await response.arrayBuffer());
    return {
      status: response.status,
      body,
      contentType: response.headers.get("content-type") ?? "application/octet-stream",
      customAttributes: response.headers.get("x-amzn-sagemaker-custom-attributes") ?? undefined,
    };
  }
}
