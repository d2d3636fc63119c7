/**
 * Tables that show as HTML in Jupyter and as aligned text or Markdown elsewhere.
 *
 * @module
 */
import { displayWidth, escapeHtml, pad, singleLine } from "./_text.ts";

/** How one column is taken from the rows and shown. */
export interface TableColumn<Row extends object = Record<string, unknown>> {
  /** The property read from each row. */
  key: string;
  /** Header text. Default: `key`. */
  label?: string;
  /**
   * Alignment of the cells. Default: `right` when every non-empty value in the column is a
   * number or bigint, `left` otherwise.
   */
  align?: "left" | "right";
  /** Turns a value into cell text. Default: see {@linkcode toTable}. */
  format?: (value: unknown, row: Row) => string;
}

/** A column given as its key, or in full. */
export type TableColumnSpec<Row extends object = Record<string, unknown>> =
  | string
  | TableColumn<Row>;

/** A column of a built {@linkcode Table}. */
export interface ResolvedTableColumn {
  /** The property the cells were read from. */
  readonly key: string;
  /** Header text. */
  readonly label: string;
  /** Alignment of the cells. */
  readonly align: "left" | "right";
}

const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");
const DENO_CUSTOM_INSPECT = Symbol.for("Deno.customInspect");
const EMPTY = "(empty table)";
const NO_ROWS = "(no rows)";

/**
 * A table of formatted cells. Shows as an HTML table in Jupyter (it implements
 * `Symbol.for("Jupyter.display")` with `text/html`, `text/markdown` and `text/plain`), as
 * aligned text from `toString()` (also what `console.log` shows), and as a GitHub-flavoured
 * Markdown table from `toMarkdown()`. Cell text is escaped for HTML and Markdown.
 */
export class Table {
  /** The columns, in order. */
  readonly columns: readonly ResolvedTableColumn[];
  /** Cell text, one array per row, one string per column. */
  readonly cells: readonly (readonly string[])[];

  /** Use {@linkcode toTable}. */
  constructor(init: { columns: readonly ResolvedTableColumn[]; cells: readonly string[][] }) {
    this.columns = init.columns;
    this.cells = init.cells;
  }

  /** Aligned plain text: a header, a dashed rule and one line per row (two spaces apart). */
  toString(): string {
    if (this.columns.length === 0) return EMPTY;
    const header = this.columns.map((c) => singleLine(c.label));
    const body = this.cells.map((row) => row.map(singleLine));
    const widths = this.#widths(header, body);
    const line = (cells: readonly string[], align: (i: number) => "left" | "right") =>
      cells.map((cell, i) => pad(cell, widths[i]!, align(i))).join("  ").trimEnd();
    const lines = [
      line(header, (i) => this.columns[i]!.align),
      widths.map((w) => "-".repeat(w)).join("  "),
      ...body.map((row) => line(row, (i) => this.columns[i]!.align)),
    ];
    if (body.length === 0) lines.push(NO_ROWS);
    return lines.join("\n");
  }

  /** A GitHub-flavoured Markdown table with alignment markers and escaped cells. */
  toMarkdown(): string {
    if (this.columns.length === 0) return escapeMarkdown(EMPTY);
    const header = this.columns.map((c) => escapeMarkdown(singleLine(c.label)));
    const body = this.cells.map((row) => row.map((cell) => escapeMarkdown(singleLine(cell))));
    const widths = this.#widths(header, body).map((w) => Math.max(3, w));
    const line = (cells: readonly string[]) =>
      `| ${cells.map((cell, i) => pad(cell, widths[i]!, this.columns[i]!.align)).join(" | ")} |`;
    const rule = `| ${
      widths.map((w, i) =>
        this.columns[i]!.align === "right" ? `${"-".repeat(w - 1)}:` : `:${"-".repeat(w - 1)}`
      ).join(" | ")
    } |`;
    const lines = [line(header), rule, ...body.map(line)];
    if (body.length === 0) lines.push(escapeMarkdown(NO_ROWS));
    return lines.join("\n");
  }

  /** An HTML `<table>` with escaped cells; line breaks in cells become `<br>`. */
  toHtml(): string {
    if (this.columns.length === 0) return `<p><em>${escapeHtml(EMPTY)}</em></p>`;
    const cell = (tag: "th" | "td", text: string, i: number) =>
      `<${tag} style="text-align:${this.columns[i]!.align}">${
        escapeHtml(text).replace(/\r?\n/g, "<br>")
      }</${tag}>`;
    const head = `<tr>${this.columns.map((c, i) => cell("th", c.label, i)).join("")}</tr>`;
    const rows = this.cells.length === 0
      ? `<tr><td colspan="${this.columns.length}"><em>${escapeHtml(NO_ROWS)}</em></td></tr>`
      : this.cells.map((row) => `<tr>${row.map((text, i) => cell("td", text, i)).join("")}</tr>`)
        .join("\n");
    return `<table class="sagemaker-async-table">\n<thead>${head}</thead>\n<tbody>\n${rows}\n` +
      `</tbody>\n</table>`;
  }

