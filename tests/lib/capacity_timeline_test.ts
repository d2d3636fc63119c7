import assert from "node:assert/strict";
import {
  ApplicationAutoScalingClient,
  DescribeScalingActivitiesCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeEndpointCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { mockClient } from "aws-sdk-client-mock";
import {
  capacityPhaseOfSample,
  type CapacitySample,
  fetchScalingHistory,
  watchCapacity,
  type WatchCapacityOptions,
} from "../../lib/capacity_timeline.ts";
import { WaitTimeoutError } from "../../lib/errors.ts";
import type { CapacityEvent, ProgressEvent } from "../../lib/progress.ts";
import { ManualClock } from "../../lib/testing/manual_clock.ts";
import { awsError } from "./fake_aws.ts";

const region = "us-east-1";
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1);

/** A SageMaker fake whose instance counts the test sets. */
function endpointAt() {
  const sagemaker = new SageMakerClient({ region });
  const state = {
    current: 1,
    desired: 1,
    status: "InService" as string,
    error: undefined as unknown,
  };
  const mock = mockClient(sagemaker);
  mock.on(DescribeEndpointCommand).callsFake(() => {
    if (state.error) throw state.error;
    return {
      EndpointStatus: state.status,
      ProductionVariants: [{
        VariantName: "AllTraffic",
        CurrentInstanceCount: state.current,
        DesiredInstanceCount: state.desired,
      }],
    };
  });
  return { sagemaker, state, mock };
}

/**
 * A recorder of that fake on a manual clock from T0, sampling every minute unless told;
 * `await using` stops it.
 */
function watched(options: Partial<WatchCapacityOptions> = {}) {
  const { sagemaker, state, mock } = endpointAt();
  const clock = new ManualClock({ start: T0 });
  const recorder = watchCapacity({
    clients: { sagemaker },
    endpointName: "falcon",
    clock,
    intervalMs: MINUTE,
    ...options,
  });
  return { state, mock, clock, recorder, [Symbol.asyncDispose]: () => recorder.stop() };
}

Deno.test("watchCapacity() samples at once and then every intervalMs, reporting each sample", async () => {
  const seen: CapacitySample[] = [];
  await using fake = watched({ onSample: (s) => seen.push(s) });
  const { state, clock, recorder } = fake;
  await clock.advance(MINUTE);
  state.current = 0;
  state.desired = 0;
  await clock.advance(MINUTE);
  assert.deepEqual(recorder.samples.map((s) => [s.time - T0, s.currentInstanceCount]), [
    [0, 1],
    [MINUTE, 1],
    [2 * MINUTE, 0],
  ]);
  assert.deepEqual(seen, recorder.samples);
  assert.deepEqual(recorder.latest?.variants, [
    { variantName: "AllTraffic", currentInstanceCount: 0, desiredInstanceCount: 0 },
  ]);
  assert.equal(recorder.running, true);
});

Deno.test("instanceSeconds() integrates the instance count as a step function over the range", async () => {
  const { state, clock, recorder } = watched();
  state.current = 2; // sampled at 0: 1 instance; at 1 min: 2; at 2 min: 0
  await clock.advance(MINUTE);
  state.current = 0;
  await clock.advance(MINUTE);
  await clock.advance(30_000);
  await recorder.stop();
  assert.equal(recorder.stoppedAt, T0 + 150_000);
  assert.equal(recorder.instanceSeconds(), 60 + 120);
  assert.equal(recorder.instanceSeconds(T0 + 30_000, T0 + 90_000), 30 + 60);
  assert.equal(
    recorder.instanceSeconds(T0 - MINUTE, T0),
    0,
    "nothing is known before the first sample",
  );
  assert.equal(
    recorder.instanceSeconds(T0, T0 + 10 * MINUTE),
    180,
    "the last sample holds to `to`",
  );
  assert.throws(() => recorder.instanceSeconds(T0 + 1, T0), RangeError);
  assert.throws(() => recorder.instanceSeconds(NaN), TypeError);
});

