/**
 * `deno task nb:check`: checks the notebooks without running them.
 *
 * 1. **Types.** The Deno kernel never type-checks, so each notebook's code
 *    cells are written, in order, to `<name>.nbcheck.mts` next to it (so
 *    relative imports and the package's self-reference resolve as in the
 *    kernel) and `deno check` runs on those files. Errors are reported
 *    against the notebook's cell and line.
 * 2. **Committed clean.** No outputs, `execution_count: null`, the kernelspec
 *    and `language_info.name` `typescript` (so `deno fmt` formats the cells),
 *    cell ids, and no machine paths, AWS account ids or access keys anywhere.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import { runTask, type TaskIo } from "./task_runner.ts";

/** A notebook as far as these checks need it (nbformat 4). */
export interface NotebookJson {
  /** Cells in order. */
  cells: Array<{
    cell_type: string;
    source: string | string[];
    id?: string;
    metadata?: Record<string, unknown>;
    outputs?: unknown[];
    execution_count?: number | null;
  }>;
  /** Notebook metadata (kernelspec, language_info). */
  metadata?: Record<string, unknown>;
  /** Major format version. */
  nbformat?: number;
  /** Minor format version. */
  nbformat_minor?: number;
}

/** The kernelspec committed notebooks name: the project-local one in `.jupyter/kernels`. */
export const NOTEBOOK_KERNEL_NAME = "deno-project";

const HEADER_LINES = 3;

/** Where each code cell starts in an extracted module. */
export interface ExtractedNotebook {
  /** The module text. */
  readonly code: string;
  /** For each code cell, its 1-based notebook index and the module line its first line is on. */
  readonly cells: readonly { readonly index: number; readonly firstLine: number }[];
}

/**
 * Concatenates a notebook's code cells into one TypeScript module: lines
 * starting with `%` or `!` (magics) are blanked (keeping line numbers),
 * lint is switched off for the generated file, and `export {};` makes it a
 * module (top-level await). Each cell is preceded by a `// --- cell N` line.
 */
export function extractNotebookCode(notebook: NotebookJson, name = "notebook"): ExtractedNotebook {
  const lines = [
    "// deno-lint-ignore-file",
    `// Generated from ${name} by cli/check_notebooks.ts. Do not edit.`,
    "",
  ];
  const cells: { index: number; firstLine: number }[] = [];
  notebook.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code") return;
    const source = cellSource(cell);
    lines.push(`// --- cell ${i + 1}`);
    cells.push({ index: i + 1, firstLine: lines.length + 1 });
    for (const line of source.split("\n")) lines.push(/^\s*[%!]/.test(line) ? "" : line);
    lines.push("");
  });
  lines.push("export {};", "");
  return { code: lines.join("\n"), cells };
}

/** Lists `*.ipynb` files in `dir`, sorted by name. */
export async function listNotebooks(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".ipynb")) names.push(join(dir, entry.name));
  }
  return names.sort();
}

/**
 * The extraction file of a notebook: `<dir>/<name>.nbcheck.mts`, next to it
 * so relative imports resolve as in the kernel. (Not `.nbcheck.ts`: the
 * project's `deno.json` excludes `notebooks/*.nbcheck.ts` from every
 * subcommand, `deno check` included.)
 */
export function checkFileFor(notebook: string): string {
  return join(dirname(notebook), basename(notebook, ".ipynb") + ".nbcheck.mts");
}

/** A notebook's extraction, written to disk. */
export interface CheckFile {
  /** The notebook. */
  readonly notebook: string;
  /** The `.nbcheck.mts` file. */
  readonly file: string;
  /** Cell positions, to map errors back. */
  readonly cells: ExtractedNotebook["cells"];
}

/** Writes `<name>.nbcheck.mts` beside each notebook; returns what was written. */
export async function writeCheckFiles(notebooks: readonly string[]): Promise<CheckFile[]> {
  const written: CheckFile[] = [];
  for (const notebook of notebooks) {
    const json = JSON.parse(await Deno.readTextFile(notebook)) as NotebookJson;
    const extracted = extractNotebookCode(json, basename(notebook));
    const file = checkFileFor(notebook);
    await Deno.writeTextFile(file, extracted.code);
    written.push({ notebook, file, cells: extracted.cells });
  }
  return written;
}

