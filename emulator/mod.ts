/**
 * A local stand-in for the slice of AWS this toolkit uses (S3, SageMaker,
 * SageMaker Runtime, Application Auto Scaling, CloudWatch, SNS, STS), spoken
 * at the HTTP wire level so the real AWS SDKs, boto3 and the AWS CLI work
 * against it with only an endpoint override.
 *
 * @module
 */
export * from "./clock.ts";
export * from "./context.ts";
export * from "./core.ts";
export * from "./errors.ts";
export * from "./protocols/aws_query.ts";
export * from "./protocols/xml.ts";
