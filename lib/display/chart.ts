/**
 * Time-series charts as standalone SVG, drawn by Observable Plot under a server-side DOM
 * (linkedom), so they work in `deno test`, in the CLI and in the Deno Jupyter kernel alike.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

/** One observation of a series. */
export interface TimePoint {
  /** When: a `Date` or epoch milliseconds. */
  time: Date | number;
  /** The value then; must be finite. */
  value: number;
}

/** A named series of observations. */
export interface TimeSeries {
  /** Name shown in the legend; unique within a chart. */
  name: string;
  /** Observations in any order (they are sorted by time). */
  points: readonly TimePoint[];
  /**
   * `step`: the value holds until the next point and, after the last one, to the end of the
   * chart (right for counts such as instances). `line`: straight segments. Default `line`.
   */
  shape?: "step" | "line";
  /**
   * The y-axis label of the panel this series is drawn in. Series with the same panel share a
   * y axis; panels are stacked in order of first use and share the time axis, so series of very
   * different scale (instances 0–1, backlog 0–500) stay readable. Default: `yLabel`.
   */
  panel?: string;
  /**
   * Draw the line dashed, so a series that often equals another (desired vs. current
   * instances) stays visible on top of it: the other shows through the gaps. Default false.
   */
  dashed?: boolean;
  /** Mark each observation with a dot (for sparse series such as per-minute counts). Default false. */
  markers?: boolean;
}

/** Options for {@linkcode timeSeriesChart}. */
export interface TimeSeriesChartOptions {
  /** The series to draw (at least one, with at least one point between them). */
  series: readonly TimeSeries[];
  /** Title above the legend. */
  title?: string;
  /** Label of the time axis. Default `Time (UTC)`. */
  xLabel?: string;
  /** Label of the y axis for series without a `panel`. Default `Value`. */
  yLabel?: string;
  /** Width in pixels, 240–4000. Default 640. */
  width?: number;
  /** Height of each panel in pixels, 80–2000. Default 200. */
  panelHeight?: number;
}

const SVG_NS = "http://www.w3.org/2000/svg";
const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");
const DENO_CUSTOM_INSPECT = Symbol.for("Deno.customInspect");
const TITLE_HEIGHT = 28;
const LEGEND_ROW_HEIGHT = 20;
const SWATCH = 12;
/** Rough width of one character of the 11px legend font, for laying out legend entries. */
const LEGEND_CHAR_WIDTH = 6.5;

/**
 * An SVG chart. `svg` (and `toString()`) is a standalone SVG document; in Jupyter the object
 * shows as the image (`image/svg+xml`), with its title as `text/plain`.
 */
export class SvgChart {
  /** The standalone SVG document (with its `xmlns`). */
  readonly svg: string;
  /** The title, or a short description when there is none. */
  readonly title: string;

  /** Use {@linkcode timeSeriesChart}. */
  constructor(init: { svg: string; title: string }) {
    this.svg = init.svg;
    this.title = init.title;
  }

  /** The SVG document. */
  toString(): string {
    return this.svg;
  }

  /** The MIME bundle Jupyter shows. */
  [JUPYTER_DISPLAY](): Record<"image/svg+xml" | "text/plain", string> {
    return { "image/svg+xml": this.svg, "text/plain": this.title };
  }

  /** `console.log(chart)` prints a short description, not the whole SVG. */
  [DENO_CUSTOM_INSPECT](): string {
    return `SvgChart(${JSON.stringify(this.title)}, ${this.svg.length} characters of SVG)`;
  }
}

/** The DOM document Plot renders into (linkedom's, standing in for a browser's). */
type PlotDocument = NonNullable<Plot.PlotOptions["document"]>;

/** The parts of a linkedom element the chart assembly uses. */
interface SvgNode {
  setAttribute(name: string, value: string): void;
  appendChild(node: unknown): unknown;
  textContent: string | null;
  toString(): string;
}

interface Panel {
  readonly label: string;
  readonly series: NormalizedSeries[];
}

