import assert from "node:assert/strict";
import {
  inferenceNotification,
  MAX_INCLUDED_RESPONSE_BYTES,
} from "../../../emulator/async_queue/notification.ts";

const base = {
  region: "us-east-1",
  endpointName: "ep",
  inferenceId: "id-1",
  receivedAt: Date.UTC(2022, 0, 25, 22, 46, 0, 455),
  finishedAt: Date.UTC(2022, 0, 25, 22, 46, 0, 608),
  request: { contentType: "text/csv", inputLocation: "s3://b/in" },
};

Deno.test("a success notification has the documented fields in the documented order", () => {
  const doc = inferenceNotification({
    ...base,
    output: { location: "s3://b/out.out", contentType: "text/csv; charset=utf-8" },
  });
  assert.equal(
    JSON.stringify(doc),
    '{"awsRegion":"us-east-1","eventTime":"2022-01-25T22:46:00.608Z","receivedTime":"2022-01-25T22:46:00.455Z",' +
      '"invocationStatus":"Completed","requestParameters":{"contentType":"text/csv","endpointName":"ep","inputLocation":"s3://b/in"},' +
      '"responseParameters":{"contentType":"text/csv; charset=utf-8","outputLocation":"s3://b/out.out"},' +
      '"inferenceId":"id-1","eventVersion":"1.0","eventSource":"aws:sagemaker","eventName":"InferenceResult"}',
  );
});

Deno.test("a failure notification carries failureReason and no responseParameters", () => {
  const doc = inferenceNotification({ ...base, failureReason: "ClientError: boom" });
  assert.equal(doc.invocationStatus, "Failed");
  assert.equal(doc.failureReason, "ClientError: boom");
  assert.equal("responseParameters" in doc, false);
});

Deno.test("an included response is UTF-8 text, base64 for binary, and left out above 128 KB", () => {
  const text = inferenceNotification({
    ...base,
    output: { location: "s3://b/o", contentType: "application/json" },
    includeBody: new TextEncoder().encode('[{"generated_text":"hi"}]'),
  });
  assert.deepEqual(text.responseBody, { content: '[{"generated_text":"hi"}]', encoding: "UTF-8" });
  const binary = inferenceNotification({
    ...base,
    output: { location: "s3://b/o", contentType: "application/octet-stream" },
    includeBody: new Uint8Array([0xff, 0xfe, 0x00]),
  });
  assert.deepEqual(binary.responseBody, { content: "//4A", encoding: "BASE64" });
  const large = inferenceNotification({
    ...base,
    output: { location: "s3://b/o", contentType: "text/plain" },
    includeBody: new Uint8Array(MAX_INCLUDED_RESPONSE_BYTES + 1).fill(65),
  });
  assert.equal("responseBody" in large, false);
});
