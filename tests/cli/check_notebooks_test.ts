import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import {
  checkFileFor,
  extractNotebookCode,
  findCommitProblems,
  main,
  mapCheckOutput,
  type NotebookJson,
  typeCheckNotebooks,
} from "../../cli/check_notebooks.ts";
import { captureIo } from "./_task_env.ts";
import { stripNotebook } from "../../cli/strip_notebooks.ts";

function clean(sources: string[]): NotebookJson {
  return stripNotebook({
    cells: [
      { cell_type: "markdown", source: "# 00 · Title" },
      ...sources.map((source) => ({ cell_type: "code", source })),
    ],
  }, "t");
}

Deno.test("extractNotebookCode() concatenates code cells in order and records where each starts", () => {
  const { code, cells } = extractNotebookCode({
    cells: [
      { cell_type: "markdown", source: "# title" },
      { cell_type: "code", source: ["const a = 1;\n", "a;"] },
      { cell_type: "code", source: "%timeit a\nconst b = a + 1;" },
    ],
  }, "n.ipynb");
  const lines = code.split("\n");
  assert.equal(lines[0], "// deno-lint-ignore-file");
  assert.match(lines[1]!, /Generated from n\.ipynb/);
  assert.deepEqual(cells.map((c) => c.index), [2, 3]);
  assert.equal(lines[cells[0]!.firstLine - 1], "const a = 1;");
  assert.equal(lines[cells[0]!.firstLine - 2], "// --- cell 2");
  assert.equal(lines[cells[1]!.firstLine - 1], "", "magics are blanked, keeping line numbers");
  assert.equal(lines[cells[1]!.firstLine], "const b = a + 1;");
  assert.ok(code.trimEnd().endsWith("export {};"));
});

Deno.test("mapCheckOutput() names the notebook, cell and line of each type error", () => {
  const file = "notebooks/01_x.nbcheck.mts";
  const mapped = mapCheckOutput(
    `TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.\n` +
      `    at file://${resolve(file)}:9:7\n`,
    [{
      notebook: "notebooks/01_x.ipynb",
      file,
      cells: [{ index: 2, firstLine: 5 }, {
        index: 4,
        firstLine: 8,
      }],
    }],
  );
  assert.match(mapped, /:9:7 \(notebooks\/01_x\.ipynb cell 4, line 2\)/);
});

Deno.test("checkFileFor() puts the extraction next to the notebook", () => {
  assert.equal(checkFileFor("notebooks/03_invoke.ipynb"), "notebooks/03_invoke.nbcheck.mts");
});

Deno.test("findCommitProblems() accepts a stripped notebook", () => {
  assert.deepEqual(findCommitProblems(clean(["const a = 1;"])), []);
});

Deno.test("findCommitProblems() reports outputs, execution counts and extra metadata", () => {
  const notebook = clean(["1 + 1"]);
  const cell = notebook.cells[1]!;
  cell.outputs = [{ output_type: "execute_result" }];
  cell.execution_count = 3;
  cell.metadata = { execution: {} };
  notebook.metadata = { ...notebook.metadata, widgets: {} };
  const problems = findCommitProblems(notebook, "n.ipynb");
  assert.deepEqual(problems, [
    "n.ipynb: notebook metadata must hold only kernelspec and language_info, not widgets",
    "n.ipynb cell 2: has 1 output(s); commit notebooks without outputs (deno task nb:strip)",
    "n.ipynb cell 2: execution_count must be null, is 3",
    "n.ipynb cell 2: cell metadata must hold only tags, not execution",
  ]);
});

Deno.test("findCommitProblems() wants the project kernel, TypeScript and unique cell ids", () => {
  const notebook = clean(["1", "2"]);
  notebook.metadata = { kernelspec: { name: "deno" }, language_info: { name: "javascript" } };
  notebook.cells[2]!.id = notebook.cells[1]!.id;
  delete notebook.cells[0]!.id;
  notebook.nbformat_minor = 4;
  const problems = findCommitProblems(notebook, "n");
  assert.equal(problems.length, 5, problems.join("\n"));
  assert.match(problems[0]!, /nbformat must be 4\.5 or later/);
  assert.match(problems[1]!, /kernelspec\.name must be "deno-project"/);
  assert.match(problems[2]!, /language_info\.name must be "typescript"/);
  assert.match(problems[3]!, /^n cell 1: needs an id/);
  assert.match(problems[4]!, /^n cell 3: id "t-2" is used by an earlier cell/);
});

