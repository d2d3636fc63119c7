/**
 * The CloudWatch service module (`monitoring`). It speaks both protocols
 * CloudWatch clients use:
 *
 * - awsJson 1.0 with awsQueryCompatible (client-cloudwatch ≥ 3.949.0):
 *   `X-Amz-Target: GraniteServiceVersion20100801.<Op>`; errors carry
 *   `__type: com.amazonaws.cloudwatch#<Shape>` and
 *   `x-amzn-query-error: <QueryCode>;Sender`.
 * - the query protocol (older SDKs, boto3, the AWS CLI v1): a form body
 *   `Action=<Op>&Version=2010-08-01&...`, XML replies.
 *
 * Bodies sent with `Content-Encoding: gzip` (PutMetricData ≥ 10 KiB) are
 * decompressed first. The module loads saved state, registers
 * `context.cloudwatch`, starts the minute tick (alarm evaluation) and
 * publishes SageMaker's async metrics.
 *
 * @example
 * ```ts
 * import { createEmulator, ManualEmulatorClock } from "@sagemaker-async/toolkit/emulator";
 *
 * const clock = new ManualEmulatorClock({ start: Date.UTC(2026, 3, 12, 10, 0) });
 * const emulator = await createEmulator({ auth: false, clock });
 * const call = (op: string, body: unknown) =>
 *   emulator.fetch(
 *     new Request("http://127.0.0.1/", {
 *       method: "POST",
 *       headers: {
 *         "content-type": "application/x-amz-json-1.0",
 *         "x-amz-target": `GraniteServiceVersion20100801.${op}`,
 *       },
 *       body: JSON.stringify(body),
 *     }),
 *   );
 * await call("PutMetricData", { Namespace: "Demo", MetricData: [{ MetricName: "Queue", Value: 3 }] });
 * const reply = await call("GetMetricStatistics", {
 *   Namespace: "Demo",
 *   MetricName: "Queue",
 *   StartTime: clock.now() / 1000 - 60,
 *   EndTime: clock.now() / 1000 + 60,
 *   Period: 60,
 *   Statistics: ["Maximum"],
 * });
 * const { Datapoints } = await reply.json();
 * if (Datapoints[0].Maximum !== 3) throw new Error(JSON.stringify(Datapoints));
 * await emulator.close();
 * ```
 *
 * @module
 */
import type { EmulatorContext } from "../context.ts";
import { toAwsError } from "../errors.ts";
import {
  awsJsonErrorResponse,
  type AwsJsonErrorStyle,
  awsJsonService,
  type JsonOperation,
} from "../protocols/aws_json.ts";
import {
  awsQueryService,
  queryErrorResponse,
  type QueryOperation,
} from "../protocols/aws_query.ts";
import type { AwsRequest } from "../request.ts";
import type { ServiceFactory, ServiceModule } from "../service.ts";
import { CloudWatch } from "./backend.ts";
import { deleteAlarms } from "./DeleteAlarms.ts";
import { describeAlarmHistory } from "./DescribeAlarmHistory.ts";
import { describeAlarms } from "./DescribeAlarms.ts";
import { asQueryError, cloudWatchError } from "./errors.ts";
import { getMetricData } from "./GetMetricData.ts";
import { getMetricStatistics } from "./GetMetricStatistics.ts";
import { listMetrics } from "./ListMetrics.ts";
import type { Members } from "./parameters.ts";
import { putMetricAlarm } from "./PutMetricAlarm.ts";
import { putMetricData } from "./PutMetricData.ts";
import { SageMakerMetricsPublisher } from "./sagemaker_metrics.ts";
import { setAlarmState } from "./SetAlarmState.ts";

/** `X-Amz-Target` prefix of the JSON protocol. */
export const CLOUDWATCH_TARGET_PREFIX = "GraniteServiceVersion20100801";
/** Query-protocol API version. */
export const CLOUDWATCH_QUERY_VERSION = "2010-08-01";
/** XML namespace of query-protocol replies. */
export const CLOUDWATCH_XMLNS = "http://monitoring.amazonaws.com/doc/2010-08-01/";

type Operation = (cloudwatch: CloudWatch, input: Members) => unknown;

/** Operations that change state: answered only once the change is durable. */
const MUTATING = new Set(["PutMetricData", "PutMetricAlarm", "DeleteAlarms", "SetAlarmState"]);

async function run(
  cloudwatch: CloudWatch,
  name: string,
  operation: Operation,
  input: Members,
): Promise<unknown> {
  const result = await operation(cloudwatch, input);
  if (MUTATING.has(name)) await cloudwatch.commit();
  return result;
}

