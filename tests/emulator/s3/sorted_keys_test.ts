import assert from "node:assert/strict";
import { compareKeys, SortedKeys } from "../../../emulator/s3/sorted_keys.ts";

function utf8Order(a: string, b: string): number {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

Deno.test("compareKeys() orders keys by UTF-8 bytes, also around surrogate pairs", () => {
  const keys = ["b", "a", "\uffff", "😀", "\ue000", "ab", "", "é", "a/"];
  const expected = [...keys].sort(utf8Order);
  assert.deepEqual([...keys].sort(compareKeys), expected);
  assert.ok(compareKeys("\uffff", "😀") < 0, "U+FFFF sorts before U+1F600");
  assert.ok("\uffff" > "😀", "unlike UTF-16 order");
});

Deno.test("SortedKeys keeps keys sorted and unique through adds and deletes", () => {
  const keys = new SortedKeys();
  const inserted = Array.from({ length: 200 }, (_, i) => `k/${(i * 7919) % 200}`);
  for (const key of inserted) keys.add(key);
  keys.add("k/5");
  assert.equal(keys.size, 200);
  assert.deepEqual(keys.toArray(), [...new Set(inserted)].sort(compareKeys));
  keys.delete("k/5");
  keys.delete("absent");
  assert.equal(keys.size, 199);
  keys.deleteMany(new Set(Array.from({ length: 50 }, (_, i) => `k/${i}`)));
  assert.equal(keys.size, 150);
  assert.equal(keys.toArray().includes("k/49"), false);
});

Deno.test("SortedKeys finds positions: firstAtOrAfter, firstAfter and firstPast a prefix", () => {
  const keys = new SortedKeys();
  keys.reset(["a", "b/1", "b/2", "b/3", "c"]);
  assert.equal(keys.firstAtOrAfter("b/"), 1);
  assert.equal(keys.firstAfter("b/1"), 2);
  assert.equal(keys.firstPast("b/"), 4);
  assert.equal(keys.at(keys.firstPast("b/")), "c");
  assert.equal(keys.firstPast("z"), 5);
});
