/**
 * XML for the query protocol and S3, built with fast-xml-parser. Handlers
 * return plain objects; {@linkcode toXml} renders arrays as repeated elements
 * (or `<member>` children for the query protocol) and `Date` as ISO 8601.
 *
 * @module
 */
import { XMLBuilder, XMLParser } from "fast-xml-parser";

const builder = new XMLBuilder({
  ignoreAttributes: false,
  suppressEmptyNode: false,
  processEntities: true,
});
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  ignoreDeclaration: true,
});

/** How arrays render: `member` wraps each item in `<member>` (query protocol), `flat` repeats the parent tag (S3). */
export type ListStyle = "member" | "flat";

function prepare(value: unknown, lists: ListStyle): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (Array.isArray(value)) {
    const items = value.map((item) => prepare(item, lists));
    return lists === "member" ? { member: items } : items;
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined) continue;
      if (lists === "member" && Array.isArray(child) && child.length === 0) {
        out[key] = "";
        continue;
      }
      out[key] = prepare(child, lists);
    }
    return out;
  }
  if (typeof value === "boolean" || typeof value === "number") {
    return String(value);
  }
  return value ?? "";
}

/**
 * Renders `{ [rootName]: body }` as an XML document. `attributes` go on the
 * root element (e.g. `xmlns`).
 *
 * @example
 * ```ts
 * import { toXml } from "@sagemaker-async/toolkit/emulator";
 *
 * const xml = toXml("R", { Names: ["a&b"], When: new Date(0) }, { lists: "member" });
 * if (!xml.includes("<member>a&amp;b</member>")) throw new Error(xml);
 * ```
 */
export function toXml(
  rootName: string,
  body: unknown,
  options: { lists?: ListStyle; attributes?: Record<string, string> } = {},
): string {
  const prepared = prepare(body, options.lists ?? "member") as
    | Record<string, unknown>
    | string;
  const root: Record<string, unknown> = typeof prepared === "object"
    ? { ...prepared }
    : { "#text": prepared };
  for (const [name, value] of Object.entries(options.attributes ?? {})) {
    root[`@_${name}`] = value;
  }
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ [rootName]: root })}`;
}

/** Parses an XML document into plain objects (text values stay strings). */
export function parseXml(text: string): Record<string, unknown> {
  return parser.parse(text) as Record<string, unknown>;
}
