/**
 * The services an emulator runs by default. Each module owns one AWS service;
 * add a factory here when a new service lands.
 *
 * @module
 */
import { createS3Service } from "./s3/service.ts";
import type { ServiceFactory } from "./service.ts";
import { createStsService } from "./sts/service.ts";
import { createSnsService } from "./sns/service.ts";
import { createSageMakerService } from "./sagemaker/service.ts";
import { createSageMakerRuntimeService } from "./runtime/service.ts";
import { createCloudWatchService } from "./cloudwatch/service.ts";
import { createAutoScalingService } from "./autoscaling/service.ts";

/** Every emulated service, in start order. */
export const defaultServices: readonly ServiceFactory[] = [
  createS3Service,
  createStsService,
  createSnsService,
  createSageMakerService,
  createSageMakerRuntimeService,
  createCloudWatchService,
  createAutoScalingService,
];
