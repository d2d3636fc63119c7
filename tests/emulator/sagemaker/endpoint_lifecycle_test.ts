import assert from "node:assert/strict";
import { ManualEmulatorClock } from "../../../emulator/clock.ts";
import { createEmulator, DEFAULT_TIMINGS, type Emulator } from "../../../emulator/core.ts";
import type { SageMakerEmulatorBackend } from "../../../emulator/sagemaker/backend.ts";
import { CreateEndpoint } from "../../../emulator/sagemaker/CreateEndpoint.ts";
import { CreateEndpointConfig } from "../../../emulator/sagemaker/CreateEndpointConfig.ts";
import { CreateModel } from "../../../emulator/sagemaker/CreateModel.ts";
import { DeleteEndpoint } from "../../../emulator/sagemaker/DeleteEndpoint.ts";
import { createSageMakerService } from "../../../emulator/sagemaker/service.ts";

const LAUNCH = DEFAULT_TIMINGS.instanceLaunchMs;

async function setup(
  options: { count?: number; environment?: Record<string, string> } = {},
): Promise<{ emulator: Emulator; clock: ManualEmulatorClock; backend: SageMakerEmulatorBackend }> {
  const clock = new ManualEmulatorClock();
  const emulator = await createEmulator({ auth: false, clock, services: [createSageMakerService] });
  const backend = emulator.context.sagemaker as SageMakerEmulatorBackend;
  CreateModel({
    ModelName: "m",
    PrimaryContainer: { Image: "emulator/tgi", Environment: options.environment },
  }, backend);
  CreateEndpointConfig({
    EndpointConfigName: "c",
    ProductionVariants: [{
      VariantName: "AllTraffic",
      ModelName: "m",
      InstanceType: "ml.g5.12xlarge",
      InitialInstanceCount: options.count ?? 2,
    }],
    AsyncInferenceConfig: { OutputConfig: { S3OutputPath: "s3://b/o" } },
  }, backend);
  CreateEndpoint({ EndpointName: "ep", EndpointConfigName: "c" }, backend);
  await clock.advance(DEFAULT_TIMINGS.endpointCreationMs + LAUNCH);
  return { emulator, clock, backend };
}

function status(backend: SageMakerEmulatorBackend): string {
  return backend.state.endpoints.get("ep")!.status;
}

Deno.test("capacity cannot change while instances launch; afterwards idle surplus goes at once", async () => {
  const { emulator, clock, backend } = await setup();
  backend.setDesiredInstanceCount("ep", "AllTraffic", 4);
  assert.equal(status(backend), "Updating");
  await clock.advance(LAUNCH / 2);
  assert.throws(
    () => backend.setDesiredInstanceCount("ep", "AllTraffic", 1),
    (error: Error) =>
      error.message ===
        'Cannot update in-progress endpoint "arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep".',
  );
  await clock.advance(LAUNCH / 2);
  assert.equal(status(backend), "InService");
  assert.deepEqual(backend.variants("ep")[0], {
    endpointName: "ep",
    variantName: "AllTraffic",
    instanceType: "ml.g5.12xlarge",
    desiredInstanceCount: 4,
    currentInstanceCount: 4,
  });
  backend.setDesiredInstanceCount("ep", "AllTraffic", 2);
  assert.equal(status(backend), "InService");
  assert.equal(backend.variants("ep")[0]!.currentInstanceCount, 2);
  await emulator.close();
});

Deno.test("scale-in removes idle instances at once and drains busy ones until their work ends", async () => {
  const { emulator, backend } = await setup();
  const slot = backend.lifecycle.acquire("ep")!;
  assert.ok(slot);
  backend.setDesiredInstanceCount("ep", "AllTraffic", 1);
  let instances = backend.state.endpoints.get("ep")!.variants[0]!.instances;
  assert.deepEqual(instances.map((i) => [i.id, i.status]), [[slot.instanceId, "InService"]]);
  assert.equal(status(backend), "InService");
  backend.setDesiredInstanceCount("ep", "AllTraffic", 0);
  instances = backend.state.endpoints.get("ep")!.variants[0]!.instances;
  assert.deepEqual(instances.map((i) => i.status), ["Draining"]);
  assert.equal(status(backend), "Updating");
  assert.equal(backend.variants("ep")[0]!.currentInstanceCount, 0);
  assert.equal(backend.lifecycle.acquire("ep"), undefined);
  slot.release();
  slot.release();
  assert.deepEqual(backend.state.endpoints.get("ep")!.variants[0]!.instances, []);
  assert.equal(status(backend), "InService");
  await emulator.close();
});

Deno.test("each instance takes at most MaxConcurrentInvocationsPerInstance (default 4) slots", async () => {
  const { emulator, backend } = await setup({ count: 1 });
  const slots = [1, 2, 3, 4].map(() => backend.lifecycle.acquire("ep"));
  assert.ok(slots.every((s) => s !== undefined));
  assert.equal(backend.lifecycle.acquire("ep"), undefined);
  slots[0]!.release();
  assert.ok(backend.lifecycle.acquire("ep"));
  await emulator.close();
});

Deno.test("a scale-out whose container fails its ping is dropped and the desired count settles", async () => {
  let healthy = true;
  await using server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () => new Response(null, { status: healthy ? 200 : 500 }),
  );
  const { emulator, clock, backend } = await setup({
    count: 1,
    environment: { EMULATOR_CONTAINER_URL: `http://127.0.0.1:${server.addr.port}` },
  });
  assert.equal(status(backend), "InService");
  healthy = false;
  backend.setDesiredInstanceCount("ep", "AllTraffic", 3);
  await clock.advance(LAUNCH);
  assert.equal(status(backend), "InService");
  assert.deepEqual(
    [
      backend.variants("ep")[0]!.currentInstanceCount,
      backend.variants("ep")[0]!.desiredInstanceCount,
    ],
    [1, 1],
  );
  await emulator.close();
});

Deno.test("setDesiredInstanceCount rejects a negative count with a RangeError before any change", async () => {
  const { emulator, backend } = await setup({ count: 1 });
  assert.throws(
    () => backend.setDesiredInstanceCount("ep", "AllTraffic", -1),
    new RangeError(
      "Cannot set desired instance count -1 on ep/AllTraffic: must be an integer >= 0",
    ),
  );
  assert.equal(backend.variants("ep")[0]!.desiredInstanceCount, 1);
  await emulator.close();
});

Deno.test("the backend reports endpoints, status, async-ness and deletion to other services", async () => {
  const { emulator, clock, backend } = await setup({ count: 1 });
  const deleted: string[] = [];
  backend.onEndpointDeleted((name) => deleted.push(name));
  assert.deepEqual(backend.endpointNames(), ["ep"]);
  assert.equal(backend.endpointStatus("EP"), "InService");
  assert.equal(backend.endpointStatus("missing"), undefined);
  assert.equal(backend.isAsync("ep"), true);
  assert.equal(backend.isAsync("missing"), false);
  assert.deepEqual(backend.variants("missing"), []);
  assert.equal(backend.queueSnapshot("missing"), undefined);
  DeleteEndpoint({ EndpointName: "ep" }, backend);
  assert.deepEqual(backend.endpointNames(), ["ep"]);
  assert.equal(backend.endpointStatus("ep"), "Deleting");
  await clock.advance(DEFAULT_TIMINGS.endpointDeletionMs);
  assert.deepEqual(deleted, ["ep"]);
  assert.deepEqual(backend.endpointNames(), []);
  assert.equal(backend.endpointStatus("ep"), undefined);
  await emulator.close();
});
