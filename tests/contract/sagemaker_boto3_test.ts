/**
 * boto3 (a client we did not write) against the emulator's SageMaker,
 * SageMaker Runtime and SNS: control plane, async invocation and error
 * shapes. Python scripts report what they saw as JSON; the test moves the
 * manual clock in between. Skipped, with the reason printed, where python3
 * or boto3 is absent.
 */
import assert from "node:assert/strict";
import type { ManualEmulatorClock } from "../../emulator/clock.ts";
import { type ContractEnv, startContractEnv } from "./_harness.ts";
import { readS3, TGI_IMAGE, TIME_TO_IN_SERVICE_MS } from "./_sagemaker.ts";

async function boto3Version(): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("python3", {
      args: ["-c", "import boto3; print(boto3.__version__)"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : undefined;
  } catch {
    return undefined;
  }
}

const version = await boto3Version();
if (!version) {
  // deno-lint-ignore no-console
  console.log("sagemaker_boto3_test: skipped, python3 with boto3 is not installed");
}

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

async function python(env: ContractEnv<ManualEmulatorClock>, script: string, args: string[] = []) {
  const home = await Deno.makeTempDir();
  try {
    const out = await new Deno.Command("python3", {
      args: ["-c", script, ...args],
      clearEnv: true,
      env: {
        ...env.emulator.env(),
        PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
        HOME: home,
        AWS_CONFIG_FILE: `${home}/config`,
        AWS_SHARED_CREDENTIALS_FILE: `${home}/credentials`,
        AWS_EC2_METADATA_DISABLED: "true",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(out.success, `the boto3 script failed:\n${new TextDecoder().decode(out.stderr)}`);
    return JSON.parse(new TextDecoder().decode(out.stdout));
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test({
  name: "boto3 deploys an async endpoint, invokes it, and the output and notification appear",
  ignore: !version,
  async fn() {
    await using env = await startContractEnv();
    const deployed = await python(env, DEPLOY, [TGI_IMAGE]);
    assert.deepEqual(deployed, {
      model_arn: "arn:aws:sagemaker:us-east-1:123456789012:model/py-model",
      status: "Creating",
      creation_time_type: "datetime",
      missing: ["ValidationException", 'Could not find endpoint "nope".'],
    });
    await env.clock.advance(TIME_TO_IN_SERVICE_MS);
    const invoked = await python(env, INVOKE);
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