interface NormalizedSeries {
  readonly name: string;
  readonly shape: "step" | "line";
  readonly dashed: boolean;
  readonly markers: boolean;
  readonly points: { time: Date; value: number; name: string }[];
}

/**
 * Draws series over time as an SVG chart with Observable Plot: a title, a legend and one panel
 * per y axis (see {@linkcode TimeSeries.panel}), sharing one time axis. Colours follow the
 * order of `series` and match across panels.
 *
 * @example Instances as a step line above backlog and requests
 * ```ts
 * import { timeSeriesChart } from "@sagemaker-async/toolkit/display";
 *
 * const t0 = Date.UTC(2026, 0, 1);
 * const at = (minute: number) => t0 + minute * 60_000;
 * const chart = timeSeriesChart({
 *   title: "falcon scales to zero and back",
 *   series: [
 *     {
 *       name: "instances",
 *       shape: "step",
 *       panel: "Instances",
 *       points: [{ time: at(0), value: 1 }, { time: at(15), value: 0 }, { time: at(30), value: 1 }],
 *     },
 *     {
 *       name: "backlog",
 *       panel: "Requests",
 *       points: [{ time: at(0), value: 0 }, { time: at(25), value: 3 }, { time: at(40), value: 0 }],
 *     },
 *   ],
 * });
 * if (!chart.svg.startsWith("<svg")) throw new Error("not SVG");
 * if (!chart.svg.includes("falcon scales to zero and back")) throw new Error("no title");
 * ```
 */
export function timeSeriesChart(options: TimeSeriesChartOptions): SvgChart {
  const checked = checkOptions(options);
  const { width, panelHeight } = checked;
  const names = checked.series.map((s) => s.name);
  let first = Infinity;
  let last = -Infinity;
  for (const s of checked.series) {
    // Points are sorted, so each series' ends bound it (no spread: series can be long).
    if (s.points.length === 0) continue;
    first = Math.min(first, s.points[0]!.time.getTime());
    last = Math.max(last, s.points.at(-1)!.time.getTime());
  }
  const start = new Date(first);
  const end = new Date(last);
  const domain = start.getTime() === end.getTime()
    ? [new Date(start.getTime() - 30_000), new Date(end.getTime() + 30_000)]
    : [start, end];

  const panels: Panel[] = [];
  for (const series of checked.series) {
    const label = series.panel;
    let panel = panels.find((p) => p.label === label);
    if (!panel) panels.push(panel = { label, series: [] });
    panel.series.push(series);
  }

  // linkedom's types describe a browser `window`; Deno has no DOM lib, so name what is used.
  const { document } = parseHTML("<!DOCTYPE html><html><body></body></html>") as unknown as {
    document: PlotDocument & {
      createElementNS(ns: string, tag: string): SvgNode;
    };
  };
  const plots = panels.map((panel, i) =>
    Plot.plot({
      document,
      width,
      height: panelHeight,
      marginLeft: 56,
      marginRight: 20,
      x: {
        type: "utc",
        domain,
        label: i === panels.length - 1 ? checked.xLabel : null,
        ...timeTickFormat(domain[1]!.getTime() - domain[0]!.getTime()),
      },
      y: { label: panel.label, grid: true, zero: true, ...integerTicks(panel) },
      color: { domain: names, scheme: "observable10" },
      marks: [
        Plot.ruleY([0]),
        ...panel.series.flatMap((s) => [
          Plot.line(extendStep(s, domain[1]!), {
            x: "time",
            y: "value",
            stroke: "name",
            strokeWidth: 2,
            strokeDasharray: s.dashed ? "6 4" : undefined,
            curve: s.shape === "step" ? "step-after" : "linear",
          }),
          ...(s.markers ? [Plot.dot(s.points, { x: "time", y: "value", fill: "name", r: 3 })] : []),
        ]),
      ],
    })
  );
  const colorRange = (plots[0]!.scale("color")?.range ?? []) as readonly string[];

  const outer = document.createElementNS(SVG_NS, "svg");
  const el = (tag: string, attributes: Record<string, string | number>, text?: string) => {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  };

  let y = 0;
  const title = checked.title ?? `Time series: ${names.join(", ")}`;
  outer.appendChild(el("title", {}, title));
  outer.appendChild(el("rect", { width: "100%", height: "100%", fill: "white" }));
  if (checked.title !== undefined) {
    outer.appendChild(
      el("text", { x: 10, y: 19, "font-size": 14, "font-weight": "bold" }, checked.title),
    );
    y += TITLE_HEIGHT;
  }
  const legend = el("g", { "aria-label": "legend", "font-size": 11 });
  let x = 10;
  let row = 0;
  checked.series.forEach(({ name, dashed }, i) => {
    const entryWidth = SWATCH + 6 + name.length * LEGEND_CHAR_WIDTH + 16;
    if (x > 10 && x + entryWidth > width - 10) {
      x = 10;
      row++;
    }
    const top = y + row * LEGEND_ROW_HEIGHT + 4;
    const color = colorRange[i % Math.max(1, colorRange.length)] ?? "currentColor";
    legend.appendChild(
      dashed
        ? el("line", {
          x1: x,
          y1: top + SWATCH / 2,
          x2: x + SWATCH,
          y2: top + SWATCH / 2,
          stroke: color,
          "stroke-width": 3,
          "stroke-dasharray": "4 2",
        })
        : el("rect", { x, y: top, width: SWATCH, height: SWATCH, fill: color }),
    );
    legend.appendChild(el("text", { x: x + SWATCH + 6, y: top + SWATCH - 2 }, name));
    x += entryWidth;
  });
  outer.appendChild(legend);
  y += (row + 1) * LEGEND_ROW_HEIGHT + 6;

  for (const plot of plots) {
    const node = plot as unknown as SvgNode;
    node.setAttribute("x", "0");
    node.setAttribute("y", String(y));
    outer.appendChild(node);
    y += panelHeight;
  }

  for (
    const [k, v] of Object.entries({
      xmlns: SVG_NS,
      width,
      height: y,
      viewBox: `0 0 ${width} ${y}`,
      "font-family": "system-ui, sans-serif",
      "font-size": 10,
      fill: "currentColor",
      role: "img",
    })
  ) outer.setAttribute(k, String(v));
  return new SvgChart({ svg: outer.toString(), title });
}

