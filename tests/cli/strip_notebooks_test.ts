import assert from "node:assert/strict";
import { join } from "node:path";
import { findCommitProblems, listNotebooks, type NotebookJson } from "../../cli/check_notebooks.ts";
import {
  main,
  NOTEBOOK_KERNELSPEC,
  serializeNotebook,
  stripNotebook,
} from "../../cli/strip_notebooks.ts";
import { captureIo } from "./_task_env.ts";

/** A notebook as Jupyter saves it after a run. */
const RUN: NotebookJson = {
  cells: [
    { cell_type: "markdown", id: "intro", metadata: {}, source: ["# 01 · Title"] },
    {
      cell_type: "code",
      id: "intro",
      execution_count: 7,
      metadata: { tags: ["parameters"], execution: { "iopub.status.busy": "2026-01-01" } },
      outputs: [{ output_type: "execute_result", data: { "text/plain": "1" } }],
      source: ["const a = 1;\n", "a;"],
    },
    { cell_type: "code", execution_count: 8, metadata: {}, outputs: [], source: "a + 1" },
  ],
  metadata: {
    kernelspec: { name: "deno", display_name: "Deno", language: "typescript" },
    language_info: { name: "typescript", version: "5.9.2" },
    widgets: { state: {} },
  },
  nbformat: 4,
  nbformat_minor: 4,
};

Deno.test("stripNotebook() leaves what can be committed and passes findCommitProblems()", () => {
  const stripped = stripNotebook(RUN, "01");
  assert.deepEqual(findCommitProblems(stripped), []);
  assert.deepEqual(stripped.cells.map((c) => c.id), ["intro", "01-2", "01-3"]);
  assert.deepEqual(stripped.cells[1], {
    cell_type: "code",
    execution_count: null,
    id: "01-2",
    metadata: { tags: ["parameters"] },
    outputs: [],
    source: ["const a = 1;\n", "a;"],
  });
  assert.deepEqual(stripped.metadata?.kernelspec, NOTEBOOK_KERNELSPEC);
  assert.equal(stripped.nbformat_minor, 5);
  assert.equal(RUN.cells[1]!.outputs!.length, 1, "the input is not modified");
});

Deno.test("stripNotebook() is idempotent", () => {
  const once = stripNotebook(RUN, "01");
  assert.equal(serializeNotebook(stripNotebook(once, "01")), serializeNotebook(once));
});

Deno.test("serializeNotebook() writes sorted keys with one-space indents, as Jupyter does", () => {
  assert.equal(
    serializeNotebook({ nbformat: 4, cells: [{ source: "x", cell_type: "code" }] }),
    '{\n "cells": [\n  {\n   "cell_type": "code",\n   "source": "x"\n  }\n ],\n "nbformat": 4\n}\n',
  );
});

Deno.test("the committed notebooks are already stripped", async () => {
  for (const path of await listNotebooks(new URL("../../notebooks", import.meta.url).pathname)) {
    const text = await Deno.readTextFile(path);
    assert.equal(
      serializeNotebook(stripNotebook(JSON.parse(text))),
      serializeNotebook(JSON.parse(text)),
      path,
    );
  }
});

Deno.test("main() strips in place; --check reports what would change without writing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "strip-notebooks-test-" });
  try {
    const path = join(dir, "01_run.ipynb");
    await Deno.writeTextFile(path, JSON.stringify(RUN));
    const checked = captureIo({});
    assert.equal(await main(["--dir", dir, "--check"], checked.io), 1);
    assert.equal(checked.output.out, `would strip ${path}\n1 notebook(s), 1 to strip\n`);
    assert.equal(await Deno.readTextFile(path), JSON.stringify(RUN), "--check writes nothing");
    assert.equal(await main(["--dir", dir], captureIo({}).io), 0);
    const stripped = JSON.parse(await Deno.readTextFile(path)) as NotebookJson;
    assert.deepEqual(findCommitProblems(stripped), []);
    assert.equal(stripped.cells[1]!.id, "01_run-2");
    assert.equal(await main(["--dir", dir, "--check"], captureIo({}).io), 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const bad = captureIo({});
  assert.equal(await main(["--nope"], bad.io), 2);
  assert.match(bad.output.err, /--nope/);
});
