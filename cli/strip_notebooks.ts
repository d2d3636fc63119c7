/**
 * `deno task nb:strip`: makes notebooks fit to commit after they were run
 * in Jupyter: outputs and execution counts removed, metadata reduced to the
 * kernelspec and `language_info`, cell ids added where missing. Machine
 * paths or account ids typed into cells are not touched: `nb:check` reports
 * them.
 *
 * @module
 */
import { runTask, type TaskIo } from "./task_runner.ts";
import {
  CELL_ID_PATTERN,
  listNotebooks,
  NOTEBOOK_KERNEL_NAME,
  type NotebookJson,
} from "./check_notebooks.ts";

/** The kernelspec committed notebooks carry (the project-local kernel). */
export const NOTEBOOK_KERNELSPEC = {
  display_name: "Deno (sagemaker-async)",
  language: "typescript",
  name: NOTEBOOK_KERNEL_NAME,
} as const;

/** The `language_info` committed notebooks carry (`deno fmt` needs `name: typescript`). */
export const NOTEBOOK_LANGUAGE_INFO = {
  codemirror_mode: "typescript",
  file_extension: ".ts",
  mimetype: "text/x.typescript",
  name: "typescript",
  nbconvert_exporter: "script",
  pygments_lexer: "typescript",
} as const;

/**
 * Returns a copy of `notebook` without outputs or execution counts, with
 * only cell `tags` kept in cell metadata, the project's kernelspec and
 * `language_info` as notebook metadata, nbformat 4.5 and an id on every cell
 * (`<prefix>-<n>` for cells that had none or a duplicate).
 *
 * @example
 * ```ts
 * import { stripNotebook } from "./strip_notebooks.ts";
 *
 * const stripped = stripNotebook({
 *   cells: [{
 *     cell_type: "code",
 *     source: "1 + 1",
 *     execution_count: 3,
 *     outputs: [{ output_type: "execute_result" }],
 *     metadata: { execution: { "iopub.status.idle": "2026-01-01T00:00:00Z" } },
 *   }],
 *   metadata: { kernelspec: { name: "deno" }, widgets: {} },
 * }, "01");
 * const [cell] = stripped.cells;
 * if (cell?.outputs?.length !== 0 || cell.execution_count !== null) throw new Error("not stripped");
 * if (cell.id !== "01-1" || Object.keys(stripped.metadata ?? {}).length !== 2) throw new Error();
 * ```
 */
export function stripNotebook(notebook: NotebookJson, idPrefix = "cell"): NotebookJson {
  const used = new Set<string>();
  const cells = notebook.cells.map((cell, i) => {
    let id = typeof cell.id === "string" && CELL_ID_PATTERN.test(cell.id) &&
        !used.has(cell.id)
      ? cell.id
      : `${idPrefix}-${i + 1}`;
    while (used.has(id)) id = `${id}-x`;
    used.add(id);
    const tags = cell.metadata?.tags;
    const metadata = Array.isArray(tags) && tags.length > 0 ? { tags } : {};
    return cell.cell_type === "code"
      ? { cell_type: "code", execution_count: null, id, metadata, outputs: [], source: cell.source }
      : { cell_type: cell.cell_type, id, metadata, source: cell.source };
  });
  return {
    cells,
    metadata: {
      kernelspec: { ...NOTEBOOK_KERNELSPEC },
      language_info: { ...NOTEBOOK_LANGUAGE_INFO },
    },
    nbformat: 4,
    nbformat_minor: Math.max(5, notebook.nbformat === 4 ? notebook.nbformat_minor ?? 5 : 5),
  };
}

/** Serialises a notebook as Jupyter does: keys sorted, one-space indent, final newline. */
export function serializeNotebook(notebook: NotebookJson): string {
  return JSON.stringify(sortKeys(notebook), null, 1) + "\n";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}

const HELP = `Usage: deno task nb:strip [--dir DIR] [--check]

Strips outputs, execution counts and extra metadata from every notebook in
--dir (default notebooks), in place, so it can be committed. With --check
nothing is written and the exit code is 1 when a notebook would change.`;

/** Runs `deno task nb:strip` with `args`; returns the exit code (1: `--check` found changes). */
export function main(args: string[], io?: TaskIo): Promise<number> {
  return runTask(
    {
      name: "nb:strip",
      usage: HELP,
      targetFlags: false,
      options: { dir: { type: "string" }, check: { type: "boolean" } },
      async run(context) {
        const check = context.flags.boolean("check");
        let changed = 0;
        const notebooks = await listNotebooks(context.flags.string("dir") ?? "notebooks");
        for (const path of notebooks) {
          const notebook = JSON.parse(await Deno.readTextFile(path)) as NotebookJson;
          const prefix = path.replace(/^.*\//, "").replace(/\.ipynb$/, "").slice(0, 20)
            .replace(/[^a-zA-Z0-9-_]/g, "-");
          const after = serializeNotebook(stripNotebook(notebook, prefix));
          if (serializeNotebook(notebook) === after) continue;
          changed++;
          context.print(`${check ? "would strip" : "stripped"} ${path}`);
          if (!check) await Deno.writeTextFile(path, after);
        }
        context.print(
          `${notebooks.length} notebook(s), ${changed} ${check ? "to strip" : "stripped"}`,
        );
        return check && changed > 0 ? 1 : 0;
      },
    },
    args,
    io,
  );
}

if (import.meta.main) Deno.exit(await main(Deno.args));
