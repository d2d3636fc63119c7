import assert from "node:assert/strict";
import { join } from "node:path";
import {
  findCellIndex,
  formatRun,
  main,
  nbconvertVersion,
  parseNbconvertFailure,
  runNotebook,
  runNotebookSeries,
} from "../../cli/run_notebooks.ts";
import { captureIo } from "./_task_env.ts";
import type { NotebookJson } from "../../cli/check_notebooks.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

/** nbconvert's stderr for an assertion failing in the second code cell (captured from 6.5.3). */
const CELL_ERROR_STDERR = `[NbConvertApp] Converting notebook notebooks/x.ipynb to notebook
Warning "deno jupyter" is unstable and might change in the future.
0.00s - Debugger warning: It seems that frozen modules are being used, which may
Traceback (most recent call last):
  File "/usr/lib/python3/dist-packages/nbclient/client.py", line 915, in _check_raise_for_error
    raise CellExecutionError.from_cell_and_msg(cell, exec_reply_content)
nbclient.exceptions.CellExecutionError: An error occurred while executing the following cell:
------------------
import assert from "node:assert/strict";
assert.equal(a, 2, "a should be 2");
------------------

AssertionError [ERR_ASSERTION]: a should be 2

1 !== 2

    at <anonymous>:2:8
`;

const TIMEOUT_STDERR = `Traceback (most recent call last):
  File "/usr/lib/python3/dist-packages/nbclient/client.py", line 852, in _async_handle_timeout
    raise CellTimeoutError.error_from_timeout_and_cell(
nbclient.exceptions.CellTimeoutError: A cell timed out while it was being executed, after 2 seconds.
The message was: Cell execution timed out.
Here is a preview of the cell contents:
-------------------
await new Promise((r) => setTimeout(r, 5000));
...
-------------------

`;

const DEAD_KERNEL_STDERR = `Traceback (most recent call last):
  File "/usr/lib/python3/dist-packages/nbclient/client.py", line 1006, in async_execute_cell
    raise DeadKernelError("Kernel died")
nbclient.exceptions.DeadKernelError: Kernel died
`;

const NOTEBOOK: NotebookJson = {
  cells: [
    { cell_type: "markdown", source: "# x" },
    { cell_type: "code", source: ["const a = 1;\n", "a;"] },
    {
      cell_type: "code",
      source: 'import assert from "node:assert/strict";\nassert.equal(a, 2, "a should be 2");\n',
    },
    {
      cell_type: "code",
      source: "await new Promise((r) => setTimeout(r, 5000));\nconsole.log('late');",
    },
  ],
};

Deno.test("parseNbconvertFailure() returns the failing cell's source and the error below it", () => {
  const failure = parseNbconvertFailure(CELL_ERROR_STDERR);
  assert.equal(
    failure.cellSource,
    'import assert from "node:assert/strict";\nassert.equal(a, 2, "a should be 2");',
  );
  assert.match(failure.message, /^AssertionError \[ERR_ASSERTION\]: a should be 2/);
  assert.doesNotMatch(failure.message, /unstable|Debugger/);
  assert.equal(failure.sourceIsPreview, undefined);
});

Deno.test("parseNbconvertFailure() reports a cell timeout with the cell's preview", () => {
  const failure = parseNbconvertFailure(TIMEOUT_STDERR);
  assert.match(failure.message, /^nbclient\.exceptions\.CellTimeoutError: A cell timed out/);
  assert.equal(failure.sourceIsPreview, true);
  assert.equal(failure.cellSource, "await new Promise((r) => setTimeout(r, 5000));\n...");
});

Deno.test("parseNbconvertFailure() reports a dead kernel, an unknown kernel or anything else", () => {
  assert.deepEqual(parseNbconvertFailure(DEAD_KERNEL_STDERR), {
    message: "nbclient.exceptions.DeadKernelError: Kernel died",
  });
  assert.equal(
    parseNbconvertFailure(
      "  File x\njupyter_client.kernelspec.NoSuchKernel: No such kernel named x",
    )
      .message,
    "jupyter_client.kernelspec.NoSuchKernel: No such kernel named x",
  );
  assert.equal(parseNbconvertFailure("something odd\n").message, "something odd");
  assert.equal(parseNbconvertFailure("").message, "nbconvert failed without saying why");
});

Deno.test("findCellIndex() finds a cell by its full source, or by a timeout's preview", () => {
  assert.equal(
    findCellIndex(
      NOTEBOOK,
      'import assert from "node:assert/strict";\nassert.equal(a, 2, "a should be 2");',
    ),
    3,
  );
  assert.equal(findCellIndex(NOTEBOOK, "const a = 1;\na;"), 2);
  assert.equal(findCellIndex(NOTEBOOK, "const a = 1;"), undefined);
  assert.equal(findCellIndex(NOTEBOOK, "# x"), undefined, "markdown cells are not code");
  assert.equal(
    findCellIndex(NOTEBOOK, "await new Promise((r) => setTimeout(r, 5000));\n...", {
      preview: true,
    }),
    4,
  );
});