/** For a step series, repeats the last value at the end of the chart so it stays visible. */
function extendStep(series: NormalizedSeries, end: Date): NormalizedSeries["points"] {
  const last = series.points.at(-1);
  if (series.shape !== "step" || !last || last.time.getTime() >= end.getTime()) {
    return series.points;
  }
  return [...series.points, { time: end, value: last.value, name: series.name }];
}

/** 24-hour clock ticks for spans under a day (Plot's default is a 12-hour `12:00 AM`). */
function timeTickFormat(spanMs: number): { tickFormat?: string } {
  if (spanMs < 10 * 60_000) return { tickFormat: "%H:%M:%S" };
  if (spanMs < 24 * 3_600_000) return { tickFormat: "%H:%M" };
  return {};
}

/** Whole-number ticks for panels whose values are all small integers (instance counts). */
function integerTicks(panel: Panel): { ticks?: number[]; tickFormat?: string } {
  let min = 0;
  let max = 0;
  for (const s of panel.series) {
    for (const p of s.points) {
      if (!Number.isInteger(p.value)) return {};
      min = Math.min(min, p.value);
      max = Math.max(max, p.value);
    }
  }
  if (max - min > 10) return {};
  const ticks = [];
  for (let t = min; t <= Math.max(max, min + 1); t++) ticks.push(t);
  return { ticks, tickFormat: "d" };
}

interface CheckedOptions {
  readonly series: readonly (NormalizedSeries & { readonly panel: string })[];
  readonly title?: string;
  readonly xLabel: string;
  readonly width: number;
  readonly panelHeight: number;
}

