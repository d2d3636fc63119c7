/**
 * The Application Auto Scaling service module (`application-autoscaling`,
 * awsJson 1.1, `X-Amz-Target: AnyScaleFrontendService.<Op>`). It registers
 * `context.autoscaling` (which CloudWatch alarm actions call), loads and
 * saves its state with the emulator's persistence, and, once
 * SageMaker is running, follows endpoint deletion: as the SageMaker guide
 * describes, deleting an endpoint deregisters its scalable targets, which
 * removes their policies and target tracking's alarms; alarms the user
 * created are left in place.
 *
 * @example
 * ```ts
 * import {
 *   ApplicationAutoScalingClient,
 *   DescribeScalableTargetsCommand,
 *   RegisterScalableTargetCommand,
 * } from "@aws-sdk/client-application-auto-scaling";
 * import { ManualEmulatorClock, startEmulator } from "@sagemaker-async/toolkit/emulator";
 *
 * await using running = await startEmulator({ clock: new ManualEmulatorClock() });
 * const aas = new ApplicationAutoScalingClient(running.clientConfig());
 * try {
 *   const { ScalableTargets } = await aas.send(
 *     new DescribeScalableTargetsCommand({ ServiceNamespace: "sagemaker" }),
 *   );
 *   if (ScalableTargets?.length !== 0) throw new Error("expected no targets");
 *   const error = await aas.send(
 *     new RegisterScalableTargetCommand({
 *       ServiceNamespace: "sagemaker",
 *       ResourceId: "endpoint/missing/variant/AllTraffic",
 *       ScalableDimension: "sagemaker:variant:DesiredInstanceCount",
 *       MinCapacity: 0,
 *       MaxCapacity: 1,
 *     }),
 *   ).catch((e) => e);
 *   if (error.name !== "ValidationException") throw error;
 * } finally {
 *   aas.destroy();
 * }
 * ```
 *
 * @module
 */
import type { EmulatorContext } from "../context.ts";
import {
  awsJsonErrorResponse,
  type AwsJsonErrorStyle,
  awsJsonService,
  type JsonOperation,
} from "../protocols/aws_json.ts";
import type { ServiceFactory, ServiceModule } from "../service.ts";
import { ApplicationAutoScaling } from "./backend.ts";
import { deleteScalingPolicy } from "./DeleteScalingPolicy.ts";
import { deregisterScalableTarget } from "./DeregisterScalableTarget.ts";
import { describeScalableTargets } from "./DescribeScalableTargets.ts";
import { describeScalingActivities } from "./DescribeScalingActivities.ts";
import { describeScalingPolicies } from "./DescribeScalingPolicies.ts";
import type { Members } from "./parameters.ts";
import { putScalingPolicy } from "./PutScalingPolicy.ts";
import { registerScalableTarget } from "./RegisterScalableTarget.ts";

/** `X-Amz-Target` prefix. */
export const AUTOSCALING_TARGET_PREFIX = "AnyScaleFrontendService";

/** Application Auto Scaling's errors: awsJson 1.1 with `Message`. */
const JSON_ERRORS: AwsJsonErrorStyle = { version: "1.1", messageKey: "Message" };

type Operation = (aas: ApplicationAutoScaling, input: Members) => unknown;

/** Operations that change state: answered only once the change is durable. */
const MUTATING = new Set([
  "RegisterScalableTarget",
  "DeregisterScalableTarget",
  "PutScalingPolicy",
  "DeleteScalingPolicy",
]);

const OPERATIONS: Record<string, Operation> = {
  RegisterScalableTarget: registerScalableTarget,
  DescribeScalableTargets: describeScalableTargets,
  DeregisterScalableTarget: deregisterScalableTarget,
  PutScalingPolicy: putScalingPolicy,
  DescribeScalingPolicies: describeScalingPolicies,
  DeleteScalingPolicy: deleteScalingPolicy,
  DescribeScalingActivities: describeScalingActivities,
};

/** Creates the Application Auto Scaling module and registers `context.autoscaling`. */
export const createAutoScalingService: ServiceFactory = async (
  context: EmulatorContext,
): Promise<ServiceModule> => {
  const aas = new ApplicationAutoScaling(context);
  await aas.load();
  context.autoscaling = aas;
  let subscribed = false;
  const subscribe = () => {
    if (subscribed || !context.sagemaker) return;
    context.sagemaker.onEndpointDeleted((name) => aas.endpointDeleted(name));
    subscribed = true;
  };
  subscribe();
  if (!subscribed) context.clock.schedule(context.clock.now(), subscribe);

  const operations: Record<string, JsonOperation> = {};
  for (const [name, operation] of Object.entries(OPERATIONS)) {
    operations[name] = async (input) => {
      subscribe();
      const result = operation(aas, input as Members);
      if (MUTATING.has(name)) {
        await aas.commit();
        // Target tracking's alarms live in CloudWatch.
        await context.cloudwatch?.commit();
      }
      return result;
    };
  }
  const handle = awsJsonService({
    ...JSON_ERRORS,
    targetPrefix: AUTOSCALING_TARGET_PREFIX,
    operations,
  });
  const module: ServiceModule = {
    key: "application-autoscaling",
    handle,
    renderError: (error, request) =>
      awsJsonErrorResponse(error, { ...JSON_ERRORS, requestId: request.requestId }),
    async close() {
      aas.stop();
      await aas.flush();
    },
  };
  return module;
};
