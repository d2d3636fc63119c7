/**
 * SageMaker's control-plane state: models, endpoint configurations,
 * endpoints with their variants and instances, and tags. Plain data, so it
 * can be saved as one snapshot; behaviour lives in `endpoint_lifecycle.ts`
 * and the operation handlers. Names are unique case-insensitively (the ARN
 * holds the lower-cased name), and the original spelling is kept.
 *
 * @module
 */
import type { ContainerSpec } from "../containers/resolve.ts";
import { endpointConfigNotFound, endpointNotFound, modelNotFound } from "./validation.ts";

/** A resource tag. */
export interface Tag {
  Key: string;
  Value: string;
}

/** A model (CreateModel). */
export interface ModelRecord {
  readonly name: string;
  readonly arn: string;
  /** Epoch ms. */
  readonly creationTime: number;
  /** Members echoed by DescribeModel (PrimaryContainer, ExecutionRoleArn, ...). */
  readonly description: Record<string, unknown>;
  /** The container that decides what runs (PrimaryContainer or Containers[0]). */
  readonly container: ContainerSpec;
}

/** An endpoint config's `AsyncInferenceConfig`, normalised. */
export interface AsyncConfigRecord {
  /** As the caller gave it (echoed by DescribeEndpointConfig/DescribeEndpoint). */
  readonly raw: Record<string, unknown>;
  readonly maxConcurrentInvocationsPerInstance: number | undefined;
  readonly s3OutputPath: string;
  readonly s3FailurePath: string | undefined;
  readonly successTopic: string | undefined;
  readonly errorTopic: string | undefined;
  readonly includeInferenceResponseIn: readonly string[];
}

/** One `ProductionVariants` entry of an endpoint config. */
export interface VariantSpec {
  readonly VariantName: string;
  readonly ModelName: string;
  readonly InstanceType: string;
  readonly InitialInstanceCount: number;
  readonly InitialVariantWeight: number;
}

/** An endpoint configuration (CreateEndpointConfig). */
export interface EndpointConfigRecord {
  readonly name: string;
  readonly arn: string;
  readonly creationTime: number;
  /** Members echoed by DescribeEndpointConfig. */
  readonly description: Record<string, unknown>;
  readonly variants: readonly VariantSpec[];
  readonly asyncConfig: AsyncConfigRecord | undefined;
}

/** Endpoint statuses the emulator uses. */
export type EndpointStatus = "Creating" | "InService" | "Updating" | "Deleting" | "Failed";

/** Where an instance is in its life. */
export type InstanceStatus = "Launching" | "InService" | "Draining";

/** One ML instance of a variant. */
export interface InstanceRecord {
  readonly id: string;
  status: InstanceStatus;
  /** Epoch ms the launch started. */
  readonly launchedAt: number;
  /** Epoch ms the launch completes (the cold start ends). */
  readonly readyAt: number;
}

/** A variant of a live endpoint. */
export interface VariantRecord {
  readonly variantName: string;
  readonly modelName: string;
  readonly instanceType: string;
  /** The model's container, captured at CreateEndpoint (deleting the model later changes nothing). */
  readonly container: ContainerSpec;
  currentWeight: number;
  desiredWeight: number;
  desiredInstanceCount: number;
  instances: InstanceRecord[];
}

/** A variant's current instance count, as SageMaker reports it: its instances in service. */
export function currentInstanceCount(variant: VariantRecord): number {
  let count = 0;
  for (const instance of variant.instances) if (instance.status === "InService") count++;
  return count;
}

/** An endpoint (CreateEndpoint). */
export interface EndpointRecord {
  readonly name: string;
  readonly arn: string;
  readonly configName: string;
  status: EndpointStatus;
  failureReason: string | undefined;
  readonly creationTime: number;
  lastModifiedTime: number;
  readonly variants: VariantRecord[];
  readonly asyncConfig: AsyncConfigRecord | undefined;
  /**
   * Epoch ms of the pending control-plane step: end of the `Creating`
   * overhead (instances launch then), or removal when `Deleting`.
   */
  pendingUntil: number | undefined;
}

/** The saved form of {@linkcode SageMakerState}. */
export interface SageMakerStateSnapshot {
  models: ModelRecord[];
  endpointConfigs: EndpointConfigRecord[];
  endpoints: EndpointRecord[];
  tags: Array<[string, Tag[]]>;
}

/** All SageMaker resources of one emulator. */
export class SageMakerState {
  readonly models = new Map<string, ModelRecord>();
  readonly endpointConfigs = new Map<string, EndpointConfigRecord>();
  readonly endpoints = new Map<string, EndpointRecord>();
  /** Tags by resource ARN. */
  readonly tags = new Map<string, Tag[]>();
  readonly #region: string;
  readonly #accountId: string;

  constructor(options: { region: string; accountId: string }) {
    this.#region = options.region;
    this.#accountId = options.accountId;
  }

  /** `arn:aws:sagemaker:<region>:<account>:<kind>/<lower-cased name>`. */
  arn(kind: "model" | "endpoint-config" | "endpoint", name: string): string {
    return `arn:aws:sagemaker:${this.#region}:${this.#accountId}:${kind}/${name.toLowerCase()}`;
  }

  /** The model (names match in any case), or SageMaker's `Could not find model` error. */
  requireModel(name: string): ModelRecord {
    const model = this.models.get(name.toLowerCase());
    if (!model) throw modelNotFound(this.arn("model", name));
    return model;
  }

  /** The endpoint config, or SageMaker's `Could not find endpoint configuration` error. */
  requireEndpointConfig(name: string): EndpointConfigRecord {
    const config = this.endpointConfigs.get(name.toLowerCase());
    if (!config) throw endpointConfigNotFound(this.arn("endpoint-config", name));
    return config;
  }

  /** The endpoint (names match in any case), if it exists. */
  endpoint(name: string): EndpointRecord | undefined {
    return this.endpoints.get(name.toLowerCase());
  }

  /** The endpoint, or SageMaker's `Could not find endpoint` error (the SDK waiters rely on it). */
  requireEndpoint(name: string): EndpointRecord {
    const endpoint = this.endpoint(name);
    if (!endpoint) throw endpointNotFound(name);
    return endpoint;
  }

  /** Whether an ARN names a resource that exists. */
  resourceExists(arn: string): boolean {
    const match = /^arn:aws[a-z-]*:sagemaker:[^:]*:\d{12}:(model|endpoint-config|endpoint)\/(.+)$/
      .exec(arn);
    if (!match || arn !== this.arn(match[1] as "model", match[2]!)) return false;
    const key = match[2]!;
    switch (match[1]) {
      case "model":
        return this.models.has(key);
      case "endpoint-config":
        return this.endpointConfigs.has(key);
      default:
        return this.endpoints.has(key);
    }
  }

  /** Everything, for persistence. */
  snapshot(): SageMakerStateSnapshot {
    return {
      models: [...this.models.values()],
      endpointConfigs: [...this.endpointConfigs.values()],
      endpoints: [...this.endpoints.values()],
      tags: [...this.tags.entries()],
    };
  }

  /** Replaces the state with a saved snapshot. */
  restore(snapshot: SageMakerStateSnapshot): void {
    for (const m of snapshot.models) this.models.set(m.name.toLowerCase(), m);
    for (const c of snapshot.endpointConfigs) this.endpointConfigs.set(c.name.toLowerCase(), c);
    for (const e of snapshot.endpoints) this.endpoints.set(e.name.toLowerCase(), e);
    for (const [arn, tags] of snapshot.tags) this.tags.set(arn, tags);
  }
}
