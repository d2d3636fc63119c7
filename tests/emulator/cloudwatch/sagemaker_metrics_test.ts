import assert from "node:assert/strict";
import type {
  EmulatorContext,
  InvocationOutcome,
  SageMakerBackend,
} from "../../../emulator/context.ts";
import { FakeSageMaker } from "../autoscaling/_fake_sagemaker.ts";
import { MINUTE, startCloudWatch, T0 } from "./_cloudwatch.ts";
import { ManualEmulatorClock } from "../../../emulator/clock.ts";

function gauges(
  env: Awaited<ReturnType<typeof startCloudWatch>>,
  endpoint: string,
  at: number,
) {
  const out: Record<string, number | undefined> = {};
  for (
    const name of [
      "ApproximateBacklogSize",
      "ApproximateBacklogSizePerInstance",
      "ApproximateAgeOfOldestRequest",
      "HasBacklogWithoutCapacity",
    ]
  ) {
    const [point] = env.cloudwatch.metrics.samples(
      {
        namespace: "AWS/SageMaker",
        metricName: name,
        dimensions: [{ Name: "EndpointName", Value: endpoint }],
      },
      at,
      at + MINUTE,
    );
    out[name] = point?.sum;
  }
  return out;
}

Deno.test("the publisher reports backlog per instance, and the whole backlog at zero instances", async () => {
  const clock = new ManualEmulatorClock({ start: T0 });
  const fake = new FakeSageMaker({ clock, inferenceMs: 60 * MINUTE });
  fake.createEndpoint("busy", { instances: 2 });
  fake.createEndpoint("cold", { instances: 0 });
  fake.createEndpoint("idle", { instances: 0 });
  fake.createEndpoint("realtime", { async: false });
  await using env = await startCloudWatch({ clock, more: [fake.factory()] });
  for (let i = 0; i < 5; i++) fake.submit("busy");
  await clock.advance(30_000);
  for (let i = 0; i < 3; i++) fake.submit("cold");
  await clock.advance(30_000);
  // Sampled at 10:01:00, reported for the minute 10:00-10:01.
  assert.deepEqual(gauges(env, "busy", T0), {
    ApproximateBacklogSize: 5,
    ApproximateBacklogSizePerInstance: 2.5,
    ApproximateAgeOfOldestRequest: 60,
    HasBacklogWithoutCapacity: 0,
  });
  assert.deepEqual(gauges(env, "cold", T0), {
    ApproximateBacklogSize: 3,
    ApproximateBacklogSizePerInstance: 3,
    ApproximateAgeOfOldestRequest: 30,
    HasBacklogWithoutCapacity: 1,
  });
  assert.deepEqual(gauges(env, "idle", T0), {
    ApproximateBacklogSize: 0,
    ApproximateBacklogSizePerInstance: undefined,
    ApproximateAgeOfOldestRequest: 0,
    HasBacklogWithoutCapacity: 0,
  });
  assert.deepEqual(
    env.cloudwatch.metrics.metrics().filter((m) =>
      m.metric.dimensions.some((d) => d.Value === "realtime")
    ),
    [],
  );
});

Deno.test("the publisher counts finished requests per variant with both spellings of InvocationsProcessed", async () => {
  const listeners: Array<(o: InvocationOutcome) => void> = [];
  const stub: SageMakerBackend = {
    endpointNames: () => [],
    isAsync: () => true,
    variants: () => [],
    endpointStatus: () => undefined,
    queueSnapshot: () => undefined,
    setDesiredInstanceCount: () => {},
    onInvocationFinished: (l) => listeners.push(l),
    onEndpointDeleted: () => {},
  };
  const factory = (context: EmulatorContext) => {
    context.sagemaker = stub;
    return {
      key: "sagemaker" as const,
      handle: () => Promise.resolve(new Response(null)),
      renderError: () => new Response(null),
    };
  };
  await using env = await startCloudWatch({ more: [factory] });
  const base = { endpointName: "e", variantName: "AllTraffic", acceptedAt: T0 + 1_000 };
  const emit = (o: Partial<InvocationOutcome>) =>
    listeners.forEach((l) =>
      l({
        ...base,
        inferenceId: "x",
        status: "Completed",
        startedAt: T0 + 11_000,
        finishedAt: T0 + 21_000,
        modelLatencyMs: 9_000,
        ...o,
      } as InvocationOutcome)
    );
  emit({});
  emit({ finishedAt: T0 + 22_000 });
  emit({ status: "Failed", failureKind: "InvocationFailures", modelLatencyMs: 500 });
  emit({
    status: "Expired",
    startedAt: undefined,
    modelLatencyMs: undefined,
    finishedAt: T0 + 30_000,
  });
  await env.clock.advance(MINUTE);
  const dims = [{ Name: "EndpointName", Value: "e" }, { Name: "VariantName", Value: "AllTraffic" }];
  const sums = (name: string) =>
    env.cloudwatch.metrics.samples(
      { namespace: "AWS/SageMaker", metricName: name, dimensions: dims },
      T0,
      T0 + MINUTE,
    )
      .map((s) => [s.sum, s.unit]);
  assert.deepEqual(sums("InvocationsProcesssed"), [[2, "Count"]]);
  assert.deepEqual(sums("InvocationsProcessed"), [[2, "Count"]]);
  assert.deepEqual(sums("InvocationFailures"), [[1, "Count"]]);
  assert.deepEqual(sums("ExpiredRequests"), [[1, "Count"]]);
  assert.deepEqual(sums("RequestDownloadFailures"), [[0, "Count"]]);
  assert.deepEqual(sums("ModelLatency").map(([v]) => v), [9_000_000, 500_000, 9_000_000]);
  assert.ok(sums("ModelLatency").every(([, unit]) => unit === "Microseconds"));
  assert.deepEqual(sums("TimeInBacklog").map(([v]) => v), [10_000, 10_000, 10_000]);
  assert.deepEqual(sums("TotalProcessingTime").map(([v]) => v), [20_000, 20_000, 21_000, 29_000]);
});
