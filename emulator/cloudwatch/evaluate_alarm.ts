/**
 * One evaluation of a metric alarm, as CloudWatch describes it
 * ("Evaluating an alarm", "Configuring how CloudWatch alarms treat missing
 * data"):
 *
 * - The alarm looks at the last `EvaluationPeriods` (N) complete periods of
 *   its metric, ending at the last period boundary, and is `ALARM` when at
 *   least `DatapointsToAlarm` (M) of them breach the threshold.
 * - It fetches a longer evaluation range (here 2·N periods). When some of the
 *   last N periods have no data but the range holds at least N real data
 *   points, the most recent N real ones are used and `TreatMissingData` does
 *   not matter.
 * - Otherwise the missing ones are filled per `TreatMissingData`:
 *   `breaching` / `notBreaching` count as such; with `missing` and `ignore`
 *   only real data points count, and the alarm changes state only when they
 *   decide it (M breaching -> `ALARM`; more than N − M not breaching -> `OK`),
 *   else it keeps its state. With no real data at all, `missing` goes to
 *   `INSUFFICIENT_DATA` and `ignore` keeps the state.
 *
 * @module
 */
import type { AlarmState, ComparisonOperator, MetricAlarmDefinition } from "./alarm.ts";
import type { SeriesPoint } from "./metric_store.ts";

/** The window of periods an evaluation at `now` reads. */
export function evaluationRange(
  now: number,
  periodMs: number,
  evaluationPeriods: number,
): { start: number; end: number } {
  const end = Math.floor(now / periodMs) * periodMs;
  return { start: end - 2 * evaluationPeriods * periodMs, end };
}

/** Options for {@linkcode evaluateAlarm}. */
export interface EvaluateAlarmOptions {
  /** The alarm's configuration. */
  alarm: MetricAlarmDefinition;
  /** Emulated time of the evaluation, epoch ms. */
  now: number;
  /** The alarm's period, ms. */
  periodMs: number;
  /** The statistic's name, for `StateReasonData`. */
  statistic: string;
  /** The metric's values per period within {@linkcode evaluationRange}. */
  points: readonly SeriesPoint[];
}

/** What an evaluation found. */
export interface AlarmEvaluation {
  /** The state the alarm should be in; `undefined` keeps the current state. */
  readonly state: AlarmState | undefined;
  /** `StateReason` for a change. */
  readonly reason: string;
  /** `StateReasonData` (JSON) for a change. */
  readonly reasonData: string;
  /** The real data points evaluated, most recent first. */
  readonly datapoints: readonly SeriesPoint[];
}

/** Whether `value` breaches `threshold` under `operator`. */
export function breaches(value: number, operator: ComparisonOperator, threshold: number): boolean {
  switch (operator) {
    case "GreaterThanOrEqualToThreshold":
      return value >= threshold;
    case "GreaterThanThreshold":
      return value > threshold;
    case "LessThanThreshold":
      return value < threshold;
    case "LessThanOrEqualToThreshold":
      return value <= threshold;
  }
}

const PHRASES: Record<ComparisonOperator, string> = {
  GreaterThanOrEqualToThreshold: "greater than or equal to",
  GreaterThanThreshold: "greater than",
  LessThanThreshold: "less than",
  LessThanOrEqualToThreshold: "less than or equal to",
};

