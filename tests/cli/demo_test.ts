import assert from "node:assert/strict";
import { type DemoSummary, main } from "../../cli/demo.ts";
import { captureIo, printedJson } from "./_task_env.ts";

Deno.test("deno task demo --help exits 0 and lists --time-scale and --json", async () => {
  const { io, output } = captureIo({});
  assert.equal(await main(["--help"], io), 0);
  assert.match(output.out, /--time-scale X/);
  assert.match(output.out, /--json/);
});

Deno.test("deno task demo exits 2 naming a bad --time-scale or an unknown flag, before starting anything", async () => {
  const bad = captureIo({});
  assert.equal(await main(["--time-scale", "0"], bad.io), 2);
  assert.match(bad.output.err, /Invalid --time-scale "0": must be a number greater than 0/);
  const unknown = captureIo({});
  assert.equal(await main(["--target", "aws"], unknown.io), 2);
  assert.match(unknown.output.err, /'--target'/);
});

Deno.test("deno task demo runs the whole story on its own emulator and summarises it as JSON", async () => {
  const { io, output } = captureIo({});
  const code = await main(
    ["--json", "--time-scale", "600", "--instance-type", "ml.g5.12xlarge"],
    io,
  );
  const summary = printedJson<DemoSummary>(output);
  assert.equal(code, 0, `${summary.error}\n${output.err}`);
  assert.equal(summary.ok, true);
  assert.equal(summary.timeScale, 600);
  assert.equal(summary.instanceType, "ml.g5.12xlarge");
  assert.equal(summary.model?.modelId, "huggingface-llm-falcon-40b-instruct-bf16");
  assert.deepEqual(summary.results.map((r) => r.way), [
    "raw SDK (PutObject, InvokeEndpointAsync, waitForResult)",
    "AsyncPredictor.predictAsync + getResult",
    "AsyncPredictor.predict",
    "LangChain SageMakerAsyncEndpoint.invoke",
    "AsyncPredictor after scale-to-zero (cold start)",
  ]);
  for (const result of summary.results) assert.ok(result.text.trim().length > 0, result.way);
  // Waking from zero takes the two alarm minutes plus the 8-minute instance launch.
  assert.ok(
    summary.coldStart !== undefined && summary.coldStart.ms > 8 * 60_000,
    String(summary.coldStart?.ms),
  );
  // When a 15-s capacity sample saw the instance before the result, it lies within the cold
  // start, after the alarm's two minutes.
  const seen = summary.coldStart.instanceInServiceAfterMs;
  if (seen !== undefined) {
    assert.ok(
      seen > 2 * 60_000 && seen <= summary.coldStart.ms,
      `${seen} of ${summary.coldStart.ms}`,
    );
  }
  const capacity = summary.capacity!;
  assert.ok(capacity.instanceSeconds > 0);
  assert.ok(capacity.instanceSeconds < capacity.alwaysOnInstanceSeconds);
  assert.equal(capacity.alwaysOnInstanceSeconds, capacity.spanSeconds);
  const cost = summary.cost!;
  assert.equal(cost.pricePerHour, 7.09);
  assert.ok(cost.usedDollars < cost.alwaysOnDollars);
  assert.ok(cost.savedFraction > 0 && cost.savedFraction < 1);
  assert.match(cost.priceNote, /unconfirmed/);
  assert.equal(summary.nothingLeft, true);
  assert.deepEqual(summary.leftovers, {
    endpoints: [],
    endpointConfigs: [],
    models: [],
    scalableTargets: [],
    alarms: [],
  });
  assert.ok(summary.emulatedMs > summary.wallMs);
  assert.match(output.err, /6\/6 Tearing everything down/);
});

Deno.test("deno task demo cleans up and exits 130 when cancelled", async () => {
  const controller = new AbortController();
  let aborted = false;
  const { io, output } = captureIo({}, {
    signal: controller.signal,
    printError: (text) => {
      if (!aborted && text.includes("2/6")) {
        aborted = true;
        controller.abort(new DOMException("Interrupted (Ctrl-C)", "AbortError"));
      }
    },
  });
  const code = await main(["--json", "--time-scale", "1000"], io);
  assert.equal(code, 130);
  const summary = printedJson<DemoSummary>(output);
  assert.equal(summary.ok, false);
  assert.match(summary.error ?? "", /Interrupted/);
  assert.equal(summary.nothingLeft, true, JSON.stringify(summary.leftovers));
});