Deno.test("watchCapacity() samples a missing endpoint as Missing with no instances and keeps going", async () => {
  const { sagemaker, state } = endpointAt();
  state.error = awsError("ValidationException", 'Could not find endpoint "falcon".');
  const clock = new ManualClock({ start: T0 });
  await using recorder = watchCapacity({
    clients: { sagemaker },
    endpointName: "falcon",
    clock,
    intervalMs: MINUTE,
  });
  await clock.advance(MINUTE);
  assert.deepEqual(recorder.samples.map((s) => [s.status, s.currentInstanceCount]), [
    ["Missing", 0],
    ["Missing", 0],
  ]);
  assert.equal(recorder.running, true);
});

Deno.test("waitFor() resolves with the latest sample when it already matches, unless `since` excludes it", async () => {
  await using fake = watched();
  const { state, clock, recorder } = fake;
  await clock.advance(0);
  const now = await recorder.waitFor((s) => s.currentInstanceCount === 1);
  assert.equal(now.time, T0);
  const later = recorder.waitFor((s) => s.currentInstanceCount === 1, { since: T0 + 1 });
  state.current = 1;
  await clock.advance(MINUTE);
  assert.equal((await later).time, T0 + MINUTE);
});

Deno.test("waitFor() rejects with WaitTimeoutError carrying the last sample after timeoutMs", async () => {
  await using fake = watched();
  const { clock, recorder } = fake;
  const waiting = recorder.waitFor((s) => s.currentInstanceCount === 0, {
    timeoutMs: 3 * MINUTE,
    waitingFor: "zero instances",
  });
  const outcome = waiting.then(() => undefined, (e) => e);
  await clock.advance(3 * MINUTE);
  const error = await outcome;
  assert.ok(error instanceof WaitTimeoutError, String(error));
  assert.equal(error.waitedMs, 3 * MINUTE);
  assert.match(error.waitingFor, /zero instances of endpoint falcon/);
  assert.match(error.lastObserved.summary, /InService, 1 of 1/);
  assert.equal(error.lastObserved.rounds, 3, "samples at 0, 1 and 2 minutes");
});

Deno.test("waitFor() rejects with its signal's reason unchanged", async () => {
  await using fake = watched();
  const { recorder } = fake;
  const controller = new AbortController();
  const waiting = recorder.waitFor(() => false, { signal: controller.signal });
  const reason = new Error("user cancelled");
  controller.abort(reason);
  await assert.rejects(waiting, (e) => e === reason);
  await assert.rejects(
    recorder.waitFor(() => false, { signal: controller.signal }),
    (e) => e === reason,
  );
});

Deno.test("one failed poll is tolerated; three in a row stop the recorder and reject its waits with the error", async () => {
  const { state, clock, recorder } = watched();
  await clock.advance(0);
  const throttled = awsError("ThrottlingException", "Rate exceeded");
  state.error = throttled;
  await clock.advance(MINUTE);
  state.error = undefined;
  await clock.advance(MINUTE);
  assert.equal(recorder.running, true);
  assert.equal(recorder.samples.length, 2);
  const waiting = recorder.waitFor(() => false).then(() => undefined, (e) => e);
  state.error = throttled;
  await clock.advance(3 * MINUTE);
  assert.equal(recorder.running, false);
  assert.equal(recorder.error, throttled);
  assert.equal(await waiting, throttled);
  await assert.rejects(recorder.waitFor(() => false), (e) => e === throttled);
  await recorder.stop();
});

Deno.test("stop() ends the polling and rejects pending waits with an AbortError", async () => {
  const { mock, clock, recorder } = watched();
  await clock.advance(0);
  const waiting = recorder.waitFor(() => false).then(() => undefined, (e) => e);
  await recorder.stop();
  await recorder.stop();
  const error = await waiting;
  assert.equal(error?.name, "AbortError");
  assert.match(error.message, /falcon/);
  const calls = mock.commandCalls(DescribeEndpointCommand).length;
  await clock.advance(10 * MINUTE);
  assert.equal(mock.commandCalls(DescribeEndpointCommand).length, calls);
  assert.equal(clock.pendingSleeps, 0);
});

