/**
 * The emulator's core: one function from a Fetch `Request` to a `Response`
 * that serves every emulated service. Sockets are an adapter around it
 * (`server.ts`); tests can call {@linkcode Emulator.fetch} in-process.
 *
 * @module
 */
import {
  createSigV4Verifier,
  malformedAuthorizationError,
  missingAuthenticationError,
} from "./auth/sigv4.ts";
import { gunzipSync } from "node:zlib";
import { type EmulatorClock, SystemEmulatorClock } from "./clock.ts";
import type { EmulatorConfig, EmulatorContext, EmulatorTimings, Persistence } from "./context.ts";
import { AwsError, toAwsError } from "./errors.ts";
import { defaultFaultCode, FaultInjector, type FaultSpec } from "./faults.ts";
import { MemoryPersistence } from "./persistence/memory.ts";
import { restJsonErrorResponse } from "./protocols/rest_json.ts";
import { type AwsRequest, bodyText } from "./request.ts";
import { parseAuthorization, routeService } from "./routing.ts";
import type { ServiceFactory, ServiceKey, ServiceModule } from "./service.ts";
import { defaultServices } from "./services.ts";

/** Default durations: realistic for a 40B model on a GPU instance. */
export const DEFAULT_TIMINGS: Readonly<EmulatorTimings> = Object.freeze({
  endpointCreationMs: 60_000,
  instanceLaunchMs: 8 * 60_000,
  endpointDeletionMs: 30_000,
  inferenceBaseMs: 2_000,
  inferencePerTokenMs: 20,
  metricPeriodMs: 60_000,
});

/** Persistence section holding the emulated time reached, so restarts continue from it. */
const CLOCK_SECTION = "clock";

/** Default identity: the documentation account and well-known test keys. */
export const DEFAULT_ACCOUNT_ID = "123456789012";
/** Default region. */
export const DEFAULT_REGION = "us-east-1";
/** Default access key the emulator accepts. */
export const DEFAULT_ACCESS_KEY_ID = "AKIAEMULATOR00000000";
/** Default secret key the emulator accepts. */
export const DEFAULT_SECRET_ACCESS_KEY = "emulator/secret/key/not/a/real/aws/secret";

/** Options for {@linkcode createEmulator}. */
export interface EmulatorOptions {
  /** Account id. Default `123456789012`. */
  accountId?: string;
  /** Region. Default `us-east-1`. */
  region?: string;
  /** Accepted credentials. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Verify SigV4 signatures. Default true. */
  auth?: boolean;
  /**
   * The clock. Default: real time at `timeScale`, continuing (with a durable
   * `persistence`) from the emulated time a previous run reached, and
   * checkpointing it while it runs.
   */
  clock?: EmulatorClock;
  /** Emulated ms per real ms when no clock is given. Default 1. */
  timeScale?: number;
  /** Durations to override. */
  timings?: Partial<EmulatorTimings>;
  /** Where state is kept. Default: memory only. */
  persistence?: Persistence;
  /** Services to run. Default: all of them. */
  services?: readonly ServiceFactory[];
  /** Verifies a signed request; returns an error to reject it. Default: SigV4 (`auth/sigv4.ts`). */
  verifySignature?: SignatureVerifier;
  /** Faults to inject from the start (see `faults.ts`); more can be added at run time. */
  faults?: readonly FaultSpec[];
  /** Receives errors from background work. Default: rethrown asynchronously. */
  onError?: (error: unknown) => void;
}

/** Checks a signed request against the configured credentials. */
export type SignatureVerifier = (
  request: AwsRequest,
  authorization: NonNullable<ReturnType<typeof parseAuthorization>>,
  config: EmulatorConfig,
) => AwsError | undefined | Promise<AwsError | undefined>;

/** A running emulator, without sockets. */
export interface Emulator {
  /** Serves one request. Never rejects: every failure is an AWS-shaped response. */
  fetch(request: Request): Promise<Response>;
  /** The shared context (configuration, clock, backends). */
  readonly context: EmulatorContext;
  /** The clock every duration follows. */
  readonly clock: EmulatorClock;
  /** Injected faults in force (also reachable at `/_emulator/faults`). */
  readonly faults: FaultInjector;
  /** Stops background work and releases resources (flushing persistence); idempotent. */
  close(): Promise<void>;
}