Deno.test("formatRun() prints PASS or FAIL, the wall time, the cell and the indented error", () => {
  assert.equal(
    formatRun({ notebook: "n/01.ipynb", ok: true, wallMs: 12_345 }),
    "PASS n/01.ipynb (12.3s)",
  );
  assert.equal(
    formatRun({ notebook: "n/02.ipynb", ok: false, wallMs: 500, failedCell: 4, error: "E: x\ny" }),
    "FAIL n/02.ipynb (0.5s)\n  cell 4:\n    E: x\n    y",
  );
});

/** A stand-in for `jupyter` that records its arguments and environment and plays a script. */
async function fakeJupyter(dir: string, body: string): Promise<string> {
  const path = join(dir, "fake-jupyter");
  await Deno.writeTextFile(
    path,
    `#!/bin/sh
if [ "$1" = nbconvert ] && [ "$2" = --version ]; then echo 6.5.3; exit 0; fi
printf '%s\\n' "$*" >> "${dir}/calls.log"
printf 'url=%s target=%s jupyter_path=%s\\n' "$AWS_ENDPOINT_URL" "$SAGEMAKER_ASYNC_TARGET" "$JUPYTER_PATH" >> "${dir}/env.log"
${body}
`,
  );
  await Deno.chmod(path, 0o755);
  return path;
}

async function withNotebookDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "run-notebooks-test-" });
  try {
    await Deno.writeTextFile(join(dir, "x.ipynb"), JSON.stringify(NOTEBOOK));
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("runNotebook() reports a failing cell by its number, from nbconvert's stderr", async () => {
  await withNotebookDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "stderr.txt"), CELL_ERROR_STDERR);
    const jupyter = await fakeJupyter(dir, `cat "${dir}/stderr.txt" >&2; exit 1`);
    const run = await runNotebook(join(dir, "x.ipynb"), { jupyter, outputDir: dir });
    assert.equal(run.ok, false);
    assert.equal(run.failedCell, 3);
    assert.match(run.error ?? "", /a should be 2/);
    const [args] = (await Deno.readTextFile(join(dir, "calls.log"))).trim().split("\n");
    assert.match(args!, /^nbconvert --to notebook --execute /);
    assert.match(args!, /--ExecutePreprocessor\.kernel_name=deno-project /);
    assert.match(args!, /--ExecutePreprocessor\.timeout=900 /);
    assert.ok(args!.endsWith(`--output-dir ${dir} ${join(dir, "x.ipynb")}`), args);
  });
});

Deno.test("runNotebook() passes on exit code 0 and hands the environment to nbconvert", async () => {
  await withNotebookDir(async (dir) => {
    const jupyter = await fakeJupyter(dir, "exit 0");
    const run = await runNotebook(join(dir, "x.ipynb"), {
      jupyter,
      outputDir: dir,
      jupyterPath: join(dir, "kernels-here"),
      cellTimeoutSeconds: 42,
      env: { AWS_ENDPOINT_URL: "http://127.0.0.1:1", SAGEMAKER_ASYNC_TARGET: "local" },
    });
    assert.equal(run.ok, true);
    assert.equal(run.error, undefined);
    assert.ok(run.wallMs >= 0);
    assert.equal(
      (await Deno.readTextFile(join(dir, "env.log"))).trim(),
      `url=http://127.0.0.1:1 target=local jupyter_path=${join(dir, "kernels-here")}`,
    );
    assert.match(await Deno.readTextFile(join(dir, "calls.log")), /timeout=42 /);
  });
});

Deno.test("runNotebook() rejects with the signal's reason when aborted", async () => {
  await withNotebookDir(async (dir) => {
    const jupyter = await fakeJupyter(dir, "exec sleep 30");
    const controller = new AbortController();
    const reason = new Error("stop");
    const run = runNotebook(join(dir, "x.ipynb"), { jupyter, signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    await assert.rejects(run, (error) => error === reason);
  });
});

Deno.test("runNotebookSeries() points every notebook at one emulator and runs them all", async () => {
  await withNotebookDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "y.ipynb"), JSON.stringify(NOTEBOOK));
    await Deno.writeTextFile(join(dir, "stderr.txt"), DEAD_KERNEL_STDERR);
    // The first notebook fails; the second must still run.
    const jupyter = await fakeJupyter(
      dir,
      `case "$*" in *x.ipynb) cat "${dir}/stderr.txt" >&2; exit 1;; esac; exit 0`,
    );
    const seen: string[] = [];
    const result = await runNotebookSeries({
      notebooks: [join(dir, "x.ipynb"), join(dir, "y.ipynb")],
      jupyter,
      outputDir: dir,
      timeScale: 120,
      env: { SAGEMAKER_ASYNC_ENDPOINT: "nb-test" },
      onRun: (run) => seen.push(`${run.ok} ${run.notebook}`),
    });
    assert.deepEqual(seen, [`false ${join(dir, "x.ipynb")}`, `true ${join(dir, "y.ipynb")}`]);
    assert.equal(result.runs[0]?.error, "nbclient.exceptions.DeadKernelError: Kernel died");
    assert.deepEqual(result.leftovers, []);
    const envs = (await Deno.readTextFile(join(dir, "env.log"))).trim().split("\n");
    assert.equal(envs.length, 2);
    assert.equal(envs[0], envs[1], "both notebooks talk to the same emulator");
    assert.match(envs[0]!, /^url=http:\/\/127\.0\.0\.1:\d+ target=local /);
  });
});