Deno.test("watchCapacity() stops when its signal aborts, and waits reject with that reason", async () => {
  const controller = new AbortController();
  const { clock, recorder } = watched({ signal: controller.signal });
  await clock.advance(0);
  const waiting = recorder.waitFor(() => false).then(() => undefined, (e) => e);
  const reason = new Error("notebook cell interrupted");
  controller.abort(reason);
  assert.equal(await waiting, reason);
  await recorder.stop();
  assert.equal(recorder.running, false);
});

Deno.test("watchCapacity() checks its options before any call", () => {
  const { sagemaker, mock } = endpointAt();
  assert.throws(
    () => watchCapacity({ clients: { sagemaker }, endpointName: "bad name" }),
    TypeError,
  );
  assert.throws(
    () => watchCapacity({ clients: { sagemaker }, endpointName: "falcon", intervalMs: 0 }),
    /intervalMs 0/,
  );
  assert.throws(
    () =>
      watchCapacity({
        clients: { sagemaker },
        endpointName: "falcon",
        onProgress: "log" as never,
      }),
    { name: "TypeError", message: /onProgress/ },
  );
  assert.equal(mock.calls().length, 0);
});

const phases = (events: readonly ProgressEvent[]) =>
  events.map((e) => {
    const c = e as CapacityEvent;
    return [c.phase, `${c.currentInstanceCount}/${c.desiredInstanceCount}`, c.elapsedMs];
  });

Deno.test("capacityPhaseOfSample() tells running, scaling in, starting, waiting and idle apart", () => {
  const at = (current: number, desired: number) => ({
    currentInstanceCount: current,
    desiredInstanceCount: desired,
  });
  assert.equal(capacityPhaseOfSample(at(1, 1)), "running");
  assert.equal(capacityPhaseOfSample(at(1, 2)), "running", "scaling out still serves");
  assert.equal(capacityPhaseOfSample(at(2, 1)), "scaling-in");
  assert.equal(capacityPhaseOfSample(at(1, 0)), "scaling-in");
  assert.equal(capacityPhaseOfSample(at(0, 1)), "instance-starting");
  assert.equal(capacityPhaseOfSample(at(0, 0)), "idle");
  assert.equal(capacityPhaseOfSample(at(0, 0), { requestsWaiting: true }), "waiting-for-capacity");
  assert.equal(capacityPhaseOfSample(at(0, 1), { requestsWaiting: true }), "instance-starting");
});

Deno.test("watchCapacity() reports each sample as a capacity event: running, scaling in, idle", async () => {
  const events: ProgressEvent[] = [];
  await using fake = watched({ onProgress: (e) => events.push(e) });
  const { state, clock } = fake;
  await clock.advance(MINUTE);
  state.desired = 0;
  await clock.advance(MINUTE);
  state.current = 0;
  await clock.advance(MINUTE);
  assert.deepEqual(phases(events), [
    ["running", "1/1", 0],
    ["running", "1/1", MINUTE],
    ["scaling-in", "1/0", 2 * MINUTE],
    ["idle", "0/0", 3 * MINUTE],
  ]);
  assert.equal(
    events.at(-1)?.message,
    "Endpoint falcon: idle, InService, 0 of 0 desired instance(s) in service (3m 0s)",
  );
  assert.ok(events.every((e) => e.type === "capacity" && e.endpointName === "falcon"));
});

Deno.test("waitFor() reports the samples it considers, timed from the start of the wait", async () => {
  await using fake = watched();
  const { state, clock, recorder } = fake;
  await clock.advance(2 * MINUTE);
  const events: ProgressEvent[] = [];
  await clock.advance(30_000);
  state.current = 0;
  state.desired = 0;
  const atZero = recorder.waitFor((s) => s.currentInstanceCount === 0, {
    onProgress: (e) => events.push(e),
  });
  await clock.advance(MINUTE);
  await atZero;
  await clock.advance(MINUTE);
  // The latest sample (taken 30 s before the wait) at once, then the one that ended the wait.
  assert.deepEqual(phases(events), [["running", "1/1", 0], ["idle", "0/0", 30_000]]);

  // Requests sent: zero with none wanted is waiting for capacity, until an instance starts.
  const woken: ProgressEvent[] = [];
  const since = clock.now();
  const awake = recorder.waitFor((s) => s.currentInstanceCount > 0, {
    since,
    requestsWaiting: true,
    onProgress: (e) => woken.push(e),
  });
  await clock.advance(MINUTE);
  state.desired = 1;
  await clock.advance(MINUTE);
  state.current = 1;
  await clock.advance(MINUTE);
  await awake;
  assert.deepEqual(phases(woken), [
    ["waiting-for-capacity", "0/0", 30_000],
    ["instance-starting", "0/1", 90_000],
    ["running", "1/1", 150_000],
  ]);
});

