/**
 * SageMaker's model container contract, as an interface: a container answers
 * `GET /ping` (healthy or not) and `POST /invocations` (one inference). The
 * emulator runs every inference through a {@linkcode ModelContainer}: the
 * built-in TGI stand-in (`tgi_builtin.ts`), a real server at a URL
 * (`external.ts`), or an OpenAI-compatible server behind an adapter
 * (`openai_adapter.ts`). `resolve.ts` picks one for a model.
 *
 * @module
 */

/** One `POST /invocations` call. */
export interface ContainerInvocation {
  /** The request payload, as the caller sent it. */
  readonly body: Uint8Array;
  /** `Content-Type` of the payload (`application/json` for TGI). */
  readonly contentType?: string;
  /** `Accept` the caller asked for. */
  readonly accept?: string;
  /** `X-Amzn-SageMaker-Custom-Attributes`, forwarded verbatim. */
  readonly customAttributes?: string;
  /** Aborted when SageMaker gives up (invocation timeout, endpoint deleted). */
  readonly signal: AbortSignal;
}

/** The container's answer, whatever its status. */
export interface ContainerResponse {
  /** HTTP status; 2xx is success, anything else becomes a model error. */
  readonly status: number;
  /** Response body (the inference, or the container's error). */
  readonly body: Uint8Array;
  /** `Content-Type` of the body. */
  readonly contentType: string;
  /** Custom attributes the container sent back, if any. */
  readonly customAttributes?: string;
  /**
   * Emulated milliseconds the inference takes beyond the call itself: the
   * emulator holds the result until then, on its clock. The built-in
   * stand-in reports its token-based duration; external containers report
   * none (they take real time).
   */
  readonly durationMs?: number;
}

/** A running model server that follows SageMaker's container contract. */
export interface ModelContainer {
  /** Human-readable description (for logs and failure reasons). */
  readonly description: string;
  /**
   * Why the container cannot start, when that is known without a ping (the
   * built-in stand-in's invalid settings); added to the endpoint's
   * `FailureReason` when the ping health check fails.
   */
  readonly startupError?: string;
  /** `GET /ping`: resolves `true` when the container is healthy. Never rejects. */
  ping(signal: AbortSignal): Promise<boolean>;
  /** `POST /invocations`. Rejects only when the container cannot be reached or the signal aborts. */
  invoke(invocation: ContainerInvocation): Promise<ContainerResponse>;
}

const encoder = new TextEncoder();

/** Builds a JSON {@linkcode ContainerResponse}. */
export function jsonContainerResponse(status: number, value: unknown): ContainerResponse {
  return {
    status,
    body: encoder.encode(JSON.stringify(value)),
    contentType: "application/json",
  };
}

/** Builds a plain-text {@linkcode ContainerResponse}. */
export function textContainerResponse(status: number, text: string): ContainerResponse {
  return {
    status,
    body: encoder.encode(text),
    contentType: "text/plain; charset=utf-8",
  };
}