/** Creates an emulator core with the given services (all by default). */
export async function createEmulator(
  options: EmulatorOptions = {},
): Promise<Emulator> {
  const reportError = options.onError ?? ((error: unknown) => {
    queueMicrotask(() => {
      throw error;
    });
  });
  const persistence = options.persistence ?? new MemoryPersistence();
  // Emulated time continues from where a persisted emulator stopped (it may
  // run faster than real time, so real time alone could lie behind it).
  const savedClock = persistence.durable
    ? await persistence.load<{ nowMs: number }>(CLOCK_SECTION)
    : undefined;
  const clock = options.clock ??
    new SystemEmulatorClock({
      timeScale: options.timeScale,
      onError: reportError,
      start: savedClock ? Math.max(Date.now(), savedClock.nowMs) : undefined,
    });
  const config: EmulatorConfig = {
    accountId: options.accountId ?? DEFAULT_ACCOUNT_ID,
    region: options.region ?? DEFAULT_REGION,
    credentials: options.credentials ?? {
      accessKeyId: DEFAULT_ACCESS_KEY_ID,
      secretAccessKey: DEFAULT_SECRET_ACCESS_KEY,
    },
    auth: options.auth ?? true,
    timings: { ...DEFAULT_TIMINGS, ...options.timings },
  };
  if (!/^\d{12}$/.test(config.accountId)) {
    throw new RangeError(
      `Invalid account id "${config.accountId}": must be 12 digits`,
    );
  }
  const context: EmulatorContext = {
    config,
    clock,
    persistence,
    reportError,
    newId: () => crypto.randomUUID(),
  };
  if (persistence.durable && !options.clock) {
    // Checkpoint emulated time now and then, so a crash loses little of it.
    const everyMs = Math.max(60_000, 5_000 * clock.timeScale);
    const checkpoint = async () => {
      await persistence.save(CLOCK_SECTION, { nowMs: clock.now() });
      clock.schedule(clock.now() + everyMs, checkpoint);
    };
    clock.schedule(clock.now() + everyMs, checkpoint);
  }
  const modules = new Map<ServiceKey, ServiceModule>();
  for (const factory of options.services ?? defaultServices) {
    const module = await factory(context);
    modules.set(module.key, module);
  }
  const verify = config.auth ? options.verifySignature ?? createSigV4Verifier() : undefined;
  const faults = new FaultInjector();
  for (const spec of options.faults ?? []) faults.add(spec);
  const decoder = new TextDecoder();

  async function fetch(request: Request): Promise<Response> {
    const requestId = context.newId();
    const url = request.url;
    const pathStart = url.indexOf("/", url.indexOf("//") + 2);
    const queryStart = url.indexOf("?", pathStart);
    const rawPath = queryStart === -1 ? url.slice(pathStart) : url.slice(pathStart, queryStart);
    const rawQuery = queryStart === -1 ? "" : url.slice(queryStart + 1);
    const query = new URLSearchParams(rawQuery);
    const headers = request.headers;
    let body: Uint8Array;
    try {
      body = request.body === null ? EMPTY : new Uint8Array(await request.arrayBuffer());
    } catch (error) {
      return restJsonErrorResponse(toAwsError(error), requestId);
    }
    const routed = (
      to: Pick<AwsRequest, "service" | "region" | "accessKeyId">,
    ): AwsRequest => ({
      request,
      method: request.method,
      rawPath,
      rawQuery,
      query,
      headers,
      body,
      requestId,
      ...to,
    });
    if (rawPath.startsWith("/_emulator/")) {
      return await serveAdmin(
        rawPath,
        routed({ service: "emulator", region: config.region, accessKeyId: undefined }),
      );
    }
    const authorization = parseAuthorization(headers, query);
    const target = headers.get("x-amz-target");
    const key = routeService({
      signingService: authorization?.service,
      target,
      rawPath,
      formVersion: authorization?.service || target
        ? undefined
        : formVersionOf(headers, body, query),
    });
    const module = key ? modules.get(key) : undefined;
    const awsRequest = routed({
      service: authorization?.service ?? key ?? "unknown",
      region: authorization?.region ?? config.region,
      accessKeyId: authorization?.accessKeyId,
    });
    if (!module) {
      return restJsonErrorResponse(
        new AwsError(
          "UnknownService",
          `This emulator does not serve ${authorization?.service ?? "this request"}`,
          { status: 400 },
        ),
        requestId,
      );
    }
    try {
      if (verify) {
        const rejection = authorization === null
          ? malformedAuthorizationError(awsRequest)
          : authorization === undefined
          ? missingAuthenticationError(awsRequest)
          : await verify(awsRequest, authorization, config);
        if (rejection) return module.renderError(rejection, awsRequest);
      }
      if (faults.active) {
        const fault = faults.take(module.key, operationOf(module, awsRequest));
        if (fault) {
          return module.renderError(
            new AwsError(fault.code ?? defaultFaultCode(fault.status, module.key), fault.message, {
              status: fault.status,
            }),
            awsRequest,
          );
        }
      }
      return await module.handle(awsRequest);
    } catch (error) {
      return module.renderError(toAwsError(error), awsRequest);
    }
  }

  function formVersionOf(
    headers: Headers,
    body: Uint8Array,
    query: URLSearchParams,
  ): string | null {
    const contentType = headers.get("content-type") ?? "";
    if (contentType.startsWith("application/x-www-form-urlencoded")) {
      // Unsigned requests are routed by the query protocol's Version; large
      // CloudWatch bodies arrive gzip-compressed.
      let form = body;
      if (headers.get("content-encoding") === "gzip") {
        try {
          form = gunzipSync(body);
        } catch {
          return query.get("Version");
        }
      }
      return new URLSearchParams(decoder.decode(form)).get("Version") ?? query.get("Version");
    }
    return query.get("Version");
  }

  function operationOf(module: ServiceModule, request: AwsRequest): string {
    if (module.operationName) return module.operationName(request);
    const target = request.headers.get("x-amz-target");
    if (target !== null) return target.slice(target.indexOf(".") + 1);
    const contentType = request.headers.get("content-type") ?? "";
    const form = contentType.startsWith("application/x-www-form-urlencoded")
      ? new URLSearchParams(bodyText(request))
      : request.query;
    return form.get("Action") ?? "";
  }

  async function serveAdmin(rawPath: string, request: AwsRequest): Promise<Response> {
    const rest = rawPath.slice("/_emulator/".length);
    if (rest === "faults") return serveFaults(request);
    if (rest === "health") {
      return Response.json({
        status: "ok",
        region: config.region,
        accountId: config.accountId,
        services: [...modules.keys()],
        now: new Date(clock.now()).toISOString(),
        nowMs: clock.now(),
        timeScale: clock.timeScale,
      });
    }
    const slash = rest.indexOf("/");
    const key = (slash === -1 ? rest : rest.slice(0, slash)) as ServiceKey;
    const module = modules.get(key);
    if (!module?.admin) {
      return Response.json({ message: `No emulator admin API for ${JSON.stringify(key)}` }, {
        status: 404,
      });
    }
    try {
      return await module.admin(request, slash === -1 ? "" : rest.slice(slash));
    } catch (error) {
      return adminError(toAwsError(error));
    }
  }

  function serveFaults(request: AwsRequest): Response {
    switch (request.method) {
      case "GET":
        return Response.json({ faults: faults.list() });
      case "DELETE":
        faults.clear();
        return new Response(null, { status: 204 });
      case "POST": {
        let spec: unknown;
        try {
          spec = JSON.parse(bodyText(request));
        } catch {
          return adminError(
            new AwsError("SerializationException", "The fault must be a JSON object"),
          );
        }
        try {
          return Response.json(faults.add(spec as FaultSpec), { status: 201 });
        } catch (error) {
          return adminError(
            new AwsError(
              "ValidationException",
              error instanceof Error ? error.message : String(error),
            ),
          );
        }
      }
      default:
        return adminError(
          new AwsError(
            "MethodNotAllowed",
            `${request.method} is not allowed on /_emulator/faults: use GET, POST or DELETE`,
            { status: 405 },
          ),
        );
    }
  }

  let closing: Promise<void> | undefined;
  return {
    fetch,
    context,
    clock,
    faults,
    close() {
      closing ??= (async () => {
        const errors: unknown[] = [];
        for (const module of modules.values()) {
          try {
            await module.close?.();
          } catch (error) {
            errors.push(error);
          }
        }
        if (persistence.durable) {
          await persistence.save(CLOCK_SECTION, { nowMs: clock.now() }).catch((e) =>
            errors.push(e)
          );
        }
        clock.dispose();
        if (errors.length === 1) throw errors[0];
        if (errors.length > 1) throw new AggregateError(errors, "Services failed to close");
      })();
      return closing;
    },
  };
}

const EMPTY = new Uint8Array(0);

/** An error from the emulator's own (non-AWS) admin API: `{"code", "message"}`. */
function adminError(error: AwsError): Response {
  return Response.json({ code: error.code, message: error.message }, { status: error.status });
}