Deno.test("runNotebookSeries() lists what the notebooks left behind in the emulator", async () => {
  await withNotebookDir(async (dir) => {
    // The "notebook" creates a model through the environment it was given and never deletes it.
    await Deno.writeTextFile(
      join(dir, "forget_a_model.ts"),
      `import { CreateModelCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
const env = (name: string) => Deno.env.get(name)!;
const sagemaker = new SageMakerClient({
  endpoint: env("AWS_ENDPOINT_URL"),
  region: env("AWS_REGION"),
  credentials: { accessKeyId: env("AWS_ACCESS_KEY_ID"), secretAccessKey: env("AWS_SECRET_ACCESS_KEY") },
});
await sagemaker.send(new CreateModelCommand({
  ModelName: "forgotten-model",
  ExecutionRoleArn: "arn:aws:iam::000000000000:role/r",
  PrimaryContainer: { Image: "example.com/tgi:1" },
}));
sagemaker.destroy();
`,
    );
    const jupyter = await fakeJupyter(
      dir,
      `"${Deno.execPath()}" run --allow-env --allow-net --allow-sys --allow-read --config "${
        join(ROOT, "deno.json")
      }" ` +
        `"${join(dir, "forget_a_model.ts")}" || exit 1`,
    );
    const result = await runNotebookSeries({
      notebooks: [join(dir, "x.ipynb")],
      jupyter,
      outputDir: dir,
    });
    assert.deepEqual(result.runs.map((r) => r.ok), [true], result.runs[0]?.error);
    assert.deepEqual(result.leftovers, ["model forgotten-model"]);
  });
});

Deno.test("runNotebookSeries() on AWS starts no emulator and selects the aws target", async () => {
  await withNotebookDir(async (dir) => {
    const jupyter = await fakeJupyter(dir, "exit 0");
    const result = await runNotebookSeries({
      notebooks: [join(dir, "x.ipynb")],
      target: "aws",
      jupyter,
      outputDir: dir,
      env: { AWS_ENDPOINT_URL: "" },
    });
    assert.deepEqual(result.runs.map((r) => r.ok), [true]);
    assert.deepEqual(result.leftovers, []);
    assert.match(await Deno.readTextFile(join(dir, "env.log")), /^url= target=aws /);
  });
});

Deno.test("runNotebookSeries() checks its options before starting anything", async () => {
  await assert.rejects(runNotebookSeries({ notebooks: [] }), TypeError);
  await assert.rejects(
    runNotebookSeries({ notebooks: ["a.ipynb"], timeScale: 0 }),
    /Invalid timeScale 0: must be a number > 0/,
  );
  await assert.rejects(
    runNotebookSeries({ notebooks: ["a.ipynb"], target: "gcp" as "aws" }),
    /Invalid target "gcp": must be "local" or "aws"/,
  );
});

Deno.test("nbconvertVersion() is the version, or undefined without Jupyter", async () => {
  await withNotebookDir(async (dir) => {
    assert.equal(await nbconvertVersion(await fakeJupyter(dir, "exit 0")), "6.5.3");
    assert.equal(await nbconvertVersion(join(dir, "no-such-jupyter")), undefined);
  });
});

Deno.test("main() exits 2 on bad flags and 0 for --help, before running anything", async () => {
  const help = captureIo({});
  assert.equal(await main(["--help"], help.io), 0);
  assert.match(help.output.out, /^Usage: deno task nb:run/);
  for (
    const [args, message] of [
      [["--timeout", "soon"], /--timeout "soon"/],
      [["--time-scale", "0"], /--time-scale "0": must be a number greater than 0/],
      [["--bogus"], /--bogus/],
      [["--dir", "/definitely/not/here"], /Cannot list notebooks in \/definitely\/not\/here/],
      [["--aws"], /--aws needs a region/],
    ] as const
  ) {
    const { io, output } = captureIo({});
    assert.equal(await main([...args], io), 2, args.join(" "));
    assert.match(output.err, message);
  }
});
