/**
 * What the emulated services share: configuration, the clock, persistence,
 * and each service's internal API (its "backend") for the services that
 * depend on it. A service module receives the context when the emulator
 * starts and registers its backend on it; others look backends up at call
 * time, so modules can be created in any order.
 *
 * Dependencies between services (who calls whom):
 * - SageMaker Runtime's async queue reads inputs from and writes results to
 *   S3 ({@linkcode S3Backend}) and publishes notifications ({@linkcode SnsBackend}).
 * - CloudWatch samples SageMaker ({@linkcode SageMakerBackend}) every period
 *   and runs alarm actions through Application Auto Scaling
 *   ({@linkcode AutoScalingBackend}), which changes SageMaker's desired
 *   instance counts and manages target tracking's alarms through
 *   {@linkcode CloudWatchBackend}.
 *
 * @module
 */
import type { EmulatorClock } from "./clock.ts";

/** Durations of the emulated world, in emulated milliseconds. */
export interface EmulatorTimings {
  /** `Creating` -> `InService` control-plane overhead, before instances launch. Default 60 s. */
  endpointCreationMs: number;
  /** Instance launch time (provisioning + image pull + model load): the cold start. Default 8 min. */
  instanceLaunchMs: number;
  /** `Deleting` -> gone. Default 30 s. */
  endpointDeletionMs: number;
  /** Fixed part of one inference. Default 2 s. */
  inferenceBaseMs: number;
  /** Extra time per generated token. Default 20 ms. */
  inferencePerTokenMs: number;
  /** CloudWatch metric period for SageMaker's published metrics. Default 60 s. */
  metricPeriodMs: number;
}

/** Static configuration of one emulator instance. */
export interface EmulatorConfig {
  /** 12-digit account id answered by STS and used in ARNs. */
  readonly accountId: string;
  /** The region (also the default for unsigned requests). */
  readonly region: string;
  /** The one key pair the emulator accepts. */
  readonly credentials: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
  };
  /** Whether SigV4 signatures are verified. */
  readonly auth: boolean;
  /** Durations. */
  readonly timings: EmulatorTimings;
}

/** Crash-safe state storage. The in-memory implementation keeps nothing. */
export interface Persistence {
  /** Whether anything is written at all (false for the in-memory default). */
  readonly durable: boolean;
  /** Reads a section saved earlier, or `undefined`. */
  load<T>(section: string): Promise<T | undefined>;
  /** Replaces a section atomically (temp file, fsync, rename). Resolves once durable. */
  save(section: string, value: unknown): Promise<void>;
  /** Stores a blob (object body) atomically under an opaque id. */
  writeBlob(id: string, bytes: Uint8Array): Promise<void>;
  /** Reads a blob written earlier. */
  readBlob(id: string): Promise<Uint8Array>;
  /** Removes a blob; missing blobs are fine. */
  deleteBlob(id: string): Promise<void>;
  /** Ids of every stored blob (to remove blobs a crash left unreferenced). Optional. */
  listBlobs?(): Promise<string[]>;
}

/** An S3 object as stored. */
export interface StoredObject {
  readonly bucket: string;
  readonly key: string;
  readonly body: Uint8Array;
  readonly contentType: string;
  /** Quoted, as sent in `ETag` (`"<md5 hex>"`). */
  readonly etag: string;
  readonly lastModified: Date;
  readonly metadata: Readonly<Record<string, string>>;
}

/** S3 as other services use it (the async queue, JumpStart content). */
export interface S3Backend {
  /** The object, or `undefined` when the bucket or key does not exist. */
  getObject(bucket: string, key: string): Promise<StoredObject | undefined>;
  /** Stores an object; throws `AwsError` `NoSuchBucket` when the bucket is missing. */
  putObject(
    bucket: string,
    key: string,
    body: Uint8Array,
    options?: { contentType?: string; metadata?: Record<string, string> },
  ): Promise<StoredObject>;
  /** Whether the bucket exists. */
  bucketExists(bucket: string): boolean;
}

/** SNS as the async queue uses it. */
export interface SnsBackend {
  /** Publishes a message; throws `AwsError` `NotFound` for an unknown topic. */
  publish(
    topicArn: string,
    message: string,
    options?: { subject?: string },
  ): Promise<string>;
}

/** One production variant's capacity. */
export interface VariantCapacity {
  readonly endpointName: string;
  readonly variantName: string;
  readonly instanceType: string;
  /** Instances asked for. */
  readonly desiredInstanceCount: number;
  /** Instances in service (launched and not draining). */
  readonly currentInstanceCount: number;
}

/** An async endpoint's queue at one instant. */
export interface AsyncQueueSnapshot {
  readonly endpointName: string;
  /** Accepted, not yet started. */
  readonly queued: number;
  /** Running on an instance. */
  readonly inProgress: number;
  /** Epoch ms at which the oldest queued request was accepted. */
  readonly oldestQueuedAt: number | undefined;
}

/** How one accepted async request ended. */
export interface InvocationOutcome {
  readonly endpointName: string;
  readonly variantName: string;
  readonly inferenceId: string;
  /** `Completed`: output object written; otherwise a failure object was written. */
  readonly status: "Completed" | "Failed" | "Expired";
  /** Which AWS failure metric it counts towards, when not completed. */
  readonly failureKind?:
    | "InvocationFailures"
    | "ExpiredRequests"
    | "RequestDownloadFailures"
    | "ResponseUploadFailures";
  /** Epoch ms accepted, started on an instance, finished. */
  readonly acceptedAt: number;
  readonly startedAt: number | undefined;
  readonly finishedAt: number;
  /** Time inside the container, ms. */
  readonly modelLatencyMs: number | undefined;
}

