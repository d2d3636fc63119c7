import assert from "node:assert/strict";
import {
  joinS3Path,
  parseS3Location,
  resultLocations,
} from "../../../emulator/async_queue/locations.ts";

Deno.test("parseS3Location reads s3://, virtual-hosted and path-style https locations", () => {
  assert.deepEqual(parseS3Location("s3://b/k/x.json"), { bucket: "b", key: "k/x.json" });
  assert.deepEqual(parseS3Location("s3://b"), { bucket: "b", key: "" });
  assert.deepEqual(
    parseS3Location("https://my-bucket.s3.eu-central-1.amazonaws.com/in/file%201.jpg"),
    { bucket: "my-bucket", key: "in/file 1.jpg" },
  );
  assert.deepEqual(parseS3Location("https://b2.s3.amazonaws.com/k"), { bucket: "b2", key: "k" });
  assert.deepEqual(parseS3Location("http://127.0.0.1:4566/b/k/y"), { bucket: "b", key: "k/y" });
  assert.equal(parseS3Location("ftp://b/k"), undefined);
  assert.equal(parseS3Location("not a uri"), undefined);
});

Deno.test("joinS3Path puts exactly one slash between path and name", () => {
  assert.equal(joinS3Path("s3://b/out/", "/x.out"), "s3://b/out/x.out");
  assert.equal(joinS3Path("s3://b", "x.out"), "s3://b/x.out");
});

Deno.test("resultLocations names <id>.out and <id>-error.out, with extension and filename", () => {
  assert.deepEqual(
    resultLocations({ inferenceId: "i", s3OutputPath: "s3://b/o", s3FailurePath: "s3://b/f/" }),
    {
      outputLocation: "s3://b/o/i.out",
      failureLocation: "s3://b/f/i-error.out",
      failureWriteLocation: "s3://b/f/i-error.out",
    },
  );
  assert.deepEqual(
    resultLocations({
      inferenceId: "i",
      s3OutputPath: "s3://b/o",
      s3FailurePath: "s3://b/f",
      outputPathExtension: "day/1",
      filename: "r.json",
    }),
    {
      outputLocation: "s3://b/o/day/1/r.json",
      failureLocation: "s3://b/f/day/1/i-error.out",
      failureWriteLocation: "s3://b/f/day/1/i-error.out",
    },
  );
});

Deno.test("without S3FailurePath no FailureLocation is returned and failures go next to outputs", () => {
  assert.deepEqual(resultLocations({ inferenceId: "i", s3OutputPath: "s3://b/o" }), {
    outputLocation: "s3://b/o/i.out",
    failureLocation: undefined,
    failureWriteLocation: "s3://b/o/i-error.out",
  });
});
