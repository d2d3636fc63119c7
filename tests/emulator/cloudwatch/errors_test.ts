import assert from "node:assert/strict";
import { asQueryError, cloudWatchError } from "../../../emulator/cloudwatch/errors.ts";
import { AwsError } from "../../../emulator/errors.ts";

Deno.test("cloudWatchError() carries the namespaced shape, the query code and the status", () => {
  const error = cloudWatchError("ResourceNotFound", "gone");
  assert.equal(error.code, "com.amazonaws.cloudwatch#ResourceNotFound");
  assert.equal(error.queryCode, "ResourceNotFound");
  assert.equal(error.status, 404);
  const limit = cloudWatchError("LimitExceededFault", "full");
  assert.equal(limit.queryCode, "LimitExceeded");
  assert.equal(cloudWatchError("InternalServiceFault", "x").fault, "Receiver");
});

Deno.test("asQueryError() renders the query code and leaves other errors alone", () => {
  const query = asQueryError(cloudWatchError("InvalidParameterValueException", "bad"));
  assert.equal(query.code, "InvalidParameterValue");
  assert.equal(query.message, "bad");
  const auth = new AwsError("SignatureDoesNotMatch", "no", { status: 403 });
  assert.equal(asQueryError(auth), auth);
});