/**
 * Rewrites `deno check` output so that every position in an extraction
 * file (`file:///.../01_deploy.nbcheck.mts:12:5`) also names the notebook,
 * cell and line it came from (`notebooks/01_deploy.ipynb cell 4, line 2`).
 */
export function mapCheckOutput(text: string, files: readonly CheckFile[]): string {
  let mapped = text;
  for (const { notebook, file, cells } of files) {
    const escaped = resolve(file).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const pattern = new RegExp(`(?:file://)?${escaped}:(\\d+):(\\d+)`, "g");
    mapped = mapped.replace(pattern, (match, line: string) => {
      const n = Number(line);
      const cell = cells.findLast((c) => c.firstLine <= n);
      if (cell === undefined || n < HEADER_LINES) return match;
      return `${match} (${notebook} cell ${cell.index}, line ${n - cell.firstLine + 1})`;
    });
  }
  return mapped;
}

/** Options for {@linkcode typeCheckNotebooks}. */
export interface TypeCheckNotebooksOptions {
  /** Leave the `.nbcheck.mts` files next to the notebooks; default false (removed). */
  keep?: boolean;
  /** Directory `deno check` runs in (where `deno.json` is found); default the current one. */
  cwd?: string;
}

/** What {@linkcode typeCheckNotebooks} found. */
export interface TypeCheckResult {
  /** Whether `deno check` passed and checked the files. */
  readonly ok: boolean;
  /** Its output, with positions mapped to notebook cells (see {@linkcode mapCheckOutput}). */
  readonly output: string;
}

/**
 * Type-checks the notebooks' code cells: writes their extraction files,
 * runs `deno check` on them, maps the errors to notebook cells and removes
 * the files again (unless `keep`). Not ok also when `deno check` skipped the
 * files (excluded by `deno.json`).
 */
export async function typeCheckNotebooks(
  notebooks: readonly string[],
  options: TypeCheckNotebooksOptions = {},
): Promise<TypeCheckResult> {
  const files = await writeCheckFiles(notebooks);
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["check", ...files.map((f) => f.file)],
      ...(options.cwd !== undefined && { cwd: options.cwd }),
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    const text = decoder.decode(output.stdout) + decoder.decode(output.stderr);
    const skipped = /No matching files found/.test(text);
    return {
      ok: output.success && !skipped,
      output: mapCheckOutput(text, files) +
        (skipped
          ? "\ndeno check checked nothing: the extraction files are excluded by deno.json\n"
          : ""),
    };
  } finally {
    if (!options.keep) {
      for (const { file } of files) await Deno.remove(file).catch(() => {});
    }
  }
}

const MACHINE_PATH =
  /(?:\/home\/[^/\s"]+|\/Users\/[^/\s"]+|\/root\/|\/work\/|\/tmp\/|\/var\/folders\/|file:\/\/\/|\b[A-Za-z]:\\(?:Users|Windows)\\)/;
const ACCOUNT_ID = /(?<![\d.])\d{12}(?![\d.])/;
const ACCESS_KEY = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/;
/** A valid nbformat 4.5 cell id: 1-64 letters, digits, `-` or `_`. */
export const CELL_ID_PATTERN = /^[a-zA-Z0-9-_]{1,64}$/;

/**
 * What would be wrong with committing this notebook as it is: outputs or
 * execution counts, metadata other than `kernelspec` and `language_info`
 * (and cell `tags`), a kernelspec other than {@linkcode NOTEBOOK_KERNEL_NAME},
 * `language_info.name` other than `typescript`, missing or duplicate cell
 * ids, and machine paths, 12-digit account ids or AWS access key ids in any
 * cell. Returns one sentence per problem; empty when clean.
 */