/** A number as CloudWatch prints doubles in reasons: `1.0`, `0.5`. */
export function formatReasonValue(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** A timestamp as CloudWatch prints it in reasons: `dd/MM/yy HH:mm:ss` (UTC). */
export function formatReasonDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** ISO 8601 with `+0000`, as in `StateReasonData`. */
function reasonDataDate(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

function list(points: readonly SeriesPoint[]): string {
  return points.map((p) => `${formatReasonValue(p.value)} (${formatReasonDate(p.timestamp)})`)
    .join(", ");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Evaluates an alarm's data points; see the module documentation for the rules. */
export function evaluateAlarm(options: EvaluateAlarmOptions): AlarmEvaluation {
  const { alarm, now, periodMs, points } = options;
  const n = alarm.EvaluationPeriods;
  const m = alarm.DatapointsToAlarm ?? n;
  const threshold = alarm.Threshold ?? 0;
  const operator = alarm.ComparisonOperator;
  const treat = alarm.TreatMissingData ?? "missing";
  const { start, end } = evaluationRange(now, periodMs, n);
  const byTime = new Map(points.map((p) => [p.timestamp, p]));
  const window: Array<SeriesPoint | undefined> = [];
  for (let k = 1; k <= n; k++) window.push(byTime.get(end - k * periodMs));
  const real = points.filter((p) => p.timestamp >= start && p.timestamp < end).sort((a, b) =>
    b.timestamp - a.timestamp
  );
  let considered: SeriesPoint[];
  let filled = 0;
  if (window.every((p) => p !== undefined)) {
    considered = window as SeriesPoint[];
  } else if (real.length >= n) {
    considered = real.slice(0, n);
  } else {
    considered = real;
    filled = n - real.length;
  }
  const breaching = considered.filter((p) => breaches(p.value, operator, threshold));
  const notBreaching = considered.filter((p) => !breaches(p.value, operator, threshold));
  const fillBreaches = treat === "breaching" ? filled : 0;
  const fillOk = treat === "notBreaching" ? filled : 0;
  const breachCount = breaching.length + fillBreaches;
  const okCount = notBreaching.length + fillOk;
  const reasonData = JSON.stringify({
    version: "1.0",
    queryDate: reasonDataDate(now),
    startDate: reasonDataDate(end - n * periodMs),
    statistic: options.statistic,
    period: periodMs / 1000,
    recentDatapoints: [...considered].reverse().map((p) => p.value),
    threshold,
    evaluatedDatapoints: considered.map((p) => ({
      timestamp: reasonDataDate(p.timestamp),
      value: p.value,
    })),
  });
  const phrase = PHRASES[operator];
  const thresholdText = formatReasonValue(threshold);
  const missingNote = (kind: string) =>
    filled === 0 || (treat !== "breaching" && treat !== "notBreaching")
      ? ""
      : ` and ${plural(filled, "missing datapoint")} ${
        filled === 1 ? "was" : "were"
      } treated as [${kind}]`;

  if (considered.length === 0 && (treat === "missing" || treat === "ignore")) {
    return {
      state: treat === "missing" ? "INSUFFICIENT_DATA" : undefined,
      reason: `Insufficient Data: ${plural(n, "datapoint")} ${n === 1 ? "was" : "were"} unknown.`,
      reasonData,
      datapoints: [],
    };
  }
  const decided = breachCount >= m ? "ALARM" : okCount > n - m ? "OK" : undefined;
  if (decided === undefined) {
    return { state: undefined, reason: "", reasonData, datapoints: considered };
  }
  if (considered.length === 0) {
    const kind = decided === "ALARM" ? "Breaching" : "NonBreaching";
    return {
      state: decided,
      reason: `Threshold Crossed: no datapoints were received for ${plural(n, "period")} and ` +
        `${plural(n, "missing datapoint")} ${n === 1 ? "was" : "were"} treated as [${kind}].`,
      reasonData,
      datapoints: considered,
    };
  }
  if (decided === "ALARM") {
    const shown = m === n ? breaching : considered;
    const head = m === n
      ? `${plural(breaching.length, "datapoint")} [${list(shown)}] ${
        breaching.length === 1 ? "was" : "were"
      }`
      : `${breaching.length} out of the last ${n} datapoints [${list(shown)}] were`;
    const tail = m === n ? "" : ` (minimum ${m} datapoints for OK -> ALARM transition)`;
    return {
      state: "ALARM",
      reason: `Threshold Crossed: ${head} ${phrase} the threshold (${thresholdText})${tail}` +
        `${missingNote("Breaching")}.`,
      reasonData,
      datapoints: considered,
    };
  }
  const head = m === n
    ? `${plural(notBreaching.length, "datapoint")} [${list(notBreaching)}] ${
      notBreaching.length === 1 ? "was" : "were"
    }`
    : `${notBreaching.length} out of the last ${n} datapoints [${list(considered)}] were`;
  const tail = m === n ? "" : ` (minimum ${n - m + 1} datapoints for ALARM -> OK transition)`;
  return {
    state: "OK",
    reason: `Threshold Crossed: ${head} not ${phrase} the threshold (${thresholdText})${tail}` +
      `${missingNote("NonBreaching")}.`,
    reasonData,
    datapoints: considered,
  };
}
