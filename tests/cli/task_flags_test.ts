import assert from "node:assert/strict";
import { parseDuration, TaskFlags, UsageError } from "../../cli/task_flags.ts";

Deno.test("parseDuration() reads seconds, minutes, hours, days, milliseconds and combinations", () => {
  assert.equal(parseDuration("90s"), 90_000);
  assert.equal(parseDuration("15m"), 900_000);
  assert.equal(parseDuration("2h"), 7_200_000);
  assert.equal(parseDuration("1h30m"), 5_400_000);
  assert.equal(parseDuration("1d"), 86_400_000);
  assert.equal(parseDuration("250ms"), 250);
  assert.equal(parseDuration("1.5h"), 5_400_000);
});

Deno.test("parseDuration() refuses text that is not a duration", () => {
  for (const bad of ["", "2", "h", "2 hours", "2h-", "-2h", "2x", "h2"]) {
    assert.equal(parseDuration(bad), undefined, bad);
  }
});

Deno.test("TaskFlags getters throw a UsageError naming the flag and the rule", () => {
  const flags = new TaskFlags({
    count: "1.5",
    scale: "0",
    wait: "soon",
    target: "mars",
    name: "",
  });
  assert.throws(
    () => flags.integer("count", { min: 1, max: 10 }),
    (e: unknown) =>
      e instanceof UsageError &&
      e.message === 'Invalid --count "1.5": must be an integer from 1 to 10',
  );
  assert.throws(
    () => flags.number("scale", { above: 0 }),
    /--scale "0": must be a number greater than 0/,
  );
  assert.throws(() => flags.duration("wait"), /--wait "soon": must be a duration/);
  assert.throws(
    () => flags.choice("target", ["local", "aws"]),
    /--target "mars": must be one of local, aws/,
  );
  assert.throws(() => flags.required("name", "the endpoint"), /Missing --name: the endpoint/);
  assert.throws(() => flags.required("absent", "the endpoint"), /Missing --absent/);
});

Deno.test("TaskFlags getters return the typed value, or undefined when the flag is absent", () => {
  const flags = new TaskFlags({ count: "3", scale: "2.5", wait: "2m", on: true, many: ["a", "b"] });
  assert.equal(flags.integer("count", { min: 1, max: 10 }), 3);
  assert.equal(flags.number("scale", { above: 0 }), 2.5);
  assert.equal(flags.duration("wait"), 120_000);
  assert.equal(flags.boolean("on"), true);
  assert.equal(flags.boolean("off"), false);
  assert.deepEqual(flags.strings("many"), ["a", "b"]);
  assert.deepEqual(flags.strings("none"), []);
  assert.equal(flags.integer("missing", { min: 0, max: 1 }), undefined);
  assert.equal(flags.has("count"), true);
  assert.equal(flags.has("missing"), false);
});
