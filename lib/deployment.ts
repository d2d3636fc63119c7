/**
 * The handle a deployment returns, and resource references shared by
 * teardown, scale-to-zero and sweep.
 *
 * @module
 */

/** A deployed asynchronous endpoint and everything made for it. */
export interface AsyncDeployment {
  /** Id carried by every resource's `sagemaker-async:deployment-id` tag. */
  readonly deploymentId: string;
  /** Region of every resource. */
  readonly region: string;
  /** Account that owns them. */
  readonly accountId: string;
  /** The endpoint. */
  readonly endpointName: string;
  /** Its endpoint config. */
  readonly endpointConfigName: string;
  /** Its model. */
  readonly modelName: string;
  /** Its production variant (`AllTraffic` by default). */
  readonly variantName: string;
  /** Instance type of the variant. */
  readonly instanceType: string;
  /** Model ARN. */
  readonly modelArn: string;
  /** Endpoint config ARN. */
  readonly endpointConfigArn: string;
  /** Endpoint ARN. */
  readonly endpointArn: string;
  /** `S3OutputPath`: where results are written. */
  readonly outputPath: string;
  /** `S3FailurePath`: where failure objects are written. */
  readonly failurePath: string;
  /** Where request payloads are uploaded. */
  readonly inputPrefix: string;
  /** When the deployment started, ISO 8601. */
  readonly createdAt: string;
  /** Tags on every resource. */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * The JumpStart model deployed, if it was one. A handle rebuilt by
   * `findDeployment` reads it from the `sagemaker-sdk:jumpstart-model-id` and
   * `-model-version` tags, which do not say where the spec was read: there
   * `source` (and `fallbackReason`) are absent, meaning unknown.
   */
  readonly jumpStartModel?: JumpStartModelRef;
  /** Tears the deployment down with the clients it was deployed with (for `await using`). */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Which JumpStart model a deployment runs. */
export interface JumpStartModelRef {
  /** JumpStart model id, e.g. `huggingface-llm-falcon-40b-instruct-bf16`. */
  readonly modelId: string;
  /** The exact version deployed. */
  readonly version: string;
  /**
   * Where its spec was read: the JumpStart bucket or the offline snapshot.
   * Absent when unknown (a handle rebuilt from tags).
   */
  readonly source?: "bucket" | "snapshot";
  /** Why the offline snapshot was used, if the bucket could not be read. */
  readonly fallbackReason?: string;
}

/** Kinds of resource the toolkit creates and deletes. */
export type ResourceType =
  | "alarm"
  | "scaling-policy"
  | "scalable-target"
  | "endpoint"
  | "endpoint-config"
  | "model"
  | "s3-prefix";

/** One resource, by kind and name (an S3 prefix is named by its `s3://` URI). */
export interface ResourceRef {
  /** What kind of resource. */
  readonly type: ResourceType;
  /** Its name (or `s3://` URI for S3 prefixes). */
  readonly name: string;
}

/** What a removal did: what it deleted and what was already gone. */
export interface RemovalResult {
  /** Resources this call deleted, in the order it deleted them. */
  readonly deleted: readonly ResourceRef[];
  /** Resources that were already gone. */
  readonly notFound: readonly ResourceRef[];
}
