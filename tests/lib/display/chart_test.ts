import assert from "node:assert/strict";
import { XMLValidator } from "fast-xml-parser";
import { DOMParser } from "linkedom";
import { type TimeSeries, timeSeriesChart } from "../../../lib/display/chart.ts";

const T0 = Date.UTC(2026, 0, 1);
const at = (minute: number) => T0 + minute * 60_000;

const SCALING: TimeSeries[] = [
  {
    name: "instances",
    shape: "step",
    panel: "Instances",
    points: [{ time: at(0), value: 1 }, { time: at(15), value: 0 }, { time: at(31), value: 1 }],
  },
  {
    name: "backlog",
    panel: "Requests",
    points: [0, 10, 25, 31, 40].map((m, i) => ({
      time: new Date(at(m)),
      value: [0, 0, 6, 3, 0][i]!,
    })),
  },
  {
    name: "invocations",
    panel: "Requests",
    points: [0, 10, 25, 31, 40].map((m, i) => ({ time: at(m), value: [2, 0, 4, 0, 0][i]! })),
  },
];

interface Node {
  getAttribute(name: string): string | null;
  textContent: string | null;
  querySelectorAll(selector: string): Iterable<Node>;
}

/** The elements under `node` matching `selector`, as an array. */
function all(node: Node, selector: string): Node[] {
  return [...node.querySelectorAll(selector)];
}

function parse(svg: string): Node {
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml") as unknown as {
    documentElement: Node;
  };
  return doc.documentElement;
}

Deno.test("timeSeriesChart() returns well-formed standalone SVG", () => {
  const { svg } = timeSeriesChart({ title: "Scaling <falcon> & co", series: SCALING });
  assert.equal(XMLValidator.validate(svg), true);
  const root = parse(svg);
  assert.equal(root.getAttribute("xmlns"), "http://www.w3.org/2000/svg");
  assert.equal(root.getAttribute("width"), "640");
  assert.match(root.getAttribute("viewBox")!, /^0 0 640 \d+$/);
  assert.ok(svg.includes("Scaling &lt;falcon&gt; &amp; co"), "the title is escaped");
});

Deno.test("timeSeriesChart() draws one line per series, coloured like its legend entry", () => {
  const root = parse(timeSeriesChart({ series: SCALING }).svg);
  const lines = all(root, 'g[aria-label="line"] path');
  assert.equal(lines.length, 3);
  const legend = all(root, 'g[aria-label="legend"] text').map((t) => t.textContent);
  assert.deepEqual(legend, ["instances", "backlog", "invocations"]);
  const swatches = all(root, 'g[aria-label="legend"] rect').map((r) => r.getAttribute("fill"));
  assert.deepEqual(lines.map((p) => p.getAttribute("stroke")), swatches);
  assert.equal(new Set(swatches).size, 3, "every series has its own colour");
});

Deno.test("timeSeriesChart() draws a dashed series dashed, with a dashed legend entry", () => {
  const [current, ...rest] = SCALING;
  const desired: TimeSeries = { ...current!, name: "desired", dashed: true };
  const root = parse(timeSeriesChart({ series: [current!, desired, ...rest] }).svg);
  const dashes = all(root, 'g[aria-label="line"]').map((g) => g.getAttribute("stroke-dasharray"));
  assert.deepEqual(dashes, [null, "6 4", null, null], "only the dashed series is dashed");
  const legendLines = all(root, 'g[aria-label="legend"] line');
  assert.equal(legendLines.length, 1, "its legend swatch is a dashed line");
  assert.equal(all(root, 'g[aria-label="legend"] rect').length, 3);
});

Deno.test("timeSeriesChart() marks each observation of a series with markers", () => {
  const [instances, backlog, invocations] = SCALING;
  const root = parse(
    timeSeriesChart({ series: [instances!, backlog!, { ...invocations!, markers: true }] }).svg,
  );
  assert.equal(all(root, 'g[aria-label="dot"] circle').length, invocations!.points.length);
});

