/**
 * A fake asynchronous endpoint for the LangChain tests: real SDK clients
 * whose `send` is replaced by aws-sdk-client-mock, an in-memory S3
 * ({@linkcode FakeS3}) and a {@linkcode ManualClock}. `InvokeEndpointAsync`
 * reads the uploaded TGI request and queues it; while the endpoint has an
 * instance, each queued request is answered `inferenceMs` later by writing
 * its output object (unless `autoRespond` is off). Capacity and the
 * scale-from-zero policy are set by the test.
 *
 * @module
 */
import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import {
  DescribeEndpointCommand,
  SageMakerClient,
  UpdateEndpointWeightsAndCapacitiesCommand,
} from "@aws-sdk/client-sagemaker";
import {
  InvokeEndpointAsyncCommand,
  type InvokeEndpointAsyncCommandInput,
  SageMakerRuntimeClient,
} from "@aws-sdk/client-sagemaker-runtime";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { ManualClock } from "../../../lib/testing/manual_clock.ts";
import { FakeS3 } from "../fake_s3.ts";

export const ENDPOINT = "falcon";
export const OUTPUT_PREFIX = "s3://out-bucket/out";
export const FAILURE_PREFIX = "s3://out-bucket/fail";
const STEP_POLICY_ARN = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:step";
const CREDENTIALS = { accessKeyId: "AKIDTEST", secretAccessKey: "secret" };

/** A request the fake endpoint accepted. */
export interface QueuedRequest {
  readonly inferenceId: string;
  readonly input: InvokeEndpointAsyncCommandInput;
  /** The uploaded TGI request. */
  readonly body: { inputs: string; parameters?: Record<string, unknown> };
  readonly outputLocation: string;
  readonly failureLocation: string;
}

/** Options for {@linkcode FakeEndpoint}. */
export interface FakeEndpointOptions {
  /** Instances in service at the start. Default 1. */
  current?: number;
  /** Instances wanted at the start. Default `current`. */
  desired?: number;
  /** Whether the HasBacklogWithoutCapacity policy and alarm exist. Default false. */
  wakePolicy?: boolean;
  /** Answer queued requests by itself while an instance is up. Default true. */
  autoRespond?: boolean;
  /** Time one inference takes. Default 5 s. */
  inferenceMs?: number;
  /** The generated text for a prompt. Default `Answer to: <prompt>`. */
  respond?: (prompt: string) => string;
}

/** The fake endpoint and the clients that reach it. */
export class FakeEndpoint {
  readonly clock = new ManualClock({ start: 0 });
  readonly s3 = new FakeS3({ clock: this.clock });
  readonly runtime = new SageMakerRuntimeClient({ region: "us-east-1", credentials: CREDENTIALS });
  readonly sagemaker = new SageMakerClient({ region: "us-east-1", credentials: CREDENTIALS });
  readonly autoscaling = new ApplicationAutoScalingClient({
    region: "us-east-1",
    credentials: CREDENTIALS,
  });
  readonly cloudwatch = new CloudWatchClient({ region: "us-east-1", credentials: CREDENTIALS });
  readonly sts = new STSClient({ region: "us-east-1", credentials: CREDENTIALS });
  readonly runtimeMock: AwsClientStub<SageMakerRuntimeClient>;
  readonly sagemakerMock: AwsClientStub<SageMakerClient>;
  readonly autoscalingMock: AwsClientStub<ApplicationAutoScalingClient>;
  readonly cloudwatchMock: AwsClientStub<CloudWatchClient>;
  /** Every accepted request, in order. */
  readonly requests: QueuedRequest[] = [];
  current: number;
  desired: number;
  wakePolicy: boolean;
  status = "InService";
  readonly #queue: QueuedRequest[] = [];
  readonly #autoRespond: boolean;
  readonly #inferenceMs: number;
  readonly #respond: (prompt: string) => string;

