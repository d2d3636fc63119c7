/**
 * SDK errors and mocked clients shared by the lib tests: real AWS SDK v3
 * clients whose `send` aws-sdk-client-mock replaces, so every command and
 * its input is built by the SDK as in production.
 *
 * @module
 */
import {
  ApplicationAutoScalingClient,
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { S3Client } from "@aws-sdk/client-s3";
import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";

/** An error as an SDK client throws it for a service error: named after the error code. */
export function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/** SageMaker's answer for a missing endpoint, config or model: `Could not find <what>.` */
export function couldNotFind(what: string): Error {
  return awsError("ValidationException", `Could not find ${what}.`);
}

/** Clients for every service a deployment touches, and the mocks behind them. */
export interface MockedClients {
  /** Real SDK clients (pass them as `clients`), with the region. */
  readonly clients: {
    readonly sagemaker: SageMakerClient;
    readonly autoscaling: ApplicationAutoScalingClient;
    readonly cloudwatch: CloudWatchClient;
    readonly s3: S3Client;
    readonly region: string;
  };
  /** The SageMaker mock. */
  readonly sm: AwsClientStub<SageMakerClient>;
  /** The Application Auto Scaling mock. */
  readonly as: AwsClientStub<ApplicationAutoScalingClient>;
  /** The CloudWatch mock. */
  readonly cw: AwsClientStub<CloudWatchClient>;
  /** The S3 mock. */
  readonly s3m: AwsClientStub<S3Client>;
}

/** SageMaker, Auto Scaling, CloudWatch and S3 clients behind mocks that answer nothing yet. */
export function mockedClients(region = "us-east-1"): MockedClients {
  const sagemaker = new SageMakerClient({ region });
  const autoscaling = new ApplicationAutoScalingClient({ region });
  const cloudwatch = new CloudWatchClient({ region });
  const s3 = new S3Client({ region });
  return {
    clients: { sagemaker, autoscaling, cloudwatch, s3, region },
    sm: mockClient(sagemaker),
    as: mockClient(autoscaling),
    cw: mockClient(cloudwatch),
    s3m: mockClient(s3),
  };
}

/**
 * Answers a teardown as if the endpoint never scaled: no wake-up alarm, no
 * scaling policies or target, and every SageMaker delete succeeds.
 */
export function acceptTeardown(mocks: Pick<MockedClients, "sm" | "as" | "cw">): void {
  mocks.cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
  mocks.as.on(DeleteScalingPolicyCommand).rejects(awsError("ObjectNotFoundException", "No policy"));
  mocks.as.on(DeregisterScalableTargetCommand).rejects(
    awsError("ObjectNotFoundException", "No target"),
  );
  mocks.sm.on(DeleteEndpointCommand).resolves({});
  mocks.sm.on(DeleteEndpointConfigCommand).resolves({});
  mocks.sm.on(DeleteModelCommand).resolves({});
}
