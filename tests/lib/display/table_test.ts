import assert from "node:assert/strict";
import { toTable } from "../../../lib/display/table.ts";

const ROWS = [
  { policy: "falcon-backlog-target", type: "TargetTrackingScaling", target: 5 },
  { policy: "falcon-wake-from-zero", type: "StepScaling", target: 12.5 },
];

Deno.test("toTable() aligns plain text columns, right-aligning numbers", () => {
  assert.equal(
    toTable(ROWS).toString(),
    [
      "policy                 type                   target",
      "---------------------  ---------------------  ------",
      "falcon-backlog-target  TargetTrackingScaling       5",
      "falcon-wake-from-zero  StepScaling              12.5",
    ].join("\n"),
  );
});

Deno.test("toTable() renders a GitHub Markdown table with alignment markers", () => {
  assert.equal(
    toTable(ROWS, ["policy", { key: "target", label: "Target value" }]).toMarkdown(),
    [
      "| policy                | Target value |",
      "| :-------------------- | -----------: |",
      "| falcon-backlog-target |            5 |",
      "| falcon-wake-from-zero |         12.5 |",
    ].join("\n"),
  );
});

Deno.test("toTable() escapes HTML in headers and cells and keeps line breaks as <br>", () => {
  const html = toTable(
    [{ "<th>": `<script>alert("x")</script>`, note: "a & b\nc" }],
  ).toHtml();
  assert.ok(!html.includes("<script>"), html);
  assert.ok(html.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
  assert.ok(html.includes(`<th style="text-align:left">&lt;th&gt;</th>`));
  assert.ok(html.includes("a &amp; b<br>c"));
  assert.match(html, /^<table class="sagemaker-async-table">[\s\S]*<\/table>$/);
});

Deno.test("toTable() escapes Markdown syntax so cells cannot break the table", () => {
  const md = toTable([{ name: "a|b", value: "*bold* <i>x</i> &amp;" }]).toMarkdown();
  const body = md.split("\n")[2]!;
  assert.equal(body.split(/(?<!\\)\|/).length, 4, "only the three column separators split");
  assert.ok(body.includes("a\\|b"));
  assert.ok(body.includes("\\*bold\\* \\<i\\>x\\</i\\> \\&amp;"));
});

Deno.test("toTable() formats missing values, dates, booleans, bigints and objects", () => {
  const table = toTable([
    {
      none: null,
      when: new Date(Date.UTC(2026, 0, 1, 12)),
      ok: true,
      big: 12n,
      dims: { Name: "EndpointName", Value: "falcon" },
    },
    { missing: undefined },
  ]);
  assert.deepEqual(table.columns.map((c) => c.key), [
    "none",
    "when",
    "ok",
    "big",
    "dims",
    "missing",
  ]);
  assert.deepEqual(table.cells[0], [
    "",
    "2026-01-01T12:00:00.000Z",
    "true",
    "12",
    '{"Name":"EndpointName","Value":"falcon"}',
    "",
  ]);
  assert.equal(table.columns[3]!.align, "right");
  assert.equal(table.columns[2]!.align, "left");
});

Deno.test("toTable() applies column labels, alignment and format functions", () => {
  const table = toTable(ROWS, [
    { key: "policy", label: "Policy", align: "right" },
    { key: "target", format: (value, row) => `${value} (${row.type})` },
  ]);
  assert.deepEqual(table.columns.map((c) => [c.label, c.align]), [
    ["Policy", "right"],
    ["target", "right"],
  ]);
  assert.equal(table.cells[1]![1], "12.5 (StepScaling)");
});

Deno.test("toTable() displays in Jupyter as HTML, Markdown and plain text", () => {
  const table = toTable(ROWS);
  const display = (table as unknown as Record<symbol, () => Record<string, string>>)[
    Symbol.for("Jupyter.display")
  ]!;
  const bundle = display.call(table);
  assert.deepEqual(bundle, {
    "text/html": table.toHtml(),
    "text/markdown": table.toMarkdown(),
    "text/plain": table.toString(),
  });
  assert.equal(Deno.inspect(table), table.toString());
});

Deno.test("toTable() says when there are no rows or no columns", () => {
  assert.equal(toTable([], ["endpoint"]).toString(), "endpoint\n--------\n(no rows)");
  assert.match(toTable([], ["endpoint"]).toHtml(), /<td colspan="1"><em>\(no rows\)<\/em><\/td>/);
  assert.equal(toTable([]).toString(), "(empty table)");
});

Deno.test("toTable() rejects rows and columns of the wrong shape, naming them", () => {
  assert.throws(
    () => toTable("falcon" as unknown as object[]),
    (e: unknown) =>
      e instanceof TypeError && /from "falcon": rows must be an array/.test(e.message),
  );
  assert.throws(
    () => toTable([{ a: 1 }, null as unknown as object]),
    (e: unknown) =>
      e instanceof TypeError && /row 1 is null; each row must be an object/.test(e.message),
  );
  assert.throws(
    () => toTable([{ a: 1 }], [{ key: "a", align: "center" as "left" }]),
    (e: unknown) =>
      e instanceof TypeError && /column 0 .*align must be "left" or "right"/.test(e.message),
  );
  assert.throws(
    () => toTable([{ a: 1 }], [""]),
    (e: unknown) => e instanceof TypeError && /column 0/.test(e.message),
  );
});
