/**
 * boto3 against the emulator: a Python script drives S3 (client and
 * resource APIs, the transfer manager) and STS, and reports what it saw as
 * JSON. Skipped, with the reason printed, where python3 or boto3 is absent.
 */
import assert from "node:assert/strict";
import { externalClientAvailable, runBoto3 } from "./_external_clients.ts";
import { startContractEnv } from "./_harness.ts";

const hasBoto3 = await externalClientAvailable("boto3", "boto3_test");

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
  ignore: !hasBoto3,
  async fn() {
    await using env = await startContractEnv();
    const seen = await runBoto3(env, { script: SCRIPT });
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
  },
});
