import assert from "node:assert/strict";
import { runTask, TARGET_USAGE, type TaskSpec } from "../../cli/task_runner.ts";
import { UsageError } from "../../cli/task_flags.ts";
import { captureIo } from "./_task_env.ts";

function spec(run: TaskSpec["run"]): TaskSpec {
  return {
    name: "example",
    usage: "Usage: deno task example",
    options: { level: { type: "string" } },
    run,
  };
}

Deno.test("runTask() prints the usage for --help and exits 0 without running the task", async () => {
  let ran = false;
  const { io, output } = captureIo({});
  const code = await runTask(
    spec(() => {
      ran = true;
      return Promise.resolve(0);
    }),
    ["--help"],
    io,
  );
  assert.equal(code, 0);
  assert.equal(ran, false);
  assert.equal(output.out, `Usage: deno task example\n\n${TARGET_USAGE}\n`);
  const own = captureIo({});
  const noTarget = { ...spec(() => Promise.resolve(1)), targetFlags: false };
  assert.equal(await runTask(noTarget, ["-h"], own.io), 0);
  assert.equal(own.output.out, "Usage: deno task example\n", "no target flags, no target help");
});

Deno.test("runTask() exits 2 naming an unknown flag or a flag without its value", async () => {
  const task = spec(() => Promise.resolve(0));
  const unknown = captureIo({});
  assert.equal(await runTask(task, ["--levle", "3"], unknown.io), 2);
  assert.match(unknown.output.err, /--levle/);
  assert.match(unknown.output.err, /deno task example --help/);
  const missing = captureIo({});
  assert.equal(await runTask(task, ["--level"], missing.io), 2);
  assert.match(missing.output.err, /--level/);
  const positional = captureIo({});
  assert.equal(await runTask(task, ["stray"], positional.io), 2);
  assert.match(positional.output.err, /stray/);
});

Deno.test("runTask() exits 2 for a UsageError, TypeError or RangeError and 1 for any other error", async () => {
  for (
    const [error, code] of [
      [new UsageError("Missing --endpoint"), 2],
      [new TypeError("Invalid endpoint name"), 2],
      [new RangeError("maxCapacity out of range"), 2],
      [Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }), 1],
    ] as const
  ) {
    const { io, output } = captureIo({});
    assert.equal(await runTask(spec(() => Promise.reject(error)), [], io), code, error.message);
    assert.match(output.err, new RegExp(error.message));
  }
});

Deno.test("runTask() exits 130 when the task stops because its signal was aborted", async () => {
  const controller = new AbortController();
  const { io, output } = captureIo({}, { signal: controller.signal });
  const code = await runTask(
    spec((context) => {
      controller.abort(new DOMException("Interrupted", "AbortError"));
      return Promise.reject(context.signal!.reason);
    }),
    [],
    io,
  );
  assert.equal(code, 130);
  assert.match(output.err, /Cancelled/);
});

Deno.test("runTask() adds the target flags unless the task opts out", async () => {
  const seen: (string | undefined)[] = [];
  const task = spec((context) => {
    seen.push(context.flags.string("region"));
    return Promise.resolve(0);
  });
  assert.equal(await runTask(task, ["--region", "eu-west-1"], captureIo({}).io), 0);
  assert.deepEqual(seen, ["eu-west-1"]);
  const { io, output } = captureIo({});
  assert.equal(await runTask({ ...task, targetFlags: false }, ["--region", "x"], io), 2);
  assert.match(output.err, /--region/);
});

Deno.test("context.openTarget() refuses an unknown --target and explains a missing AWS region", async () => {
  const open = spec(async (context) => {
    await using _target = await context.openTarget();
    return 0;
  });
  const bad = captureIo({});
  assert.equal(await runTask(open, ["--target", "gcp"], bad.io), 2);
  assert.match(bad.output.err, /--target "gcp": must be one of local, aws/);
  const noRegion = captureIo({});
  assert.equal(await runTask(open, ["--target", "aws"], noRegion.io), 2);
  assert.match(noRegion.output.err, /needs a region: set AWS_REGION \(or pass --region\)/);
});

Deno.test("context.openTarget() says how to start an emulator when none answers", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const { io, output } = captureIo({ AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` });
  const code = await runTask(
    spec(async (context) => {
      await using _target = await context.openTarget();
      return 0;
    }),
    [],
    io,
  );
  assert.equal(code, 2);
  assert.match(output.err, new RegExp(`No emulator answers at http://127.0.0.1:${port}`));
  assert.match(output.err, /deno task emulator/);
});

Deno.test("context.withProgress() ends the progress with the error and passes it on", async () => {
  const { io, output } = captureIo({});
  const code = await runTask(
    spec((context) =>
      context.withProgress((progress) => {
        progress.onProgress({
          type: "endpoint-status",
          endpointName: "falcon",
          status: "Creating",
          elapsedMs: 0,
          message: "",
        });
        return Promise.reject(Object.assign(new Error("Rate exceeded"), { name: "Throttling" }));
      })
    ),
    [],
    io,
  );
  assert.equal(code, 1);
  assert.equal(
    output.err,
    "Endpoint falcon: Creating (0.0s)\nFailed: Throttling: Rate exceeded\n" +
      "deno task example failed: Throttling: Rate exceeded\n",
  );
});

Deno.test("context.withProgress() returns the body's exit code and leaves an ended progress alone", async () => {
  const { io, output } = captureIo({});
  const code = await runTask(
    spec((context) =>
      context.withProgress(async (progress) => {
        await progress.done("Deployed falcon");
        throw new UsageError("printing the summary failed");
      })
    ),
    [],
    io,
  );
  assert.equal(code, 2);
  assert.doesNotMatch(output.err, /Failed:/, "done() already ended the progress");
  const ok = captureIo({});
  assert.equal(await runTask(spec((c) => c.withProgress(() => Promise.resolve(3))), [], ok.io), 3);
});

Deno.test("runTask() hands arguments after the flags to a task that takes them", async () => {
  const seen: (readonly string[])[] = [];
  const task = {
    ...spec((c) => (seen.push(c.positionals), Promise.resolve(0))),
    positionals: true,
  };
  assert.equal(await runTask(task, ["--level", "2", "01", "03"], captureIo({}).io), 0);
  assert.equal(await runTask(task, [], captureIo({}).io), 0);
  assert.deepEqual(seen, [["01", "03"], []]);
});
