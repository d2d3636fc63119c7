import assert from "node:assert/strict";
import { AwsError } from "../../../emulator/errors.ts";
import { restJsonErrorResponse } from "../../../emulator/protocols/rest_json.ts";

Deno.test("restJsonErrorResponse() sends the code in x-amzn-errortype and the message in the body", async () => {
  const response = restJsonErrorResponse(
    new AwsError("ValidationError", "Endpoint falcon not found", { fields: { Detail: "x" } }),
    "req-3",
  );
  assert.equal(response.status, 400);
  assert.equal(response.headers.get("content-type"), "application/json");
  assert.equal(response.headers.get("x-amzn-errortype"), "ValidationError");
  assert.equal(response.headers.get("x-amzn-requestid"), "req-3");
  assert.deepEqual(await response.json(), { message: "Endpoint falcon not found", Detail: "x" });
});

Deno.test("restJsonErrorResponse() keeps the error's status and extra headers", async () => {
  const response = restJsonErrorResponse(
    new AwsError("ServiceUnavailable", "busy", { status: 503, headers: { "retry-after": "2" } }),
    "req-4",
  );
  assert.equal(response.status, 503);
  assert.equal(response.headers.get("retry-after"), "2");
  assert.deepEqual(await response.json(), { message: "busy" });
});
