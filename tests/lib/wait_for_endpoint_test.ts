import assert from "node:assert/strict";
import { DescribeEndpointCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { mockClient } from "aws-sdk-client-mock";
import { EndpointFailedError, WaitTimeoutError } from "../../lib/errors.ts";
import type { ProgressEvent } from "../../lib/progress.ts";
import { ManualClock } from "../../lib/testing/manual_clock.ts";
import {
  endpointDeletedAcceptor,
  endpointInServiceAcceptor,
  isSageMakerNotFoundError,
  waitForEndpointDeleted,
  waitForEndpointInService,
} from "../../lib/wait_for_endpoint.ts";
import { awsError } from "./fake_aws.ts";

const notFound = () => awsError("ValidationException", 'Could not find endpoint "falcon".');

function fakeSageMaker() {
  const sagemaker = new SageMakerClient({ region: "us-east-1" });
  return { sagemaker, mock: mockClient(sagemaker) };
}

Deno.test("endpointInServiceAcceptor() succeeds on InService, fails on terminal statuses, else retries", () => {
  assert.equal(endpointInServiceAcceptor({ status: "InService" }), "success");
  for (const status of ["Failed", "UpdateRollbackFailed", "Deleting", "Missing"]) {
    assert.equal(endpointInServiceAcceptor({ status }), "failure", status);
  }
  for (const status of ["Creating", "Updating", "SystemUpdating", "RollingBack", "OutOfService"]) {
    assert.equal(endpointInServiceAcceptor({ status }), "retry", status);
  }
});

Deno.test("endpointDeletedAcceptor() succeeds when missing, fails on Failed, else retries", () => {
  assert.equal(endpointDeletedAcceptor({ status: "Missing" }), "success");
  assert.equal(endpointDeletedAcceptor({ status: "Failed" }), "failure");
  assert.equal(endpointDeletedAcceptor({ status: "Deleting" }), "retry");
  assert.equal(endpointDeletedAcceptor({ status: "InService" }), "retry");
});

Deno.test("isSageMakerNotFoundError() recognizes SageMaker's 'Could not find' ValidationException", () => {
  assert.equal(isSageMakerNotFoundError(notFound()), true);
  assert.equal(isSageMakerNotFoundError(awsError("ResourceNotFound", "x")), true);
  assert.equal(isSageMakerNotFoundError(awsError("ValidationException", "Bad name")), false);
  assert.equal(isSageMakerNotFoundError("Could not find"), false);
});

Deno.test("waitForEndpointInService() polls with growing delays and reports status and elapsed time", async () => {
  const { sagemaker, mock } = fakeSageMaker();
  mock.on(DescribeEndpointCommand)
    .resolvesOnce({ EndpointStatus: "Creating" })
    .resolvesOnce({ EndpointStatus: "Creating" })
    .resolvesOnce({ EndpointStatus: "Creating" })
    .resolvesOnce({ EndpointStatus: "Creating" })
    .resolves({ EndpointStatus: "InService", EndpointArn: "arn:ep" });
  const events: ProgressEvent[] = [];
  const result = await waitForEndpointInService({
    clients: { sagemaker },
    endpointName: "falcon",
    clock: new ManualClock({ start: 0, autoAdvance: true }),
    minDelayMs: 5_000,
    maxDelayMs: 20_000,
    onProgress: (e) => events.push(e),
  });
  assert.equal(result.status, "InService");
  assert.equal(result.polls, 5);
  assert.equal(result.endpoint?.EndpointArn, "arn:ep");
  // Delays 5 s, 10 s, 20 s, 20 s (capped).
  assert.deepEqual(events.map((e) => e.elapsedMs), [0, 5_000, 15_000, 35_000, 55_000]);
  assert.deepEqual(
    events.map((e) => e.type === "endpoint-status" && e.status),
    ["Creating", "Creating", "Creating", "Creating", "InService"],
  );
  assert.match(events[4]!.message, /^Endpoint falcon is InService \(.*55s\)$/);
  assert.equal(
    mock.commandCalls(DescribeEndpointCommand)[0]!.args[0].input.EndpointName,
    "falcon",
  );
});

Deno.test("waitForEndpointInService() rejects with EndpointFailedError carrying FailureReason", async () => {
  const { sagemaker, mock } = fakeSageMaker();
  mock.on(DescribeEndpointCommand)
    .resolvesOnce({ EndpointStatus: "Creating" })
    .resolves({ EndpointStatus: "Failed", FailureReason: "CUDA out of memory" });
  await assert.rejects(
    waitForEndpointInService({
      clients: { sagemaker },
      endpointName: "falcon",
      clock: new ManualClock({ autoAdvance: true }),
    }),
    (error: unknown) => {
      assert.ok(error instanceof EndpointFailedError);
      assert.equal(error.status, "Failed");
      assert.equal(error.failureReason, "CUDA out of memory");
      assert.equal(error.endpointName, "falcon");
      return true;
    },
  );
});

Deno.test("waitForEndpointInService() rejects with status Missing when the endpoint vanished", async () => {
  const { sagemaker, mock } = fakeSageMaker();
  mock.on(DescribeEndpointCommand).rejects(notFound());
  await assert.rejects(
    waitForEndpointInService({
      clients: { sagemaker },
      endpointName: "falcon",
      clock: new ManualClock({ autoAdvance: true }),
    }),
    { name: "EndpointFailedError", status: "Missing" },
  );
});

Deno.test("waitForEndpointInService() times out at the deadline with the last status it saw", async () => {
  const { sagemaker, mock } = fakeSageMaker();
  mock.on(DescribeEndpointCommand).resolves({ EndpointStatus: "Creating" });
  const clock = new ManualClock({ start: 0, autoAdvance: true });
  await assert.rejects(
    waitForEndpointInService({
      clients: { sagemaker },
      endpointName: "falcon",
      clock,
      maxWaitMs: 60_000,
      minDelayMs: 5_000,
      maxDelayMs: 30_000,
    }),
    (error: unknown) => {
      assert.ok(error instanceof WaitTimeoutError);
      assert.equal(error.waitedMs, 60_000);
      assert.equal(error.lastObserved.summary, "status Creating");
      // Polls at 0, 5, 15, 35 and a last one cut short to the deadline at 60 s.
      assert.equal(error.lastObserved.rounds, 5);
      assert.match(error.message, /endpoint falcon to be InService/);
      return true;
    },
  );
  assert.equal(clock.now(), 60_000);
  assert.equal(mock.commandCalls(DescribeEndpointCommand).length, 5);
});

Deno.test("waitForEndpointInService() rejects with the signal's reason when aborted mid-wait", async () => {
  const { sagemaker, mock } = fakeSageMaker();
  mock.on(DescribeEndpointCommand).resolves({ EndpointStatus: "Creating" });
  const clock = new ManualClock({ start: 0 });
  const controller = new AbortController();
  const reason = new Error("stop waiting");
  const waiting = waitForEndpointInService({
    clients: { sagemaker },
    endpointName: "falcon",
    clock,
    signal: controller.signal,
  });
  await clock.advance(5_000);
  assert.equal(clock.pendingSleeps, 1);
  controller.abort(reason);
  await assert.rejects(waiting, (error: unknown) => error === reason);
  assert.equal(mock.commandCalls(DescribeEndpointCommand).length, 2);
});

Deno.test("waitForEndpointInService() passes a throttling error through unchanged", async () => {
  const { sagemaker, mock } = fakeSageMaker();
  const throttled = awsError("ThrottlingException", "Rate exceeded");
  mock.on(DescribeEndpointCommand).resolvesOnce({ EndpointStatus: "Creating" }).rejects(throttled);
  await assert.rejects(
    waitForEndpointInService({
      clients: { sagemaker },
      endpointName: "falcon",
      clock: new ManualClock({ autoAdvance: true }),
    }),
    (error: unknown) => error === throttled,
  );
});

Deno.test("waitForEndpointDeleted() resolves once DescribeEndpoint says the endpoint is gone", async () => {
  const { sagemaker, mock } = fakeSageMaker();
  mock.on(DescribeEndpointCommand)
    .resolvesOnce({ EndpointStatus: "Deleting" })
    .rejects(notFound());
  const result = await waitForEndpointDeleted({
    clients: { sagemaker },
    endpointName: "falcon",
    clock: new ManualClock({ autoAdvance: true }),
  });
  assert.equal(result.status, "Missing");
  assert.equal(result.polls, 2);
  assert.equal(result.endpoint, undefined);
});

Deno.test("waitForEndpointInService() validates its arguments before any call", async () => {
  const { sagemaker, mock } = fakeSageMaker();
  await assert.rejects(
    waitForEndpointInService({ clients: { sagemaker }, endpointName: "bad name" }),
    { name: "TypeError", message: /"bad name"/ },
  );
  await assert.rejects(
    waitForEndpointInService({ clients: { sagemaker }, endpointName: "ok", maxWaitMs: -1 }),
    { name: "RangeError", message: /maxWaitMs -1/ },
  );
  await assert.rejects(
    waitForEndpointInService({
      clients: { sagemaker },
      endpointName: "ok",
      minDelayMs: 10,
      maxDelayMs: 5,
    }),
    { name: "RangeError", message: /minDelayMs 10/ },
  );
  // A zero first delay would poll DescribeEndpoint in a tight loop.
  await assert.rejects(
    waitForEndpointInService({ clients: { sagemaker }, endpointName: "ok", minDelayMs: 0 }),
    { name: "RangeError", message: /minDelayMs 0 must be > 0/ },
  );
  assert.equal(mock.calls().length, 0);
});