const OPERATIONS: Record<string, Operation> = {
  PutMetricData: putMetricData,
  GetMetricData: getMetricData,
  GetMetricStatistics: getMetricStatistics,
  ListMetrics: listMetrics,
  PutMetricAlarm: putMetricAlarm,
  DescribeAlarms: describeAlarms,
  DescribeAlarmHistory: describeAlarmHistory,
  DeleteAlarms: deleteAlarms,
  SetAlarmState: setAlarmState,
};

/** Members whose value is a map (rendered as `<entry><key>..</key><value>..</value></entry>`). */
const MAP_MEMBERS = new Set(["ExtendedStatistics"]);

/** Shapes a result for the query protocol: lists as `<member>`, maps as `<entry>`. */
function queryShape(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) {
    return value.length === 0 ? "" : { member: value.map((item) => queryShape(item)) };
  }
  if (value instanceof Date || value === null || typeof value !== "object") return value;
  if (MAP_MEMBERS.has(key)) {
    return {
      entry: Object.entries(value).map(([k, v]) => ({ key: k, value: queryShape(v) })),
    };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = queryShape(v, k);
  return out;
}

function isJson(request: AwsRequest): boolean {
  return request.headers.has("x-amz-target") ||
    (request.headers.get("content-type") ?? "").startsWith("application/x-amz-json");
}

async function decoded(request: AwsRequest): Promise<AwsRequest> {
  const encoding = (request.headers.get("content-encoding") ?? "").toLowerCase();
  if (!encoding.split(",").map((e) => e.trim()).includes("gzip")) return request;
  try {
    const stream = new Blob([request.body as Uint8Array<ArrayBuffer>]).stream()
      .pipeThrough(new DecompressionStream("gzip"));
    const body = new Uint8Array(await new Response(stream).arrayBuffer());
    return { ...request, body };
  } catch {
    throw cloudWatchError(
      "InvalidParameterValueException",
      "The request body could not be decompressed (Content-Encoding: gzip).",
    );
  }
}

/** CloudWatch's JSON errors: awsJson 1.0, awsQueryCompatible. */
const JSON_ERRORS: AwsJsonErrorStyle = { version: "1.0", queryCompatible: true };

/** Creates the CloudWatch module, registers `context.cloudwatch` and starts its tick. */
export const createCloudWatchService: ServiceFactory = async (
  context: EmulatorContext,
): Promise<ServiceModule> => {
  const cloudwatch = new CloudWatch(context);
  await cloudwatch.load();
  context.cloudwatch = cloudwatch;
  const publisher = new SageMakerMetricsPublisher({ context, cloudwatch });
  cloudwatch.addCollector((periodEnd) => publisher.publish(periodEnd));
  if (!publisher.attach()) {
    // SageMaker may register after this module: subscribe as soon as time moves.
    context.clock.schedule(context.clock.now(), () => {
      publisher.attach();
    });
  }
  cloudwatch.start();

  const jsonOperations: Record<string, JsonOperation> = {};
  const queryOperations: Record<string, QueryOperation> = {};
  for (const [name, operation] of Object.entries(OPERATIONS)) {
    jsonOperations[name] = (input) => run(cloudwatch, name, operation, input as Members);
    queryOperations[name] = async (params) =>
      queryShape(await run(cloudwatch, name, operation, params as Members));
  }
  const json = awsJsonService({
    ...JSON_ERRORS,
    targetPrefix: CLOUDWATCH_TARGET_PREFIX,
    operations: jsonOperations,
  });
  // Results are shaped by `queryShape` (lists as `<member>`, maps as
  // `<entry>`), so the XML renders what is left flat.
  const query = awsQueryService({
    version: CLOUDWATCH_QUERY_VERSION,
    xmlns: CLOUDWATCH_XMLNS,
    operations: queryOperations,
    lists: "flat",
    queryError: asQueryError,
  });

  const module: ServiceModule = {
    key: "monitoring",
    async handle(request) {
      let body: AwsRequest;
      try {
        body = await decoded(request);
      } catch (error) {
        return module.renderError(toAwsError(error), request);
      }
      return isJson(body) ? await json(body) : await query(body);
    },
    renderError(error, request) {
      return isJson(request)
        ? awsJsonErrorResponse(error, { ...JSON_ERRORS, requestId: request.requestId })
        : queryErrorResponse(asQueryError(error), request.requestId, CLOUDWATCH_XMLNS);
    },
    async close() {
      cloudwatch.stop();
      await cloudwatch.flush();
    },
  };
  return module;
};
