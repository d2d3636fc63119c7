/**
 * The socket adapter: serves an emulator core over HTTP with `Deno.serve`.
 * Everything AWS-specific happens in the core's `fetch`; this file only
 * binds a port, reports where, and shuts down gracefully. `Deno.serve`
 * answers `Expect: 100-continue` and sets a real `Date` header, which SDKs
 * use to correct their clocks.
 *
 * @module
 */
import type { Emulator } from "./core.ts";

/** Options for {@linkcode serveEmulator}. */
export interface ServeEmulatorOptions {
  /** Interface to bind. Default `127.0.0.1`. */
  hostname?: string;
  /** Port; 0 (the default) picks any free port. */
  port?: number;
  /** Aborting it shuts the server down. */
  signal?: AbortSignal;
}

/** A listening emulator server. */
export interface EmulatorServer {
  /** The bound interface. */
  readonly hostname: string;
  /** The bound port (the real one when 0 was asked for). */
  readonly port: number;
  /** Base URL for clients, e.g. `http://127.0.0.1:4566` (loopback for a wildcard bind). */
  readonly endpoint: string;
  /** Resolves once the server has stopped. */
  readonly finished: Promise<void>;
  /** Stops accepting connections and waits for requests in flight. Idempotent. */
  shutdown(): Promise<void>;
  /** Same as {@linkcode EmulatorServer.shutdown}. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Serves `emulator` over HTTP.
 *
 * @example
 * ```ts
 * import {
 *   createEmulator,
 *   ManualEmulatorClock,
 *   serveEmulator,
 * } from "@sagemaker-async/toolkit/emulator";
 *
 * const emulator = await createEmulator({ auth: false, clock: new ManualEmulatorClock() });
 * const server = serveEmulator(emulator, { port: 0 });
 * const health = await fetch(`${server.endpoint}/_emulator/health`);
 * if ((await health.json()).status !== "ok") throw new Error("not healthy");
 * await server.shutdown();
 * await emulator.close();
 * ```
 */
export function serveEmulator(
  emulator: Pick<Emulator, "fetch">,
  options: ServeEmulatorOptions = {},
): EmulatorServer {
  const hostname = options.hostname ?? "127.0.0.1";
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`Invalid port ${port}: must be an integer from 0 to 65535`);
  }
  const server = Deno.serve({
    hostname,
    port,
    signal: options.signal,
    onListen() {},
    onError(error) {
      const message = error instanceof Error ? error.message : String(error);
      return Response.json({ message: `Internal error: ${message}` }, { status: 500 });
    },
  }, (request) => emulator.fetch(request));
  const addr = server.addr;
  const clientHost = addr.hostname === "0.0.0.0"
    ? "127.0.0.1"
    : addr.hostname === "::"
    ? "[::1]"
    : addr.hostname.includes(":")
    ? `[${addr.hostname}]`
    : addr.hostname;
  let stopping: Promise<void> | undefined;
  const shutdown = () => {
    stopping ??= server.shutdown();
    return stopping;
  };
  return {
    hostname: addr.hostname,
    port: addr.port,
    endpoint: `http://${clientHost}:${addr.port}`,
    finished: server.finished,
    shutdown,
    [Symbol.asyncDispose]: shutdown,
  };
}
