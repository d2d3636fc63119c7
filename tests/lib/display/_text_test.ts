import assert from "node:assert/strict";
import {
  describeError,
  escapeHtml,
  paint,
  singleLine,
  textBar,
  truncate,
} from "../../../lib/display/_text.ts";

Deno.test("escapeHtml() escapes markup and quote characters", () => {
  assert.equal(
    escapeHtml(`<a href="x">Tom & 'Jerry'</a>`),
    "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;",
  );
});

Deno.test("truncate() cuts by code points and marks the cut with an ellipsis", () => {
  assert.equal(truncate("falcon-40b", 20), "falcon-40b");
  assert.equal(truncate("falcon-40b", 6), "falco…");
  assert.equal(truncate("✔✔✔✔", 3), "✔✔…");
  assert.equal(truncate("abc", 0), "");
});

Deno.test("textBar() fills in proportion and clamps out-of-range values", () => {
  assert.equal(textBar({ done: 1, total: 4, width: 10 }), "[##------]");
  assert.equal(textBar({ done: 9, total: 4, width: 6 }), "[####]");
  assert.equal(textBar({ done: 1, total: 0, width: 6 }), "[----]");
});

Deno.test("paint() adds ANSI codes only when colour is enabled", () => {
  assert.equal(paint("ok", "green", true), "\x1b[32mok\x1b[39m");
  assert.equal(paint("ok", "green", false), "ok");
});

Deno.test("singleLine() and describeError() keep errors on one line", () => {
  assert.equal(singleLine("a\n  b\r\nc"), "a b c");
  assert.equal(describeError(new RangeError("bad\nvalue")), "RangeError: bad value");
  assert.equal(describeError("plain"), "plain");
  assert.equal(describeError({ code: 7 }), '{"code":7}');
});