Deno.test("waitFor() checks that onProgress is a function", async () => {
  await using fake = watched();
  await assert.rejects(
    fake.recorder.waitFor(() => true, { onProgress: 42 as never }),
    { name: "TypeError", message: /onProgress/ },
  );
});

function historyFakes() {
  const cloudwatch = new CloudWatchClient({ region });
  const autoscaling = new ApplicationAutoScalingClient({ region });
  return {
    cloudwatch,
    autoscaling,
    cw: mockClient(cloudwatch),
    as: mockClient(autoscaling),
  };
}

Deno.test("fetchScalingHistory() queries the async metrics with their dimensions, period and statistics", async () => {
  const { cloudwatch, autoscaling, cw, as } = historyFakes();
  cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
  as.on(DescribeScalingActivitiesCommand).resolves({ ScalingActivities: [] });
  await fetchScalingHistory({
    clients: { cloudwatch, autoscaling },
    endpointName: "falcon",
    start: new Date(T0),
    end: T0 + 3_600_000,
    periodSeconds: 120,
  });
  const input = cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
  assert.equal(input.StartTime?.getTime(), T0);
  assert.equal(input.EndTime?.getTime(), T0 + 3_600_000);
  const queries = Object.fromEntries(
    (input.MetricDataQueries ?? []).map((q) => [
      q.MetricStat!.Metric!.MetricName,
      [
        q.MetricStat!.Stat,
        q.MetricStat!.Period,
        q.MetricStat!.Metric!.Dimensions!.map((d) => `${d.Name}=${d.Value}`).join(","),
      ],
    ]),
  );
  assert.deepEqual(queries, {
    ApproximateBacklogSize: ["Average", 120, "EndpointName=falcon"],
    ApproximateBacklogSizePerInstance: ["Average", 120, "EndpointName=falcon"],
    HasBacklogWithoutCapacity: ["Maximum", 120, "EndpointName=falcon"],
    InvocationsProcessed: ["Sum", 120, "EndpointName=falcon,VariantName=AllTraffic"],
    InvocationsProcesssed: ["Sum", 120, "EndpointName=falcon,VariantName=AllTraffic"],
    InvocationFailures: ["Sum", 120, "EndpointName=falcon,VariantName=AllTraffic"],
    ExpiredRequests: ["Sum", 120, "EndpointName=falcon,VariantName=AllTraffic"],
  });
  const activities = as.commandCalls(DescribeScalingActivitiesCommand)[0]!.args[0].input;
  assert.equal(activities.ResourceId, "endpoint/falcon/variant/AllTraffic");
  assert.equal(activities.ScalableDimension, "sagemaker:variant:DesiredInstanceCount");
});

