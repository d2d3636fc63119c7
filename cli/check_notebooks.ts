/**
 * `deno task nb:check`: type-checks notebook code cells. The Deno kernel never
 * type-checks, so each notebook's code cells are written, in order, to
 * `<name>.nbcheck.ts` next to it (relative imports resolve the same way) and
 * `deno check` runs on those files.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { basename, dirname, join } from "node:path";

/** A notebook as far as extraction needs it. */
export interface NotebookJson {
  cells: Array<{ cell_type: string; source: string | string[] }>;
}

/**
 * Concatenates a notebook's code cells into one TypeScript module: lines
 * starting with `%` or `!` (magics) are dropped, lint is switched off for the
 * generated file, and `export {};` makes it a module (top-level await).
 */
export function extractNotebookCode(notebook: NotebookJson, name = "notebook"): string {
  const parts = [
    `// deno-lint-ignore-file\n// Generated from ${name} by cli/check_notebooks.ts. Do not edit.\n`,
  ];
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    const lines = source.split("\n").filter((line) => !/^\s*[%!]/.test(line));
    parts.push(`// --- cell ${index + 1}\n${lines.join("\n")}\n`);
  });
  parts.push("export {};\n");
  return parts.join("\n");
}

/** Lists `*.ipynb` files in `dir`, sorted by name. */
export async function listNotebooks(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".ipynb")) names.push(join(dir, entry.name));
  }
  return names.sort();
}

/** Writes `<name>.nbcheck.ts` beside each notebook; returns the files written. */
export async function writeCheckFiles(notebooks: readonly string[]): Promise<string[]> {
  const written: string[] = [];
  for (const path of notebooks) {
    const notebook = JSON.parse(await Deno.readTextFile(path)) as NotebookJson;
    const out = join(dirname(path), basename(path, ".ipynb") + ".nbcheck.ts");
    await Deno.writeTextFile(out, extractNotebookCode(notebook, basename(path)));
    written.push(out);
  }
  return written;
}

const HELP = `Usage: deno task nb:check [--dir notebooks]

Type-checks the code cells of every notebook in --dir by extracting them to
<name>.nbcheck.ts files (git-ignored) and running deno check on those.`;

/** Entry point; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        dir: { type: "string", default: "notebooks" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    // deno-lint-ignore no-console
    console.error(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    // deno-lint-ignore no-console
    console.log(HELP);
    return 0;
  }
  const files = await writeCheckFiles(await listNotebooks(values.dir));
  if (files.length === 0) {
    // deno-lint-ignore no-console
    console.error(`No notebooks in ${values.dir}`);
    return 1;
  }
  const { code } = await new Deno.Command(Deno.execPath(), { args: ["check", ...files] }).spawn()
    .status;
  return code;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
