/**
 * boto3 (a client we did not write) against the emulator's SageMaker,
 * SageMaker Runtime and SNS: control plane, async invocation and error
 * shapes. Python scripts report what they saw as JSON; the test moves the
 * manual clock in between. Skipped, with the reason printed, where python3
 * or boto3 is absent.
 */
import assert from "node:assert/strict";
import { externalClientAvailable, runBoto3 } from "./_external_clients.ts";
import { startContractEnv } from "./_harness.ts";
import { readS3, TGI_IMAGE, TIME_TO_IN_SERVICE_MS } from "./_sagemaker.ts";

const hasBoto3 = await externalClientAvailable("boto3", "sagemaker_boto3_test");

const DEPLOY = `
import json, sys
import boto3
from botocore.exceptions import ClientError
sm = boto3.client("sagemaker")
sns = boto3.client("sns")
s3 = boto3.client("s3")
out = {}
s3.create_bucket(Bucket="py-results")
topic = sns.create_topic(Name="py-done")["TopicArn"]
sns.subscribe(TopicArn=topic, Protocol="emulator-queue", Endpoint="pyq")
out["model_arn"] = sm.create_model(ModelName="py-model",
    ExecutionRoleArn="arn:aws:iam::123456789012:role/SageMakerRole",
    PrimaryContainer={"Image": sys.argv[1]})["ModelArn"]
sm.create_endpoint_config(EndpointConfigName="py-config",
    ProductionVariants=[{"VariantName": "AllTraffic", "ModelName": "py-model",
                         "InstanceType": "ml.g5.12xlarge", "InitialInstanceCount": 1}],
    AsyncInferenceConfig={"OutputConfig": {"S3OutputPath": "s3://py-results/out",
        "S3FailurePath": "s3://py-results/fail",
        "NotificationConfig": {"SuccessTopic": topic}}})
sm.create_endpoint(EndpointName="py-endpoint", EndpointConfigName="py-config")
d = sm.describe_endpoint(EndpointName="py-endpoint")
out["status"] = d["EndpointStatus"]
out["creation_time_type"] = type(d["CreationTime"]).__name__
try:
    sm.describe_endpoint(EndpointName="nope")
except ClientError as e:
    out["missing"] = [e.response["Error"]["Code"], e.response["Error"]["Message"]]
json.dump(out, sys.stdout)
`;

const INVOKE = `
import json, sys
import boto3
from botocore.exceptions import ClientError
s3 = boto3.client("s3")
rt = boto3.client("sagemaker-runtime")
out = {}
out["status"] = boto3.client("sagemaker").describe_endpoint(EndpointName="py-endpoint")["EndpointStatus"]
s3.put_object(Bucket="py-results", Key="in/q.json",
    Body=json.dumps({"inputs": "Hello", "parameters": {"max_new_tokens": 5}}).encode())
r = rt.invoke_endpoint_async(EndpointName="py-endpoint", InputLocation="s3://py-results/in/q.json",
    ContentType="application/json", InferenceId="py-1")
out["http"] = r["ResponseMetadata"]["HTTPStatusCode"]
out["inference_id"] = r["InferenceId"]
out["output"] = r["OutputLocation"]
out["failure"] = r.get("FailureLocation")
try:
    rt.invoke_endpoint_async(EndpointName="nope", InputLocation="s3://py-results/in/q.json")
except ClientError as e:
    out["missing"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"],
                      e.response["Error"]["Message"]]
try:
    rt.invoke_endpoint(EndpointName="py-endpoint", Body=b"{}", ContentType="application/json")
except ClientError as e:
    out["realtime"] = e.response["Error"]["Code"]
json.dump(out, sys.stdout)
`;

Deno.test({
  name: "boto3 deploys an async endpoint, invokes it, and the output and notification appear",
  ignore: !hasBoto3,
  async fn() {
    await using env = await startContractEnv();
    const deployed = await runBoto3(env, { script: DEPLOY, args: [TGI_IMAGE] });
    assert.deepEqual(deployed, {
      model_arn: "arn:aws:sagemaker:us-east-1:123456789012:model/py-model",
      status: "Creating",
      creation_time_type: "datetime",
      missing: ["ValidationException", 'Could not find endpoint "nope".'],
    });
    await env.clock.advance(TIME_TO_IN_SERVICE_MS);
    const invoked = await runBoto3(env, { script: INVOKE });
    assert.deepEqual(invoked, {
      status: "InService",
      http: 202,
      inference_id: "py-1",
      output: "s3://py-results/out/py-1.out",
      failure: "s3://py-results/fail/py-1-error.out",
      missing: ["ValidationError", 400, "Endpoint nope of account 123456789012 not found."],
      realtime: "ValidationError",
    });
    await env.clock.advance(60_000);
    const output = await readS3(env.clients.s3, "s3://py-results/out/py-1.out");
    assert.equal(JSON.parse(output!.text).length, 1);
    const response = await fetch(`${env.emulator.endpoint}/_emulator/sns/queues/pyq`);
    const { messages } = await response.json();
    assert.equal(messages.length, 1);
    assert.equal(JSON.parse(messages[0].notification.Message).inferenceId, "py-1");
  },
});