export function findCommitProblems(notebook: NotebookJson, name = "notebook"): string[] {
  const problems: string[] = [];
  if (notebook.nbformat !== 4 || (notebook.nbformat_minor ?? 0) < 5) {
    problems.push(
      `${name}: nbformat must be 4.5 or later (cell ids), is ` +
        `${notebook.nbformat}.${notebook.nbformat_minor}`,
    );
  }
  const metadata = notebook.metadata ?? {};
  const extraKeys = Object.keys(metadata).filter((k) =>
    k !== "kernelspec" && k !== "language_info"
  );
  if (extraKeys.length > 0) {
    problems.push(
      `${name}: notebook metadata must hold only kernelspec and language_info, ` +
        `not ${extraKeys.join(", ")}`,
    );
  }
  const kernelspec = metadata.kernelspec as { name?: unknown } | undefined;
  if (kernelspec?.name !== NOTEBOOK_KERNEL_NAME) {
    problems.push(
      `${name}: kernelspec.name must be "${NOTEBOOK_KERNEL_NAME}" (the project's ` +
        `kernel), is ${JSON.stringify(kernelspec?.name)}`,
    );
  }
  const languageInfo = metadata.language_info as { name?: unknown } | undefined;
  if (languageInfo?.name !== "typescript") {
    problems.push(
      `${name}: metadata.language_info.name must be "typescript" (so deno fmt ` +
        `formats the cells), is ${JSON.stringify(languageInfo?.name)}`,
    );
  }
  const ids = new Set<string>();
  notebook.cells.forEach((cell, i) => {
    const where = `${name} cell ${i + 1}`;
    if (typeof cell.id !== "string" || !CELL_ID_PATTERN.test(cell.id)) {
      problems.push(
        `${where}: needs an id of 1-64 letters, digits, - or _, has ` +
          JSON.stringify(cell.id),
      );
    } else if (ids.has(cell.id)) {
      problems.push(`${where}: id ${JSON.stringify(cell.id)} is used by an earlier cell`);
    } else {
      ids.add(cell.id);
    }
    if (cell.cell_type === "code") {
      if ((cell.outputs ?? []).length > 0) {
        problems.push(
          `${where}: has ${cell.outputs!.length} output(s); commit notebooks ` +
            "without outputs (deno task nb:strip)",
        );
      }
      if (cell.execution_count !== null) {
        problems.push(
          `${where}: execution_count must be null, is ` +
            JSON.stringify(cell.execution_count),
        );
      }
    }
    const cellKeys = Object.keys(cell.metadata ?? {}).filter((k) => k !== "tags");
    if (cellKeys.length > 0) {
      problems.push(`${where}: cell metadata must hold only tags, not ${cellKeys.join(", ")}`);
    }
    const text = cellSource(cell);
    for (
      const [pattern, what] of [
        [MACHINE_PATH, "a machine path"],
        [ACCOUNT_ID, "a 12-digit AWS account id"],
        [ACCESS_KEY, "an AWS access key id"],
      ] as const
    ) {
      const found = pattern.exec(text);
      if (found) problems.push(`${where}: contains ${what} (${JSON.stringify(found[0])})`);
    }
  });
  return problems;
}

const HELP = `Usage: deno task nb:check [--dir DIR] [--keep]

Checks every notebook in --dir (default notebooks) without running it:
  - type-checks its code cells (extracted to <name>.nbcheck.mts next to it,
    removed afterwards unless --keep) with deno check;
  - checks it is committed clean: no outputs or execution counts, only the
    kernelspec and language_info metadata, cell ids, no machine paths,
    account ids or access keys.`;

/** Runs `deno task nb:check` with `args`; returns the exit code (0 clean, 1 problems found, 2 bad usage). */
export function main(args: string[], io?: TaskIo): Promise<number> {
  return runTask(
    {
      name: "nb:check",
      usage: HELP,
      targetFlags: false,
      options: { dir: { type: "string" }, keep: { type: "boolean" } },
      async run(context) {
        const dir = context.flags.string("dir") ?? "notebooks";
        const notebooks = await listNotebooks(dir);
        if (notebooks.length === 0) {
          context.printError(`No notebooks in ${dir}`);
          return 1;
        }
        let failed = false;
        for (const notebook of notebooks) {
          const problems = findCommitProblems(
            JSON.parse(await Deno.readTextFile(notebook)) as NotebookJson,
            notebook,
          );
          for (const problem of problems) context.printError(`not clean: ${problem}`);
          failed ||= problems.length > 0;
        }
        const checked = await typeCheckNotebooks(notebooks, {
          keep: context.flags.boolean("keep"),
        });
        if (checked.output.trim() !== "") context.printError(checked.output.trimEnd());
        failed ||= !checked.ok;
        context.print(`${notebooks.length} notebook(s): ${failed ? "problems found" : "OK"}`);
        return failed ? 1 : 0;
      },
    },
    args,
    io,
  );
}

/** A cell's source as one string (nbformat allows a list of lines). */
export function cellSource(cell: { source: string | string[] }): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
