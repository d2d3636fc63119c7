/**
 * In-process helpers for CloudWatch unit tests: an emulator with CloudWatch
 * (plus whatever else a test adds) on a manual clock, and calls in both
 * protocols through `emulator.fetch`.
 *
 * @module
 */
import { ManualEmulatorClock } from "../../../emulator/clock.ts";
import { CloudWatch } from "../../../emulator/cloudwatch/backend.ts";
import { createCloudWatchService } from "../../../emulator/cloudwatch/service.ts";
import type { Persistence } from "../../../emulator/context.ts";
import { createEmulator, type Emulator } from "../../../emulator/core.ts";
import type { ServiceFactory } from "../../../emulator/service.ts";

/** 2026-04-12 10:00:00 UTC. */
export const T0 = Date.UTC(2026, 3, 12, 10, 0);
/** One minute, ms. */
export const MINUTE = 60_000;

/** An emulator running CloudWatch. */
export interface CloudWatchTestEnv extends AsyncDisposable {
  readonly emulator: Emulator;
  readonly clock: ManualEmulatorClock;
  readonly cloudwatch: CloudWatch;
  /** A JSON-protocol call; resolves with status, headers and parsed body. */
  json(operation: string, body: unknown, headers?: Record<string, string>): Promise<Reply>;
  /** A query-protocol call with a form body; resolves with status and XML text. */
  query(params: Record<string, string>): Promise<{ status: number; text: string }>;
}

/** A parsed JSON reply. */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  // deno-lint-ignore no-explicit-any
  readonly body: any;
}

/** Starts an emulator with CloudWatch and `more` services at {@linkcode T0}. */
export async function startCloudWatch(
  options: {
    more?: ServiceFactory[];
    start?: number;
    clock?: ManualEmulatorClock;
    persistence?: Persistence;
  } = {},
): Promise<CloudWatchTestEnv> {
  const clock = options.clock ?? new ManualEmulatorClock({ start: options.start ?? T0 });
  const emulator = await createEmulator({
    auth: false,
    clock,
    persistence: options.persistence,
    services: [...(options.more ?? []), createCloudWatchService],
  });
  const cloudwatch = emulator.context.cloudwatch as CloudWatch;
  return {
    emulator,
    clock,
    cloudwatch,
    async json(operation, body, headers = {}) {
      const response = await emulator.fetch(
        new Request("http://127.0.0.1/", {
          method: "POST",
          headers: {
            "content-type": "application/x-amz-json-1.0",
            "x-amz-target": `GraniteServiceVersion20100801.${operation}`,
            "x-amzn-query-mode": "true",
            ...headers,
          },
          body: JSON.stringify(body),
        }),
      );
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: text === "" ? undefined : JSON.parse(text),
      };
    },
    async query(params) {
      const response = await emulator.fetch(
        new Request("http://127.0.0.1/", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
          body: new URLSearchParams({ Version: "2010-08-01", ...params }).toString(),
        }),
      );
      return { status: response.status, text: await response.text() };
    },
    async [Symbol.asyncDispose]() {
      await emulator.close();
    },
  };
}

/**
 * A `PutMetricAlarm` body: the one-minute `Sum` of `App/Q` above 1, alarming
 * after one period; `overrides` replace or add members.
 */
export function alarmOnQ(
  name: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    AlarmName: name,
    MetricName: "Q",
    Namespace: "App",
    Statistic: "Sum",
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: "GreaterThanThreshold",
    ...overrides,
  };
}

/** Asserts a JSON error reply: status, `__type` shape, query code header. */
export function errorOf(reply: Reply): { shape: string; queryCode: string; message: string } {
  if (reply.status < 400) throw new Error(`expected an error, got ${reply.status}`);
  return {
    shape: String(reply.body.__type).replace("com.amazonaws.cloudwatch#", ""),
    queryCode: (reply.headers.get("x-amzn-query-error") ?? "").split(";")[0]!,
    message: reply.body.message,
  };
}
