/**
 * Text helpers shared by the display modules: HTML escaping, widths measured
 * in code points, truncation, text progress bars and ANSI colours.
 *
 * Private to `lib/display/` (not re-exported).
 *
 * @module
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes `& < > " '` so `text` is safe in HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Width of `text` in terminal columns, counting one per code point. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const _ of text) width++;
  return width;
}

/** Cuts `text` to at most `width` columns, ending with `…` when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return "";
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  return chars.slice(0, width - 1).join("") + "…";
}

/** Pads `text` with spaces to `width` columns, on the right or the left. */
export function pad(text: string, width: number, align: "left" | "right"): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(text)));
  return align === "right" ? fill + text : text + fill;
}

/** Replaces runs of line breaks (and the blanks around them) with one space. */
export function singleLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ");
}

/** A text bar `[#####-----]`, `width` columns wide including the brackets. */
export function textBar(
  options: { done: number; total: number; width: number; filled?: string; empty?: string },
): string {
  const inner = Math.max(1, options.width - 2);
  const ratio = options.total > 0 ? Math.min(1, Math.max(0, options.done / options.total)) : 0;
  const full = Math.round(ratio * inner);
  return `[${(options.filled ?? "#").repeat(full)}${(options.empty ?? "-").repeat(inner - full)}]`;
}

/** ANSI SGR colours used by the terminal renderer. */
export type AnsiColor = "red" | "green" | "yellow" | "cyan" | "dim" | "bold";

const ANSI_CODES: Readonly<Record<AnsiColor, readonly [number, number]>> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
};

/** Wraps `text` in the ANSI codes for `color`, or returns it unchanged when `enabled` is false. */
export function paint(text: string, color: AnsiColor, enabled: boolean): string {
  if (!enabled || text === "") return text;
  const [open, close] = ANSI_CODES[color];
  return `\x1b[${open}m${text}\x1b[${close}m`;
}

/** A short, single-line description of anything thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const message = singleLine(error.message);
    return message ? `${error.name}: ${message}` : error.name;
  }
  if (typeof error === "string") return singleLine(error);
  try {
    return singleLine(JSON.stringify(error) ?? String(error));
  } catch {
    return String(error);
  }
}