  constructor(options: FakeEndpointOptions = {}) {
    this.current = options.current ?? 1;
    this.desired = options.desired ?? this.current;
    this.wakePolicy = options.wakePolicy ?? false;
    this.#autoRespond = options.autoRespond ?? true;
    this.#inferenceMs = options.inferenceMs ?? 5_000;
    this.#respond = options.respond ?? ((prompt) => `Answer to: ${prompt}`);

    this.runtimeMock = mockClient(this.runtime);
    this.runtimeMock.on(InvokeEndpointAsyncCommand).callsFake((input) => {
      const id = input.InferenceId as string;
      const location = String(input.InputLocation).slice("s3://".length);
      const stored = this.s3.objects.get(location);
      if (!stored) throw new Error(`fake endpoint: no input object at ${input.InputLocation}`);
      const request: QueuedRequest = {
        inferenceId: id,
        input,
        body: JSON.parse(new TextDecoder().decode(stored.body)),
        outputLocation: `${OUTPUT_PREFIX}/${id}.out`,
        failureLocation: `${FAILURE_PREFIX}/${id}-error.out`,
      };
      this.requests.push(request);
      this.#queue.push(request);
      this.#drain();
      return {
        InferenceId: id,
        OutputLocation: request.outputLocation,
        FailureLocation: request.failureLocation,
      };
    });

    this.sagemakerMock = mockClient(this.sagemaker);
    this.sagemakerMock.on(DescribeEndpointCommand).callsFake(() => ({
      EndpointName: ENDPOINT,
      EndpointStatus: this.status,
      ProductionVariants: [{
        VariantName: "AllTraffic",
        CurrentInstanceCount: this.current,
        DesiredInstanceCount: this.desired,
      }],
    }));
    this.sagemakerMock.on(UpdateEndpointWeightsAndCapacitiesCommand).callsFake((input) => {
      this.desired = input.DesiredWeightsAndCapacities[0].DesiredInstanceCount;
      return { EndpointArn: `arn:aws:sagemaker:us-east-1:123456789012:endpoint/${ENDPOINT}` };
    });

    this.autoscalingMock = mockClient(this.autoscaling);
    this.autoscalingMock.on(DescribeScalableTargetsCommand).callsFake(() => ({
      ScalableTargets: this.wakePolicy
        ? [{
          ServiceNamespace: "sagemaker",
          ResourceId: `endpoint/${ENDPOINT}/variant/AllTraffic`,
          ScalableDimension: "sagemaker:variant:DesiredInstanceCount",
          MinCapacity: 0,
          MaxCapacity: 1,
          RoleARN: "arn:aws:iam::123456789012:role/scaling",
          CreationTime: new Date(0),
        }]
        : [],
    }));
    this.autoscalingMock.on(DescribeScalingPoliciesCommand).callsFake(() => ({
      ScalingPolicies: this.wakePolicy
        ? [{
          PolicyName: "HasBacklogWithoutCapacity-ScalingPolicy",
          PolicyARN: STEP_POLICY_ARN,
          PolicyType: "StepScaling",
          ServiceNamespace: "sagemaker",
          ResourceId: `endpoint/${ENDPOINT}/variant/AllTraffic`,
          ScalableDimension: "sagemaker:variant:DesiredInstanceCount",
          CreationTime: new Date(0),
        }]
        : [],
    }));

    this.cloudwatchMock = mockClient(this.cloudwatch);
    this.cloudwatchMock.on(DescribeAlarmsCommand).callsFake(() => ({
      MetricAlarms: this.wakePolicy
        ? [{
          AlarmName: `${ENDPOINT}-AllTraffic-HasBacklogWithoutCapacity`,
          AlarmActions: [STEP_POLICY_ARN],
          StateValue: "OK",
        }]
        : [],
    }));

    mockClient(this.sts).on(GetCallerIdentityCommand).resolves({ Account: "123456789012" });
  }

  /** The clients, shaped as `createClients()` returns them. */
  get clients(): {
    s3: FakeS3["client"];
    runtime: SageMakerRuntimeClient;
    sagemaker: SageMakerClient;
    autoscaling: ApplicationAutoScalingClient;
    cloudwatch: CloudWatchClient;
    sts: STSClient;
    region: string;
  } {
    return {
      s3: this.s3.client,
      runtime: this.runtime,
      sagemaker: this.sagemaker,
      autoscaling: this.autoscaling,
      cloudwatch: this.cloudwatch,
      sts: this.sts,
      region: "us-east-1",
    };
  }

  /** Sets the instance counts; a first instance starts answering queued requests. */
  setCapacity(capacity: { current: number; desired?: number }): void {
    this.current = capacity.current;
    this.desired = capacity.desired ?? capacity.current;
    this.#drain();
  }

  /** Writes the output object of a request. */
  complete(request: QueuedRequest, text: string): void {
    this.s3.put(
      request.outputLocation,
      JSON.stringify([{ generated_text: text }]),
      "application/json",
    );
  }

  /** Writes the failure object of a request. */
  fail(request: QueuedRequest, body: string): void {
    this.s3.put(request.failureLocation, body, "application/json");
  }

  /** Calls of a SageMaker control-plane command. */
  describeCalls(): number {
    return this.sagemakerMock.commandCalls(DescribeEndpointCommand).length;
  }

  #drain(): void {
    if (!this.#autoRespond || this.current === 0) return;
    for (const request of this.#queue.splice(0)) {
      this.clock.sleep(this.#inferenceMs).then(() =>
        this.complete(request, this.#respond(request.body.inputs))
      );
    }
  }
}

/** Advances the clock in steps until `promise` settles (or `maxMs` passes); returns its outcome. */
export async function settleWithin<T>(
  clock: ManualClock,
  promise: Promise<T>,
  options: { stepMs?: number; maxMs?: number } = {},
): Promise<{ ok: true; value: T; at: number } | { ok: false; error: unknown; at: number }> {
  let outcome:
    | { ok: true; value: T; at: number }
    | { ok: false; error: unknown; at: number }
    | undefined;
  promise.then(
    (value) => outcome = { ok: true, value, at: clock.now() },
    (error) => outcome = { ok: false, error, at: clock.now() },
  );
  await clock.advanceUntil(() => outcome !== undefined, {
    stepMs: options.stepMs ?? 1_000,
    maxMs: options.maxMs ?? 3_600_000,
  });
  if (!outcome) throw new Error(`did not settle within ${options.maxMs ?? 3_600_000} ms`);
  return outcome;
}
