/**
 * The notebooks as CI sees them: committed clean, their code cells
 * type-check, and every one runs top to bottom with real Jupyter, in order,
 * against one local emulator (the same series `deno task nb:run` runs).
 * Without Jupyter the last test is skipped with a printed reason, unless
 * `SAGEMAKER_ASYNC_REQUIRE_ALL_TOOLS=1` (set by `.ci/run`), where a missing
 * Jupyter fails it. (`deno fmt` leaves the notebooks out: Deno 2.9.6's
 * `fmt --check` misreports every `.ipynb` file on a cold cache, so their
 * code cells are checked by formatting them through stdin instead.)
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  cellSource,
  findCommitProblems,
  listNotebooks,
  type NotebookJson,
  typeCheckNotebooks,
} from "../cli/check_notebooks.ts";
import { formatRun, nbconvertVersion, runNotebookSeries } from "../cli/run_notebooks.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NOTEBOOK_DIR = join(ROOT, "notebooks");
/** The series the issue asks for; a renamed or missing one fails here. */
const EXPECTED = [
  "01_deploy.ipynb",
  "02_scale_to_zero.ipynb",
  "03_invoke.ipynb",
  "04_watch_scaling.ipynb",
  "05_teardown.ipynb",
  "06_langchain.ipynb",
];

const notebooks = await listNotebooks(NOTEBOOK_DIR);
const requireAllTools = Deno.env.get("SAGEMAKER_ASYNC_REQUIRE_ALL_TOOLS") === "1";
const nbconvert = await nbconvertVersion();
if (nbconvert === undefined && !requireAllTools) {
  // deno-lint-ignore no-console
  console.warn(
    "tests/notebooks_test.ts: skipping the notebook run: `jupyter nbconvert` is not installed " +
      "(set SAGEMAKER_ASYNC_REQUIRE_ALL_TOOLS=1 to make this a failure)",
  );
}

Deno.test("notebooks/ holds the numbered series 01-06", () => {
  assert.deepEqual(notebooks.map((n) => n.slice(NOTEBOOK_DIR.length + 1)), EXPECTED);
});

Deno.test("every notebook is committed clean: no outputs, counts, paths or account ids", async () => {
  for (const notebook of notebooks) {
    const json = JSON.parse(await Deno.readTextFile(notebook)) as NotebookJson;
    assert.deepEqual(findCommitProblems(json, notebook), [], notebook);
  }
});

Deno.test("every notebook opens with an H1 title and the config cell's openTarget()", async () => {
  for (const notebook of notebooks) {
    const json = JSON.parse(await Deno.readTextFile(notebook)) as NotebookJson;
    const text = (cell: NotebookJson["cells"][number] | undefined) =>
      cell === undefined ? "" : cellSource(cell);
    assert.match(text(json.cells[0]), /^# \d\d · \S/, `${notebook}: first cell is the H1 title`);
    const firstCode = json.cells.find((c) => c.cell_type === "code");
    assert.match(
      text(firstCode),
      /const target = await openTarget\(\);/,
      `${notebook}: the first code cell opens the target`,
    );
    assert.match(text(json.cells.findLast((c) => c.cell_type === "code")), /target\.close\(\)/);
  }
});

Deno.test("the notebooks' code cells are formatted as deno fmt formats them", async () => {
  for (const notebook of notebooks) {
    const text = await Deno.readTextFile(notebook);
    const child = new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--ext=ipynb", "-"],
      cwd: ROOT,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(text));
    await writer.close();
    const out = await child.output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    assert.equal(
      new TextDecoder().decode(out.stdout),
      text,
      `${notebook}: run deno task nb:strip after deno fmt`,
    );
  }
});

Deno.test("the notebooks' code cells type-check (extracted, then deno check)", async () => {
  const checked = await typeCheckNotebooks(notebooks, { cwd: ROOT });
  assert.ok(checked.ok, checked.output);
});

Deno.test({
  name: "every notebook runs top to bottom with real Jupyter, in order, against one emulator",
  ignore: nbconvert === undefined && !requireAllTools,
  async fn() {
    assert.ok(
      nbconvert !== undefined,
      "`jupyter nbconvert` is required (SAGEMAKER_ASYNC_REQUIRE_ALL_TOOLS=1): install " +
        "jupyter-nbconvert, python3-nbclient and jupyter-client",
    );
    const outputDir = await Deno.makeTempDir({ prefix: "nb-out-" });
    try {
      const result = await runNotebookSeries({
        notebooks,
        timeScale: 120,
        cellTimeoutSeconds: 300,
        outputDir,
        jupyterPath: join(ROOT, ".jupyter"),
      });
      const report = result.runs.map(formatRun).join("\n");
      // deno-lint-ignore no-console
      console.log(`${report}\nseries: ${(result.wallMs / 1000).toFixed(1)}s`);
      assert.deepEqual(result.runs.map((r) => r.ok), notebooks.map(() => true), report);
      assert.deepEqual(result.leftovers, [], "the notebooks must tear down what they create");
    } finally {
      await Deno.remove(outputDir, { recursive: true });
    }
  },
});