/** SageMaker as Application Auto Scaling and CloudWatch use it. */
export interface SageMakerBackend {
  /** Names of endpoints that exist (any status but gone). */
  endpointNames(): string[];
  /** Whether the endpoint has an `AsyncInferenceConfig`. */
  isAsync(endpointName: string): boolean;
  /** The endpoint's variants, or `[]` if there is no such endpoint. */
  variants(endpointName: string): VariantCapacity[];
  /**
   * The endpoint's `EndpointStatus` as `DescribeEndpoint` reports it
   * (`Updating` while instances launch or drain), or `undefined` if there is
   * no such endpoint. Application Auto Scaling completes an activity only once
   * this is `InService`, so a scale-in ends when busy instances have drained.
   */
  endpointStatus(endpointName: string): string | undefined;
  /** The queue of an async endpoint, or `undefined`. */
  queueSnapshot(endpointName: string): AsyncQueueSnapshot | undefined;
  /**
   * Changes a variant's desired instance count (launching or draining
   * instances). Throws `AwsError` `ValidationException` when the endpoint or
   * variant is missing or the endpoint cannot be updated now.
   */
  setDesiredInstanceCount(
    endpointName: string,
    variantName: string,
    count: number,
  ): void;
  /** Subscribes to finished async requests (for CloudWatch's counters). */
  onInvocationFinished(listener: (outcome: InvocationOutcome) => void): void;
  /** Subscribes to endpoint deletion (for Auto Scaling's clean-up). */
  onEndpointDeleted(listener: (endpointName: string) => void): void;
}

/** A metric datum published internally (by SageMaker's publisher). */
export interface MetricDatum {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: ReadonlyArray<
    { readonly Name: string; readonly Value: string }
  >;
  readonly value: number;
  readonly unit: string;
  /** Epoch ms. */
  readonly timestamp: number;
}

/** CloudWatch as other services use it. */
export interface CloudWatchBackend {
  /** Stores data points. */
  putMetricData(data: readonly MetricDatum[]): void;
  /**
   * Creates or updates a metric alarm, exactly as `PutMetricAlarm` with these
   * (JSON-protocol) members would; throws the same `AwsError`s. Used by
   * target tracking for the alarms it owns.
   */
  putMetricAlarm(input: Record<string, unknown>): { alarmArn: string };
  /** Deletes alarms by name; names that do not exist are skipped. */
  deleteAlarms(alarmNames: readonly string[]): void;
  /** Resolves once CloudWatch's changes so far are durable (at once without persistence). */
  commit(): Promise<void>;
}

/** Application Auto Scaling as CloudWatch alarm actions use it. */
export interface AutoScalingBackend {
  /** Runs a scaling policy because an alarm is in `ALARM`; unknown ARNs are ignored as AWS does. */
  executePolicy(
    policyArn: string,
    trigger: {
      alarmName: string;
      alarmArn: string;
      /** The most recent data point the alarm evaluated. */
      metricValue: number | undefined;
      /** The alarm's state when it invoked the action. Default `ALARM`. */
      stateValue?: "OK" | "ALARM" | "INSUFFICIENT_DATA";
      /** Every data point the evaluation used, most recent first (step scaling aggregates them). */
      metricValues?: readonly number[];
      /** The alarm's threshold (step scaling measures its steps from it). */
      threshold?: number;
    },
  ): Promise<void>;
  /**
   * Runs the policies invoked by one round of alarm evaluations together, so
   * that when several policies act on one scalable target the largest
   * capacity wins. One result per invocation, in order: `not-found` for ARNs
   * that name no policy (CloudWatch logs them), `executed` otherwise.
   */
  executePolicies(
    invocations: ReadonlyArray<{
      policyArn: string;
      trigger: Parameters<AutoScalingBackend["executePolicy"]>[1];
    }>,
  ): Promise<Array<{ outcome: "executed" | "not-found"; message?: string }>>;
}

/** Everything a service module is given. */
export interface EmulatorContext {
  readonly config: EmulatorConfig;
  readonly clock: EmulatorClock;
  readonly persistence: Persistence;
  /** Reports an error from background work (never silently dropped). */
  readonly reportError: (error: unknown) => void;
  /** A new request or resource id. */
  newId(): string;
  /** Backends, registered by the service modules as they start. */
  s3?: S3Backend;
  sns?: SnsBackend;
  sagemaker?: SageMakerBackend;
  cloudwatch?: CloudWatchBackend;
  autoscaling?: AutoScalingBackend;
}

/** Looks up a backend that must exist, with a clear error when it does not. */
export function requireBackend<
  K extends "s3" | "sns" | "sagemaker" | "cloudwatch" | "autoscaling",
>(
  context: EmulatorContext,
  name: K,
): NonNullable<EmulatorContext[K]> {
  const backend = context[name];
  if (!backend) {
    throw new Error(`The emulator was started without the ${name} service`);
  }
  return backend as NonNullable<EmulatorContext[K]>;
}
