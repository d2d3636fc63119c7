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
export * from "./auth/sigv4.ts";
export * from "./faults.ts";
export * from "./server.ts";
export * from "./start.ts";
export * from "./sts/service.ts";
export * from "./persistence/file.ts";
export * from "./persistence/memory.ts";
export * from "./persistence/snapshot_writer.ts";
export * from "./s3/aws_chunked.ts";
export * from "./s3/checksums.ts";
export * from "./s3/service.ts";
export * from "./s3/sorted_keys.ts";
export * from "./s3/store.ts";
export * from "./containers/container.ts";
export * from "./containers/tgi_builtin.ts";
export * from "./containers/external.ts";
export * from "./containers/openai_adapter.ts";
export * from "./containers/resolve.ts";
export * from "./async_queue/locations.ts";
export * from "./async_queue/notification.ts";
export * from "./sagemaker/service.ts";
export * from "./sagemaker/backend.ts";
export * from "./sagemaker/validation.ts";
export * from "./runtime/service.ts";
export * from "./sns/service.ts";
export * from "./cloudwatch/service.ts";
export * from "./autoscaling/service.ts";
