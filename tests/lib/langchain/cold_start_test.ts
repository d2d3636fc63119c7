import assert from "node:assert/strict";
import { DescribeEndpointCommand } from "@aws-sdk/client-sagemaker";
import { EndpointFailedError, WaitTimeoutError } from "../../../lib/errors.ts";
import {
  capacityPhase,
  ColdStartGuard,
  type ColdStartGuardOptions,
  EndpointAtZeroError,
  type EndpointCapacity,
} from "../../../lib/langchain.ts";
import type { CapacityEvent, ProgressEvent } from "../../../lib/progress.ts";
import { ENDPOINT, FakeEndpoint, type FakeEndpointOptions, settleWithin } from "./fake_endpoint.ts";

function setup(
  endpointOptions: FakeEndpointOptions = {},
  guardOptions: Partial<ColdStartGuardOptions> = {},
) {
  const endpoint = new FakeEndpoint(endpointOptions);
  const guard = new ColdStartGuard({
    clients: endpoint.clients,
    endpointName: ENDPOINT,
    clock: endpoint.clock,
    pollIntervalMs: 10_000,
    ...guardOptions,
  });
  return { endpoint, guard, clock: endpoint.clock };
}

function capacity(current: number, desired: number): EndpointCapacity {
  return {
    endpointName: ENDPOINT,
    status: "InService",
    variants: [{
      variantName: "AllTraffic",
      currentInstanceCount: current,
      desiredInstanceCount: desired,
    }],
    currentInstanceCount: current,
    desiredInstanceCount: desired,
  };
}

Deno.test("capacityPhase() maps instance counts to waiting-for-capacity, instance-starting and running", () => {
  assert.equal(capacityPhase(capacity(0, 0)), "waiting-for-capacity");
  assert.equal(capacityPhase(capacity(0, 1)), "instance-starting");
  assert.equal(capacityPhase(capacity(1, 1)), "running");
  assert.equal(capacityPhase(capacity(1, 0)), "running");
});

Deno.test("admit() reports running with an instance in service and looks up no policy", async () => {
  const { endpoint, guard } = setup();
  const check = await guard.admit();
  assert.equal(check.state, "running");
  assert.equal(check.capacity.currentInstanceCount, 1);
  assert.equal(endpoint.autoscalingMock.calls().length, 0);
});

Deno.test("admit() calls made while a check is in flight share one look-up", async () => {
  const { endpoint, guard } = setup({ current: 0, wakePolicy: true });
  const checks = await Promise.all([guard.admit(), guard.admit(), guard.admit()]);
  assert.deepEqual(checks.map((c) => c.state), Array(3).fill("wakes-from-zero"));
  // One check: its DescribeEndpoint, and the one describeScaleToZero() makes.
  assert.equal(endpoint.describeCalls(), 2);
  assert.equal(endpoint.cloudwatchMock.calls().length, 1);
  await guard.admit();
  assert.equal(endpoint.describeCalls(), 4, "a later call checks again");
});

Deno.test("admit() raises the desired count once for concurrent callers when allowed", async () => {
  const { endpoint, guard } = setup({ current: 0 }, { wakeEndpoint: "set-desired-count" });
  const checks = await Promise.all([guard.admit(), guard.admit()]);
  assert.deepEqual(checks.map((c) => c.state), ["desired-count-raised", "desired-count-raised"]);
  assert.equal(checks[0]!.capacity.desiredInstanceCount, 1);
  assert.equal(endpoint.desired, 1);
  const next = await guard.admit();
  assert.equal(next.state, "instance-starting", "once raised, the next call sees it starting");
});

Deno.test("admit() rejects with EndpointAtZeroError when nothing would start an instance", async () => {
  const { guard } = setup({ current: 0 });
  await assert.rejects(guard.admit(), EndpointAtZeroError);
});

Deno.test("admit() honours custom scale-to-zero names", async () => {
  const { endpoint, guard } = setup({ current: 0, wakePolicy: true }, {
    scaleToZeroNames: { alarmName: "my-own-alarm" },
  });
  await assert.rejects(
    guard.admit(),
    EndpointAtZeroError,
    "the default-named alarm is not looked for",
  );
  const alarmNames = endpoint.cloudwatchMock.calls().map((c) =>
    (c.args[0].input as { AlarmNames?: string[] }).AlarmNames
  );
  assert.deepEqual(alarmNames, [["my-own-alarm"]]);
});

Deno.test("admit() rejects with the signal's reason and a later call starts a fresh check", async () => {
  const { endpoint, guard } = setup();
  const controller = new AbortController();
  const reason = new Error("stop");
  const first = guard.admit({ signal: controller.signal });
  controller.abort(reason);
  await assert.rejects(first, (e) => e === reason);
  assert.equal((await guard.admit()).state, "running");
  assert.ok(endpoint.describeCalls() >= 1);
});

Deno.test("waitForCapacity() reports each phase and resolves once an instance is in service", async () => {
  const { endpoint, guard, clock } = setup({ current: 0 });
  const events: ProgressEvent[] = [];
  const wait = settleWithin(
    clock,
    guard.waitForCapacity({
      timeoutMs: 30 * 60_000,
      initial: capacity(0, 0),
      onProgress: (e) => events.push(e),
    }),
  );
  await clock.advance(60_000);
  endpoint.setCapacity({ current: 0, desired: 1 });
  await clock.advance(60_000);
  endpoint.setCapacity({ current: 1 });
  const outcome = await wait;
  assert.ok(outcome.ok);
  assert.equal(outcome.value.currentInstanceCount, 1);
  const phases = (events as CapacityEvent[]).map((e) => e.phase);
  assert.deepEqual([...new Set(phases)], ["waiting-for-capacity", "instance-starting", "running"]);
  assert.equal(phases.filter((p) => p === "running").length, 1);
  assert.match((events.at(-1) as CapacityEvent).message, /running, 1 of 1 desired instance/);
  assert.equal(clock.pendingSleeps, 0, "the loop stops when nobody waits");
});

