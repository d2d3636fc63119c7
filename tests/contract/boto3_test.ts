/**
 * boto3 against the emulator: a Python script drives S3 (client and
 * resource APIs, the transfer manager) and STS, and reports what it saw as
 * JSON. Skipped, with the reason printed, where python3 or boto3 is absent.
 */
import assert from "node:assert/strict";
import { startContractEnv } from "./_harness.ts";

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
  console.log("boto3_test: skipped, python3 with boto3 is not installed");
}

const SCRIPT = `
import io, json, sys
import boto3
from botocore.exceptions import ClientError

s3 = boto3.client("s3")
out = {}
s3.create_bucket(Bucket="py-bucket")
put = s3.put_object(Bucket="py-bucket", Key="in/a.json", Body=b'{"inputs":"hi"}',
                    ContentType="application/json", Metadata={"source": "boto3"})
out["put_etag"] = put["ETag"]
got = s3.get_object(Bucket="py-bucket", Key="in/a.json")
out["body"] = got["Body"].read().decode()
out["content_type"] = got["ContentType"]
out["metadata"] = got["Metadata"]
ranged = s3.get_object(Bucket="py-bucket", Key="in/a.json", Range="bytes=0-3")
out["range"] = ranged["Body"].read().decode()
out["content_range"] = ranged["ContentRange"]
s3.upload_fileobj(io.BytesIO(b"x" * 5000), "py-bucket", "in/big.bin")
buf = io.BytesIO()
s3.download_fileobj("py-bucket", "in/big.bin", buf)
out["downloaded"] = len(buf.getvalue())
s3.copy_object(Bucket="py-bucket", Key="copy.json", CopySource={"Bucket": "py-bucket", "Key": "in/a.json"})
keys = []
for page in s3.get_paginator("list_objects_v2").paginate(Bucket="py-bucket", PaginationConfig={"PageSize": 1}):
    keys += [c["Key"] for c in page.get("Contents", [])]
out["keys_v2"] = keys
out["keys_v1"] = [o.key for o in boto3.resource("s3").Bucket("py-bucket").objects.all()]
try:
    s3.head_object(Bucket="py-bucket", Key="missing")
except ClientError as e:
    out["head_missing"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
try:
    s3.get_object(Bucket="py-bucket", Key="missing")
except ClientError as e:
    out["get_missing"] = [e.response["Error"]["Code"], e.response["Error"].get("Key")]
deleted = s3.delete_objects(Bucket="py-bucket", Delete={"Objects": [{"Key": k} for k in keys]})
out["deleted"] = sorted(d["Key"] for d in deleted["Deleted"])
s3.delete_bucket(Bucket="py-bucket")
out["account"] = boto3.client("sts").get_caller_identity()["Account"]
bad = boto3.client("sts", aws_secret_access_key="wrong", aws_access_key_id=boto3.Session().get_credentials().access_key)
try:
    bad.get_caller_identity()
except ClientError as e:
    out["bad_secret"] = e.response["Error"]["Code"]
json.dump(out, sys.stdout)
`;

Deno.test({
  name: "boto3 drives S3 (client, resource, transfer manager) and STS against the emulator",
  ignore: !version,
  async fn() {
    await using env = await startContractEnv();
    const home = await Deno.makeTempDir();
    try {
      const out = await new Deno.Command("python3", {
        args: ["-c", SCRIPT],
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
      const stderr = new TextDecoder().decode(out.stderr);
      assert.ok(out.success, `the boto3 script failed:\n${stderr}`);
      const seen = JSON.parse(new TextDecoder().decode(out.stdout));
      assert.deepEqual(seen, {
        put_etag: '"3812d395464102c086528a573021420f"',
        body: '{"inputs":"hi"}',
        content_type: "application/json",
        metadata: { source: "boto3" },
        range: '{"in',
        content_range: "bytes 0-3/15",
        downloaded: 5000,
        keys_v2: ["copy.json", "in/a.json", "in/big.bin"],
        keys_v1: ["copy.json", "in/a.json", "in/big.bin"],
        head_missing: ["404", 404],
        get_missing: ["NoSuchKey", "missing"],
        deleted: ["copy.json", "in/a.json", "in/big.bin"],
        account: env.emulator.accountId,
        bad_secret: "SignatureDoesNotMatch",
      });
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});
