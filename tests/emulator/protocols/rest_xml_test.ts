import assert from "node:assert/strict";
import { AwsError } from "../../../emulator/errors.ts";
import { s3ErrorResponse } from "../../../emulator/protocols/rest_xml.ts";
import { parseXml } from "../../../emulator/protocols/xml.ts";

const noSuchKey = () =>
  new AwsError("NoSuchKey", "The specified key does not exist.", {
    status: 404,
    fields: { Key: "outputs/a&b.out" },
    headers: { "x-amz-delete-marker": "false" },
  });

Deno.test("s3ErrorResponse() renders <Error> with Code, Message, fields, RequestId and HostId", async () => {
  const response = s3ErrorResponse(noSuchKey(), "req-5", "GET");
  assert.equal(response.status, 404);
  assert.equal(response.headers.get("content-type"), "application/xml");
  assert.equal(response.headers.get("x-amz-request-id"), "req-5");
  assert.equal(response.headers.get("x-amz-id-2"), "req-5");
  assert.equal(response.headers.get("x-amz-delete-marker"), "false");
  assert.deepEqual(parseXml(await response.text()), {
    Error: {
      Code: "NoSuchKey",
      Message: "The specified key does not exist.",
      Key: "outputs/a&b.out",
      RequestId: "req-5",
      HostId: "req-5",
    },
  });
});

Deno.test("s3ErrorResponse() answers HEAD with the status and headers only, no body", async () => {
  const response = s3ErrorResponse(noSuchKey(), "req-6", "HEAD");
  assert.equal(response.status, 404);
  assert.equal(response.body, null);
  assert.equal(await response.text(), "");
  assert.equal(response.headers.get("content-type"), null);
  assert.equal(response.headers.get("x-amz-request-id"), "req-6");
  assert.equal(response.headers.get("x-amz-delete-marker"), "false");
});