Deno.test("fetchScalingHistory() merges pages into sorted series and falls back to the documented InvocationsProcesssed spelling", async () => {
  const { cloudwatch, autoscaling, cw, as } = historyFakes();
  const at = (min: number) => new Date(T0 + min * MINUTE);
  cw.on(GetMetricDataCommand)
    .resolvesOnce({
      MetricDataResults: [
        { Id: "backlog", Timestamps: [at(0), at(1)], Values: [0, 2] },
        { Id: "processedDocs", Timestamps: [at(1)], Values: [3] },
      ],
      NextToken: "next",
    })
    .resolves({
      MetricDataResults: [{ Id: "backlog", Timestamps: [at(2)], Values: [1] }],
    });
  as.on(DescribeScalingActivitiesCommand)
    .resolvesOnce({
      ScalingActivities: [{
        ActivityId: "late",
        ServiceNamespace: "sagemaker",
        ResourceId: "endpoint/falcon/variant/AllTraffic",
        ScalableDimension: "sagemaker:variant:DesiredInstanceCount",
        Description: "Setting desired instance count to 0.",
        Cause: "low alarm",
        StartTime: at(30),
        StatusCode: "InProgress",
      }],
      NextToken: "a2",
    })
    .resolves({
      ScalingActivities: [
        {
          ActivityId: "early",
          ServiceNamespace: "sagemaker",
          ResourceId: "endpoint/falcon/variant/AllTraffic",
          ScalableDimension: "sagemaker:variant:DesiredInstanceCount",
          Description: "Setting desired instance count to 1.",
          Cause: "wake alarm",
          StartTime: at(5),
          EndTime: at(15),
          StatusCode: "Successful",
          StatusMessage: "fulfilled",
        },
        {
          ActivityId: "before",
          ServiceNamespace: "sagemaker",
          ResourceId: "endpoint/falcon/variant/AllTraffic",
          ScalableDimension: "sagemaker:variant:DesiredInstanceCount",
          Description: "old",
          Cause: "old",
          StartTime: new Date(T0 - 120 * MINUTE),
          EndTime: new Date(T0 - 100 * MINUTE),
          StatusCode: "Successful",
        },
      ],
    });
  const history = await fetchScalingHistory({
    clients: { cloudwatch, autoscaling },
    endpointName: "falcon",
    start: T0,
    end: T0 + 60 * MINUTE,
  });
  assert.equal(cw.commandCalls(GetMetricDataCommand)[1]?.args[0].input.NextToken, "next");
  assert.deepEqual(history.backlogSize.points, [
    { time: T0, value: 0 },
    { time: T0 + MINUTE, value: 2 },
    { time: T0 + 2 * MINUTE, value: 1 },
  ]);
  assert.equal(history.invocationsProcessed.metricName, "InvocationsProcesssed");
  assert.deepEqual(history.invocationsProcessed.points, [{ time: T0 + MINUTE, value: 3 }]);
  assert.deepEqual(history.backlogSizePerInstance.points, []);
  assert.deepEqual(
    [
      history.backlogSize,
      history.backlogSizePerInstance,
      history.hasBacklogWithoutCapacity,
      history.invocationFailures,
      history.expiredRequests,
    ].map((s) => [s.metricName, s.statistic]),
    [
      ["ApproximateBacklogSize", "Average"],
      ["ApproximateBacklogSizePerInstance", "Average"],
      ["HasBacklogWithoutCapacity", "Maximum"],
      ["InvocationFailures", "Sum"],
      ["ExpiredRequests", "Sum"],
    ],
  );
  assert.equal(history.periodSeconds, 60);
  assert.deepEqual(history.activities, [
    {
      activityId: "early",
      description: "Setting desired instance count to 1.",
      cause: "wake alarm",
      status: "Successful",
      statusMessage: "fulfilled",
      startTime: T0 + 5 * MINUTE,
      endTime: T0 + 15 * MINUTE,
    },
    {
      activityId: "late",
      description: "Setting desired instance count to 0.",
      cause: "low alarm",
      status: "InProgress",
      startTime: T0 + 30 * MINUTE,
    },
  ]);
});

Deno.test("fetchScalingHistory() checks the span and period before any call", async () => {
  const { cloudwatch, autoscaling, cw, as } = historyFakes();
  const clients = { cloudwatch, autoscaling };
  await assert.rejects(
    fetchScalingHistory({ clients, endpointName: "falcon", start: T0, end: T0 }),
    (e: unknown) => e instanceof RangeError && /must be after start/.test(e.message),
  );
  await assert.rejects(
    fetchScalingHistory({
      clients,
      endpointName: "falcon",
      start: T0,
      end: T0 + 1,
      periodSeconds: 90,
    }),
    /periodSeconds 90: must be 1, 5, 10, 30 or a multiple of 60/,
  );
  await assert.rejects(
    fetchScalingHistory({ clients, endpointName: "falcon", start: new Date("nope"), end: T0 }),
    TypeError,
  );
  assert.equal(cw.calls().length + as.calls().length, 0);
});