Deno.test("waitForCapacity() callers share one polling loop", async () => {
  const { endpoint, guard, clock } = setup({ current: 0 });
  const waits = [1, 2, 3].map(() => guard.waitForCapacity({ timeoutMs: Infinity }));
  await clock.advance(100_000);
  assert.equal(endpoint.describeCalls(), 10, "one DescribeEndpoint per 10 s for three callers");
  endpoint.setCapacity({ current: 1 });
  await clock.advance(10_000);
  const results = await Promise.all(waits);
  assert.ok(results.every((r) => r.currentInstanceCount === 1));
});

Deno.test("waitForCapacity() stops polling once its only caller aborts", async () => {
  const { endpoint, guard, clock } = setup({ current: 0 });
  const controller = new AbortController();
  const wait = guard.waitForCapacity({ timeoutMs: Infinity, signal: controller.signal });
  await clock.advance(25_000);
  controller.abort(new Error("bye"));
  await assert.rejects(wait, /bye/);
  const calls = endpoint.describeCalls();
  await clock.advance(100_000);
  assert.equal(endpoint.describeCalls(), calls);
  assert.equal(clock.pendingSleeps, 0);
  // A new caller starts the loop again.
  const again = guard.waitForCapacity({ timeoutMs: Infinity });
  endpoint.setCapacity({ current: 1 });
  await clock.advance(10_000);
  assert.equal((await again).currentInstanceCount, 1);
});

Deno.test("waitForCapacity() rejects with WaitTimeoutError carrying the last observation at its deadline", async () => {
  const { guard, clock } = setup({ current: 0, desired: 1 });
  const outcome = await settleWithin(
    clock,
    guard.waitForCapacity({ timeoutMs: 60_000, startedAt: clock.now(), waitingFor: "an instance" }),
  );
  assert.ok(!outcome.ok);
  assert.ok(outcome.error instanceof WaitTimeoutError);
  assert.equal(outcome.at, 60_000);
  assert.equal(outcome.error.waitingFor, "an instance");
  assert.equal(outcome.error.waitedMs, 60_000);
  assert.equal(
    outcome.error.lastObserved.rounds,
    5,
    "polls at 10 s ... 50 s (the 60 s one races the deadline)",
  );
  assert.match(outcome.error.lastObserved.summary, /instance starting, 0 of 1/);
});

Deno.test("waitForCapacity() rejects at once with EndpointFailedError when the endpoint fails", async () => {
  const { endpoint, guard, clock } = setup({ current: 0, desired: 1 });
  const wait = settleWithin(clock, guard.waitForCapacity({ timeoutMs: Infinity }));
  await clock.advance(10_000);
  endpoint.status = "Failed";
  const outcome = await wait;
  assert.ok(!outcome.ok);
  assert.ok(outcome.error instanceof EndpointFailedError);
  assert.equal(outcome.at, 20_000);
});

Deno.test("waitForCapacity() tolerates two failed polls and rejects with the SDK error on the third", async () => {
  const { endpoint, guard, clock } = setup({ current: 0 });
  const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
  endpoint.sagemakerMock.on(DescribeEndpointCommand)
    .rejectsOnce(throttled)
    .rejectsOnce(throttled)
    .callsFake(() => ({
      EndpointStatus: "InService",
      ProductionVariants: [{ VariantName: "AllTraffic", CurrentInstanceCount: 1 }],
    }));
  const recovered = await settleWithin(clock, guard.waitForCapacity({ timeoutMs: Infinity }));
  assert.ok(recovered.ok, "two errors in a row are tolerated");
  assert.equal(recovered.at, 30_000);

  endpoint.sagemakerMock.on(DescribeEndpointCommand).rejects(throttled);
  const failed = await settleWithin(clock, guard.waitForCapacity({ timeoutMs: Infinity }));
  assert.ok(!failed.ok);
  assert.equal(failed.error, throttled);
});

Deno.test("reportCapacity() reports one DescribeEndpoint as a capacity event, timed from startedAt", async () => {
  const { endpoint, guard, clock } = setup({ current: 1 });
  await clock.advance(90_000);
  const events: ProgressEvent[] = [];
  const reported = await guard.reportCapacity({
    startedAt: 30_000,
    onProgress: (e) => events.push(e),
  });
  assert.equal(reported.currentInstanceCount, 1);
  assert.equal(endpoint.describeCalls(), 1);
  assert.equal(events.length, 1);
  const [event] = events as CapacityEvent[];
  assert.equal(event!.phase, "running");
  assert.equal(event!.elapsedMs, 60_000);
  assert.match(
    event!.message,
    /^Endpoint falcon: running, 1 of 1 desired instance\(s\) in service \(1m 0s\)$/,
  );
  assert.equal(clock.pendingSleeps, 0, "it does not start the polling loop");
});

Deno.test("the guard rejects bad options before any call", () => {
  const { clients } = new FakeEndpoint();
  assert.throws(() => new ColdStartGuard({ clients, endpointName: "a b" }), TypeError);
  assert.throws(
    () => new ColdStartGuard({ clients, endpointName: ENDPOINT, pollIntervalMs: 0 }),
    RangeError,
  );
  assert.throws(
    () =>
      new ColdStartGuard({
        clients: { ...clients, autoscaling: undefined! },
        endpointName: ENDPOINT,
      }),
    /clients\.autoscaling/,
  );
});
