import assert from "node:assert/strict";
import { ManualEmulatorClock } from "../../../emulator/clock.ts";
import { createEmulator } from "../../../emulator/core.ts";
import { createSageMakerRuntimeService } from "../../../emulator/runtime/service.ts";
import { createSageMakerService } from "../../../emulator/sagemaker/service.ts";

Deno.test("Runtime faults match InvokeEndpoint and InvokeEndpointAsync by the operation in the path", async () => {
  const emulator = await createEmulator({
    auth: false,
    clock: new ManualEmulatorClock(),
    services: [createSageMakerService, createSageMakerRuntimeService],
    faults: [{ service: "sagemaker-runtime", operation: "InvokeEndpointAsync", status: 503 }],
  });
  try {
    const invoke = (path: string) =>
      emulator.fetch(
        new Request(`http://127.0.0.1/endpoints/nope/${path}`, {
          method: "POST",
          headers: { "x-amzn-sagemaker-inputlocation": "s3://b/in.json" },
        }),
      );
    const realtime = await invoke("invocations");
    assert.equal(realtime.status, 400, "InvokeEndpoint is not the faulted operation");
    assert.equal(realtime.headers.get("x-amzn-errortype"), "ValidationError");
    await realtime.body?.cancel();
    const faulted = await invoke("async-invocations");
    assert.equal(faulted.status, 503);
    assert.equal(faulted.headers.get("x-amzn-errortype"), "ServiceUnavailable");
    await faulted.body?.cancel();
    const after = await invoke("async-invocations");
    assert.equal(after.status, 400, "the fault was used up");
    assert.deepEqual(await after.json(), {
      message: "Endpoint nope of account 123456789012 not found.",
    });
  } finally {
    await emulator.close();
  }
});