Deno.test("findCommitProblems() finds machine paths, account ids and access keys in any cell", () => {
  // Built from parts so this file does not itself hold machine paths.
  const home = "/" + "home", work = "/" + "work", tmp = "/" + "tmp";
  const cases: [string, RegExp][] = [
    [`import x from "${home}/alice/project/lib/mod.ts";`, /a machine path \("\/home\/alice"\)/],
    ["// see /Users/bob/notes", /a machine path/],
    [`await Deno.readTextFile("${work}/main/x")`, /a machine path \("\/work\/"\)/],
    [`file://${tmp}/x.ts`, /a machine path/],
    ['const role = "arn:aws:iam::123456789012:role/x";', /a 12-digit AWS account id/],
    ['const key = "AKIAIOSFODNN7EXAMPLE";', /an AWS access key id/],
  ];
  for (const [source, expected] of cases) {
    const problems = findCommitProblems(clean([source]), "n");
    assert.equal(problems.length, 1, `${source}: ${problems.join("; ")}`);
    assert.match(problems[0]!, expected);
  }
  const markdown = clean([]);
  markdown.cells[0]!.source = "Deploy to account 210987654321";
  assert.match(findCommitProblems(markdown).join(), /12-digit AWS account id/);
  assert.deepEqual(
    findCommitProblems(clean(["const ms = 30 * 60_000; const big = 1234567890123;"])),
    [],
    "other numbers are fine",
  );
});

Deno.test("main() fails on a cell that does not type-check and passes once it does", async () => {
  const dir = await Deno.makeTempDir({ prefix: "check-notebooks-test-" });
  try {
    const path = join(dir, "01_bad.ipynb");
    await Deno.writeTextFile(
      path,
      JSON.stringify(clean(['const greeting = "hi";', "const n: number = greeting;"])),
    );
    const failing = captureIo({});
    assert.equal(await main(["--dir", dir], failing.io), 1);
    assert.match(failing.output.err, /TS2322/);
    assert.match(failing.output.err, /01_bad\.ipynb cell 3, line 1\)/, "mapped to the cell");
    assert.equal(failing.output.out, "1 notebook(s): problems found\n");
    await Deno.writeTextFile(
      path,
      JSON.stringify(clean(['const greeting = "hi";', "const n: number = greeting.length;"])),
    );
    const passing = captureIo({});
    assert.equal(await main(["--dir", dir], passing.io), 0);
    assert.equal(passing.output.out, "1 notebook(s): OK\n");
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["01_bad.ipynb"]);
    await main(["--dir", dir, "--keep"], captureIo({}).io);
    assert.ok(Deno.statSync(join(dir, "01_bad.nbcheck.mts")).isFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main() fails on a notebook committed with outputs even if it type-checks", async () => {
  const dir = await Deno.makeTempDir({ prefix: "check-notebooks-test-" });
  try {
    const notebook = clean(["const a = 1;"]);
    notebook.cells[1]!.outputs = [{ output_type: "stream", text: "1" }];
    await Deno.writeTextFile(join(dir, "01.ipynb"), JSON.stringify(notebook));
    const { io, output } = captureIo({});
    assert.equal(await main(["--dir", dir], io), 1);
    assert.match(output.err, /not clean: .*01\.ipynb cell 2: has 1 output\(s\)/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main() exits 2 on an unknown flag and 1 without notebooks", async () => {
  assert.equal(await main(["--bogus"], captureIo({}).io), 2);
  const dir = await Deno.makeTempDir();
  try {
    const { io, output } = captureIo({});
    assert.equal(await main(["--dir", dir], io), 1);
    assert.equal(output.err, `No notebooks in ${dir}\n`);
  } finally {
    await Deno.remove(dir);
  }
});

Deno.test("typeCheckNotebooks() reports type errors against the cell and removes its files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "check-notebooks-test-" });
  try {
    const path = join(dir, "02_types.ipynb");
    await Deno.writeTextFile(path, JSON.stringify(clean(["const n: number = 'one';"])));
    const failed = await typeCheckNotebooks([path]);
    assert.equal(failed.ok, false);
    assert.match(failed.output, /02_types\.ipynb cell 2, line 1\)/);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["02_types.ipynb"]);
    await Deno.writeTextFile(path, JSON.stringify(clean(["const n: number = 1;"])));
    const passed = await typeCheckNotebooks([path], { keep: true });
    assert.equal(passed.ok, true, passed.output);
    assert.ok(Deno.statSync(join(dir, "02_types.nbcheck.mts")).isFile, "kept");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
