/**
 * The three members that name a scalable target (`ServiceNamespace`,
 * `ResourceId`, `ScalableDimension`), checked against the service's enums and
 * then against what this emulator models: SageMaker variants'
 * `sagemaker:variant:DesiredInstanceCount`.
 *
 * @module
 */
import { parseVariantResourceId, VARIANT_DIMENSION } from "./backend.ts";
import {
  autoScalingError,
  type Members,
  optionalEnum,
  optionalString,
  requiredEnum,
  requiredString,
} from "./parameters.ts";

/** `ServiceNamespace` values. */
export const SERVICE_NAMESPACES = [
  "ecs",
  "elasticmapreduce",
  "ec2",
  "appstream",
  "dynamodb",
  "rds",
  "sagemaker",
  "custom-resource",
  "comprehend",
  "lambda",
  "cassandra",
  "kafka",
  "elasticache",
  "neptune",
  "workspaces",
] as const;

/** `ScalableDimension` values. */
export const SCALABLE_DIMENSIONS = [
  "ecs:service:DesiredCount",
  "ec2:spot-fleet-request:TargetCapacity",
  "elasticmapreduce:instancegroup:InstanceCount",
  "appstream:fleet:DesiredCapacity",
  "dynamodb:table:ReadCapacityUnits",
  "dynamodb:table:WriteCapacityUnits",
  "dynamodb:index:ReadCapacityUnits",
  "dynamodb:index:WriteCapacityUnits",
  "rds:cluster:ReadReplicaCount",
  "sagemaker:variant:DesiredInstanceCount",
  "custom-resource:ResourceType:Property",
  "comprehend:document-classifier-endpoint:DesiredInferenceUnits",
  "comprehend:entity-recognizer-endpoint:DesiredInferenceUnits",
  "lambda:function:ProvisionedConcurrency",
  "cassandra:table:ReadCapacityUnits",
  "cassandra:table:WriteCapacityUnits",
  "kafka:broker-storage:VolumeSize",
  "elasticache:replication-group:NodeGroups",
  "elasticache:replication-group:Replicas",
  "neptune:cluster:ReadReplicaCount",
  "sagemaker:variant:DesiredProvisionedConcurrency",
  "sagemaker:inference-component:DesiredCopyCount",
  "workspaces:workspacespool:DesiredUserSessions",
] as const;

const RESOURCE_ID_RULE = { min: 1, max: 1600 };

/** A scalable target's identity. */
export interface ScalableTargetId {
  readonly resourceId: string;
  readonly dimension: string;
  readonly endpointName: string;
  readonly variantName: string;
}

function modelled(namespace: string, dimension: string, resourceId: string): ScalableTargetId {
  if (namespace !== "sagemaker" || dimension !== VARIANT_DIMENSION) {
    throw autoScalingError(
      "ValidationException",
      `This emulator models only ServiceNamespace sagemaker with ScalableDimension ` +
        `${VARIANT_DIMENSION}; got ${namespace} / ${dimension}`,
    );
  }
  const variant = parseVariantResourceId(resourceId);
  if (!variant) {
    throw autoScalingError(
      "ValidationException",
      `Unsupported resource ID ${resourceId} for scalable dimension ${dimension}: ` +
        "expected endpoint/<EndpointName>/variant/<VariantName>",
    );
  }
  return { resourceId, dimension, ...variant };
}

/** Reads the required target identity of Register/Deregister/PutScalingPolicy/Delete. */
export function readScalableTargetId(input: Members): ScalableTargetId {
  const namespace = requiredEnum(input, "ServiceNamespace", SERVICE_NAMESPACES);
  const resourceId = requiredString(input, "ResourceId", RESOURCE_ID_RULE);
  const dimension = requiredEnum(input, "ScalableDimension", SCALABLE_DIMENSIONS);
  return modelled(namespace, dimension, resourceId);
}

/** Reads the namespace and the optional filters of the Describe operations. */
export function readDescribeFilter(
  input: Members,
): { namespace: string; resourceId?: string; dimension?: string } {
  const namespace = requiredEnum(input, "ServiceNamespace", SERVICE_NAMESPACES);
  const resourceId = optionalString(input, "ResourceId", RESOURCE_ID_RULE);
  const dimension = optionalEnum(input, "ScalableDimension", SCALABLE_DIMENSIONS);
  return { namespace, resourceId, dimension };
}

/** `ObjectNotFoundException` for an unregistered target, in AWS's words. */
export function targetNotFound(id: ScalableTargetId): Error {
  return autoScalingError(
    "ObjectNotFoundException",
    `No scalable target registered for service namespace: sagemaker, resource ID: ` +
      `${id.resourceId}, scalable dimension: ${id.dimension}`,
  );
}