  /** The MIME bundle Jupyter shows: HTML, Markdown and plain text. */
  [JUPYTER_DISPLAY](): Record<"text/html" | "text/markdown" | "text/plain", string> {
    return {
      "text/html": this.toHtml(),
      "text/markdown": this.toMarkdown(),
      "text/plain": this.toString(),
    };
  }

  /** `console.log(table)` prints the aligned text. */
  [DENO_CUSTOM_INSPECT](): string {
    return this.toString();
  }

  #widths(header: readonly string[], body: readonly (readonly string[])[]): number[] {
    return header.map((label, i) =>
      Math.max(displayWidth(label), ...body.map((row) => displayWidth(row[i]!)))
    );
  }
}

/**
 * Builds a {@linkcode Table} from objects. Columns default to every key of the rows, in order
 * of first appearance; give `columns` to pick, order, relabel, align or format them.
 *
 * Default cell text: `""` for `undefined` and `null`; strings as they are; numbers, bigints
 * and booleans with `String`; dates as ISO 8601; anything else as JSON. Numeric columns are
 * right-aligned.
 *
 * @example
 * ```ts
 * import { toTable } from "@sagemaker-async/toolkit/display";
 *
 * const table = toTable([
 *   { endpoint: "falcon", status: "InService", instances: 1 },
 *   { endpoint: "falcon-<b>", status: "Creating", instances: 0 },
 * ]);
 * const expected = [
 *   "endpoint    status     instances",
 *   "----------  ---------  ---------",
 *   "falcon      InService          1",
 *   "falcon-<b>  Creating           0",
 * ].join("\n");
 * if (table.toString() !== expected) throw new Error(table.toString());
 * if (!table.toHtml().includes("falcon-&lt;b&gt;")) throw new Error("not escaped");
 * ```
 */
export function toTable<Row extends object>(
  rows: readonly Row[],
  columns?: readonly TableColumnSpec<Row>[],
): Table {
  if (!Array.isArray(rows)) {
    throw new TypeError(`Cannot build a table from ${describe(rows)}: rows must be an array`);
  }
  rows.forEach((row, i) => {
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw new TypeError(
        `Cannot build a table: row ${i} is ${describe(row)}; each row must be an object`,
      );
    }
  });
  const specs = columns === undefined ? keysOf(rows) : checkColumns(columns);
  const values = (key: string) => rows.map((row) => (row as Record<string, unknown>)[key]);
  const resolved: ResolvedTableColumn[] = specs.map((spec) => {
    const column = typeof spec === "string" ? { key: spec } : spec;
    return {
      key: column.key,
      label: column.label ?? column.key,
      align: column.align ?? (isNumeric(values(column.key)) ? "right" : "left"),
    };
  });
  const cells = rows.map((row) =>
    specs.map((spec) => {
      const key = typeof spec === "string" ? spec : spec.key;
      const value = (row as Record<string, unknown>)[key];
      return typeof spec !== "string" && spec.format
        ? String(spec.format(value, row))
        : formatCell(value);
    })
  );
  return new Table({ columns: resolved, cells });
}

function keysOf(rows: readonly object[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
  return [...keys];
}

function checkColumns<Row extends object>(
  columns: readonly TableColumnSpec<Row>[],
): readonly TableColumnSpec<Row>[] {
  if (!Array.isArray(columns)) {
    throw new TypeError(
      `Cannot build a table with columns ${describe(columns)}: columns must be an array`,
    );
  }
  columns.forEach((spec: unknown, i) => {
    const bad = (rule: string) =>
      new TypeError(`Invalid table column ${i} (${describe(spec)}): ${rule}`);
    if (typeof spec === "string") {
      if (spec === "") throw bad("a column key must be a non-empty string");
      return;
    }
    if (typeof spec !== "object" || spec === null) {
      throw bad("a column must be a key or an object with a key");
    }
    const c = spec as Record<string, unknown>;
    if (typeof c.key !== "string" || c.key === "") {
      throw bad("key must be a non-empty string");
    }
    if (c.label !== undefined && typeof c.label !== "string") {
      throw bad("label must be a string");
    }
    if (c.align !== undefined && c.align !== "left" && c.align !== "right") {
      throw bad('align must be "left" or "right"');
    }
    if (c.format !== undefined && typeof c.format !== "function") {
      throw bad("format must be a function");
    }
  });
  return columns;
}

function isNumeric(values: readonly unknown[]): boolean {
  const present = values.filter((v) => v !== undefined && v !== null);
  return present.length > 0 &&
    present.every((v) => typeof v === "number" || typeof v === "bigint");
}

function formatCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    return String(value);
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  }
  try {
    return JSON.stringify(value, (_key, v) => typeof v === "bigint" ? String(v) : v) ??
      String(value);
  } catch {
    return String(value);
  }
}

/** Backslash-escapes the characters that Markdown (and inline HTML) would interpret. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~&#]/g, (c) => `\\${c}`);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}