function checkOptions(options: TimeSeriesChartOptions): CheckedOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Invalid chart options ${String(options)}: must be an object`);
  }
  const text = (value: unknown, what: string, fallback?: string): string | undefined => {
    if (value === undefined) return fallback;
    if (typeof value !== "string") {
      throw new TypeError(`Invalid chart ${what} ${String(value)}: must be a string`);
    }
    return value;
  };
  const size = (value: unknown, what: string, range: [number, number], fallback: number) => {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isInteger(value)) {
      throw new TypeError(`Invalid chart ${what} ${String(value)}: must be an integer`);
    }
    if (value < range[0] || value > range[1]) {
      throw new RangeError(
        `Invalid chart ${what} ${value}: must be between ${range[0]} and ${range[1]} pixels`,
      );
    }
    return value;
  };
  const yLabel = text(options.yLabel, "yLabel", "Value")!;
  if (!Array.isArray(options.series) || options.series.length === 0) {
    throw new TypeError(
      `Invalid chart series ${String(options.series)}: must be a non-empty array`,
    );
  }
  const seen = new Set<string>();
  const series = options.series.map((s: TimeSeries, i) => {
    if (typeof s !== "object" || s === null) {
      throw new TypeError(`Invalid chart series ${i} (${String(s)}): must be an object`);
    }
    if (typeof s.name !== "string" || s.name === "") {
      throw new TypeError(
        `Invalid name ${JSON.stringify(s.name)} of chart series ${i}: must be a non-empty string`,
      );
    }
    if (seen.has(s.name)) {
      throw new RangeError(
        `Invalid name ${JSON.stringify(s.name)} of chart series ${i}: names must be unique`,
      );
    }
    seen.add(s.name);
    if (s.shape !== undefined && s.shape !== "step" && s.shape !== "line") {
      throw new TypeError(
        `Invalid shape ${JSON.stringify(s.shape)} of chart series ${JSON.stringify(s.name)}: ` +
          'must be "step" or "line"',
      );
    }
    for (const flag of ["dashed", "markers"] as const) {
      if (s[flag] !== undefined && typeof s[flag] !== "boolean") {
        throw new TypeError(
          `Invalid ${flag} ${JSON.stringify(s[flag])} of chart series ${JSON.stringify(s.name)}: ` +
            "must be a boolean",
        );
      }
    }
    const panel = text(s.panel, `panel of series ${JSON.stringify(s.name)}`, yLabel)!;
    if (!Array.isArray(s.points)) {
      throw new TypeError(
        `Invalid points of chart series ${JSON.stringify(s.name)}: must be an array`,
      );
    }
    const points = s.points.map((p: TimePoint, j) => {
      const where = `point ${j} of chart series ${JSON.stringify(s.name)}`;
      const time = p?.time instanceof Date
        ? p.time
        : typeof p?.time === "number"
        ? new Date(p.time)
        : undefined;
      if (!time || Number.isNaN(time.getTime())) {
        throw new TypeError(
          `Invalid time ${String(p?.time)} of ${where}: must be a valid Date or epoch ms`,
        );
      }
      if (typeof p.value !== "number" || !Number.isFinite(p.value)) {
        throw new TypeError(
          `Invalid value ${String(p.value)} of ${where}: must be a finite number`,
        );
      }
      return { time, value: p.value, name: s.name };
    }).sort((a, b) => a.time.getTime() - b.time.getTime());
    return {
      name: s.name,
      shape: s.shape ?? "line",
      dashed: s.dashed === true,
      markers: s.markers === true,
      panel,
      points,
    };
  });
  if (series.every((s) => s.points.length === 0)) {
    throw new RangeError("Cannot draw a chart without points: every series is empty");
  }
  return {
    series,
    title: text(options.title, "title"),
    xLabel: text(options.xLabel, "xLabel", "Time (UTC)")!,
    width: size(options.width, "width", [240, 4000], 640),
    panelHeight: size(options.panelHeight, "panelHeight", [80, 2000], 200),
  };
}