Deno.test("timeSeriesChart() stacks one panel per y label, with the time label on the last", () => {
  const root = parse(
    timeSeriesChart({ series: SCALING, title: "falcon", xLabel: "Clock time" }).svg,
  );
  const yLabels = all(root, 'g[aria-label="y-axis label"] text').map((t) => t.textContent);
  assert.deepEqual(yLabels, ["↑ Instances", "↑ Requests"]);
  const xLabels = all(root, 'g[aria-label="x-axis label"] text').map((t) => t.textContent);
  assert.deepEqual(xLabels, ["Clock time →"]);
  const panels = all(root, "svg > svg");
  assert.equal(panels.length, 2);
  assert.ok(Number(panels[1]!.getAttribute("y")) >= Number(panels[0]!.getAttribute("y")) + 200);
  assert.ok(all(root, "title")[0]!.textContent === "falcon");
});

Deno.test("timeSeriesChart() draws a step series with whole-number ticks, held to the chart's end", () => {
  const root = parse(timeSeriesChart({ series: SCALING }).svg);
  const instances = all(root, 'g[aria-label="line"] path')[0]!;
  const d = instances.getAttribute("d")!;
  // Step-after: vertical jumps share an x with the preceding horizontal run.
  const xs = [...d.matchAll(/[ML]([\d.]+),/g)].map((m) => Number(m[1]));
  assert.ok(xs.length >= 5, d);
  assert.equal(Math.max(...xs), 620, "held to the right edge (640 minus the right margin)");
  const ticks = all(all(root, 'g[aria-label="y-axis tick label"]')[0]!, "text")
    .map((t) => t.textContent);
  assert.deepEqual(ticks, ["0", "1"]);
});

Deno.test("timeSeriesChart() labels times on a 24-hour clock", () => {
  const root = parse(timeSeriesChart({ series: SCALING }).svg);
  const labels = all(root, 'g[aria-label="x-axis tick label"] text').map((t) => t.textContent);
  assert.ok(labels.includes("00:10"), labels.join(","));
});

Deno.test("timeSeriesChart() displays in Jupyter as an SVG image", () => {
  const chart = timeSeriesChart({ title: "falcon", series: SCALING });
  const display = (chart as unknown as Record<symbol, () => Record<string, string>>)[
    Symbol.for("Jupyter.display")
  ]!;
  assert.deepEqual(display.call(chart), { "image/svg+xml": chart.svg, "text/plain": "falcon" });
  assert.equal(String(chart), chart.svg);
});

Deno.test("timeSeriesChart() draws a single point without failing", () => {
  const { svg } = timeSeriesChart({
    series: [{ name: "backlog", points: [{ time: T0, value: 2 }] }],
  });
  assert.equal(XMLValidator.validate(svg), true);
});

Deno.test("timeSeriesChart() rejects bad series, naming the value and the rule", () => {
  const cases: [unknown, RegExp][] = [
    [{ series: [] }, /series .*must be a non-empty array/],
    [
      { series: [{ name: "", points: [] }] },
      /name "" of chart series 0: must be a non-empty string/,
    ],
    [
      { series: [{ name: "a", points: [{ time: 0, value: 1 }] }, { name: "a", points: [] }] },
      /name "a" of chart series 1: names must be unique/,
    ],
    [
      { series: [{ name: "a", points: [{ time: "yesterday", value: 1 }] }] },
      /time yesterday of point 0 of chart series "a"/,
    ],
    [
      { series: [{ name: "a", points: [{ time: 0, value: Number.NaN }] }] },
      /value NaN of point 0 of chart series "a": must be a finite number/,
    ],
    [{ series: [{ name: "a", shape: "bar", points: [] }] }, /shape "bar"/],
    [{ series: [{ name: "a", dashed: "yes", points: [] }] }, /dashed "yes" .*must be a boolean/],
    [{ series: [{ name: "a", markers: 1, points: [] }] }, /markers 1 .*must be a boolean/],
    [{ series: [{ name: "a", points: [] }] }, /without points/],
    [
      { series: [{ name: "a", points: [{ time: 0, value: 1 }] }], width: 10 },
      /width 10: must be between 240 and 4000/,
    ],
  ];
  for (const [options, message] of cases) {
    assert.throws(
      () => timeSeriesChart(options as Parameters<typeof timeSeriesChart>[0]),
      (e: unknown) =>
        (e instanceof TypeError || e instanceof RangeError) && message.test(e.message),
      String(message),
    );
  }
});
