/**
 * The emulator's core: one function from a Fetch `Request` to a `Response`
 * that serves every emulated service. Sockets are an adapter around it
 * (`server.ts`); tests can call {@linkcode Emulator.fetch} in-process.
 *
 * @module
 */
import { type EmulatorClock, SystemEmulatorClock } from "./clock.ts";
import type { EmulatorConfig, EmulatorContext, EmulatorTimings, Persistence } from "./context.ts";
import { AwsError, toAwsError } from "./errors.ts";
import { MemoryPersistence } from "./persistence/memory.ts";
import { restJsonErrorResponse } from "./protocols/rest_json.ts";
import type { AwsRequest } from "./request.ts";
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
  /** The clock. Default: real time at `timeScale`. */
  clock?: EmulatorClock;
  /** Emulated ms per real ms when no clock is given. Default 1. */
  timeScale?: number;
  /** Durations to override. */
  timings?: Partial<EmulatorTimings>;
  /** Where state is kept. Default: memory only. */
  persistence?: Persistence;
  /** Services to run. Default: all of them. */
  services?: readonly ServiceFactory[];
  /** Verifies a signed request; returns an error to reject it. Set by the auth module. */
  verifySignature?: SignatureVerifier;
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
  /** Stops background work and releases resources. */
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
  const clock = options.clock ??
    new SystemEmulatorClock({
      timeScale: options.timeScale,
      onError: reportError,
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
    persistence: options.persistence ?? new MemoryPersistence(),
    reportError,
    newId: () => crypto.randomUUID(),
  };
  const modules = new Map<ServiceKey, ServiceModule>();
  for (const factory of options.services ?? defaultServices) {
    const module = await factory(context);
    modules.set(module.key, module);
  }
  const verify = config.auth ? options.verifySignature : undefined;
  if (config.auth && !verify) {
    throw new TypeError(
      "auth is on but no verifySignature was given; pass one or set auth: false",
    );
  }

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
      body = new Uint8Array(await request.arrayBuffer());
    } catch (error) {
      return restJsonErrorResponse(toAwsError(error), requestId);
    }
    if (rawPath.startsWith("/_emulator/")) {
      return await serveAdmin(rawPath, {
        request,
        method: request.method,
        rawPath,
        rawQuery,
        query,
        headers,
        body,
        service: "emulator",
        region: config.region,
        accessKeyId: undefined,
        requestId,
      });
    }
    const authorization = parseAuthorization(headers, query);
    const contentType = headers.get("content-type") ?? "";
    const formVersion = contentType.startsWith("application/x-www-form-urlencoded")
      ? new URLSearchParams(new TextDecoder().decode(body)).get("Version") ??
        query.get("Version")
      : query.get("Version");
    const key = routeService({
      signingService: authorization?.service,
      target: headers.get("x-amz-target"),
      rawPath,
      formVersion,
    });
    const module = key ? modules.get(key) : undefined;
    const awsRequest: AwsRequest = {
      request,
      method: request.method,
      rawPath,
      rawQuery,
      query,
      headers,
      body,
      service: authorization?.service ?? key ?? "unknown",
      region: authorization?.region ?? config.region,
      accessKeyId: authorization?.accessKeyId,
      requestId,
    };
    if (!module) {
      return restJsonErrorResponse(
        new AwsError(
          "UnknownService",
          `This emulator does not serve ${authorization?.service ?? "this request"}`,
          {
            status: 400,
          },
        ),
        requestId,
      );
    }
    if (verify) {
      const rejection = authorization === null
        ? new AwsError(
          "IncompleteSignature",
          "Authorization header is malformed",
          { status: 403 },
        )
        : authorization === undefined
        ? new AwsError(
          "MissingAuthenticationToken",
          "Request is missing Authentication Token",
          { status: 403 },
        )
        : await verify(awsRequest, authorization, config);
      if (rejection) return module.renderError(rejection, awsRequest);
    }
    try {
      return await module.handle(awsRequest);
    } catch (error) {
      return module.renderError(toAwsError(error), awsRequest);
    }
  }

  async function serveAdmin(rawPath: string, request: AwsRequest): Promise<Response> {
    const rest = rawPath.slice("/_emulator/".length);
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
      const aws = toAwsError(error);
      return Response.json({ code: aws.code, message: aws.message }, { status: aws.status });
    }
  }

  return {
    fetch,
    context,
    clock,
    async close() {
      for (const module of modules.values()) await module.close?.();
      clock.dispose();
    },
  };
}
