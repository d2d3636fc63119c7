import assert from "node:assert/strict";
import { parseXml, toXml } from "../../../emulator/protocols/xml.ts";

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

Deno.test("toXml() renders a document with the XML declaration and root attributes", () => {
  assert.equal(
    toXml("R", { A: "1" }, { attributes: { xmlns: "http://x/" } }),
    `${DECLARATION}<R xmlns="http://x/"><A>1</A></R>`,
  );
  assert.equal(toXml("R", "text"), `${DECLARATION}<R>text</R>`);
});

Deno.test("toXml() escapes markup characters in text", () => {
  const xml = toXml("R", { Message: `a&b <c> "d"` });
  assert.ok(xml.includes("a&amp;b &lt;c&gt;"), xml);
  assert.ok(!xml.includes("<c>"), xml);
  assert.deepEqual(parseXml(xml), { R: { Message: `a&b <c> "d"` } });
});

Deno.test("toXml() wraps list items in <member> by default (query protocol)", () => {
  assert.equal(
    toXml("R", { Names: ["a", "b"], Items: [{ K: "1" }] }),
    `${DECLARATION}<R><Names><member>a</member><member>b</member></Names>` +
      "<Items><member><K>1</K></member></Items></R>",
  );
});

Deno.test("toXml() renders an empty member list as an empty element", () => {
  assert.equal(toXml("R", { Names: [] }), `${DECLARATION}<R><Names></Names></R>`);
});

Deno.test("toXml() repeats the element for each item with flat lists (S3)", () => {
  assert.equal(
    toXml("ListBucketResult", { Contents: [{ Key: "a" }, { Key: "b" }] }, { lists: "flat" }),
    `${DECLARATION}<ListBucketResult><Contents><Key>a</Key></Contents>` +
      "<Contents><Key>b</Key></Contents></ListBucketResult>",
  );
});

Deno.test("toXml() renders Date as ISO 8601, numbers and booleans as text, drops undefined", () => {
  const xml = toXml("R", {
    When: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)),
    Count: 3,
    Zero: 0,
    Truncated: false,
    Missing: undefined,
    Nothing: null,
    Bytes: new TextEncoder().encode("hi"),
  });
  assert.equal(
    xml,
    `${DECLARATION}<R><When>2026-01-02T03:04:05.006Z</When><Count>3</Count><Zero>0</Zero>` +
      "<Truncated>false</Truncated><Nothing></Nothing><Bytes>hi</Bytes></R>",
  );
});

Deno.test("parseXml() keeps text values as strings and ignores the declaration and attributes", () => {
  const parsed = parseXml(
    `${DECLARATION}<R xmlns="http://x/"><Id>007</Id><Flag>true</Flag><Text>a &amp; b</Text>` +
      "<Space>  padded  </Space></R>",
  );
  assert.deepEqual(parsed, {
    R: { Id: "007", Flag: "true", Text: "a & b", Space: "  padded  " },
  });
});

Deno.test("parseXml() turns repeated elements into arrays", () => {
  const parsed = parseXml(
    "<Delete><Object><Key>a</Key></Object><Object><Key>b</Key></Object></Delete>",
  );
  assert.deepEqual(parsed, { Delete: { Object: [{ Key: "a" }, { Key: "b" }] } });
});
