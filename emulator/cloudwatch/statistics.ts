/**
 * CloudWatch statistics over the data points of one period: `SampleCount`,
 * `Average`, `Sum`, `Minimum`, `Maximum` and percentiles `pNN` / `pNN.NN`
 * (nearest rank over the raw values; periods whose data came only as
 * statistic sets have no percentiles, as in CloudWatch).
 *
 * @module
 */

/** The five basic statistics. */
export const BASIC_STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"] as const;

/** A basic statistic name. */
export type BasicStatistic = typeof BASIC_STATISTICS[number];

/** A parsed statistic. */
export type Statistic =
  | { readonly kind: "basic"; readonly name: BasicStatistic }
  | { readonly kind: "percentile"; readonly name: string; readonly percent: number };

const PERCENTILE = /^p(\d{1,2}(\.\d{1,10})?|100(\.0{1,10})?)$/;

/**
 * Parses a statistic as `GetMetricData`'s `Stat` or an alarm's
 * `Statistic`/`ExtendedStatistic` spells it; `undefined` if unsupported.
 */
export function parseStatistic(text: string): Statistic | undefined {
  if ((BASIC_STATISTICS as readonly string[]).includes(text)) {
    return { kind: "basic", name: text as BasicStatistic };
  }
  if (PERCENTILE.test(text)) {
    return { kind: "percentile", name: text, percent: Number(text.slice(1)) };
  }
  return undefined;
}

/** One stored data point: a statistic set, with the raw values when they were sent. */
export interface Sample {
  /** Epoch ms. */
  readonly timestamp: number;
  /** `None` when no unit was given. */
  readonly unit: string;
  readonly sampleCount: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
  /** Raw values and their counts; absent for `StatisticValues`. */
  readonly values?: readonly number[];
  readonly counts?: readonly number[];
}

/** The sample of one value (`Value`, or a SageMaker metric the emulator publishes). */
export function singleValueSample(
  value: number,
  at: { readonly timestamp: number; readonly unit: string },
): Sample {
  return {
    timestamp: at.timestamp,
    unit: at.unit,
    sampleCount: 1,
    sum: value,
    minimum: value,
    maximum: value,
    values: [value],
    counts: [1],
  };
}

/** Combines the samples of one period into the requested statistic; `undefined` when empty. */
export function computeStatistic(
  samples: readonly Sample[],
  statistic: Statistic,
): number | undefined {
  if (samples.length === 0) return undefined;
  if (statistic.kind === "percentile") return percentile(samples, statistic.percent);
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const s of samples) {
    count += s.sampleCount;
    sum += s.sum;
    if (s.minimum < min) min = s.minimum;
    if (s.maximum > max) max = s.maximum;
  }
  switch (statistic.name) {
    case "SampleCount":
      return count;
    case "Sum":
      return sum;
    case "Minimum":
      return min;
    case "Maximum":
      return max;
    case "Average":
      return count === 0 ? undefined : sum / count;
  }
}

function percentile(samples: readonly Sample[], percent: number): number | undefined {
  const weighted: Array<[number, number]> = [];
  let total = 0;
  for (const s of samples) {
    if (!s.values) continue;
    s.values.forEach((value, i) => {
      const count = s.counts?.[i] ?? 1;
      if (count > 0) {
        weighted.push([value, count]);
        total += count;
      }
    });
  }
  if (total === 0) return undefined;
  weighted.sort((a, b) => a[0] - b[0]);
  const rank = Math.max(1, Math.ceil((percent / 100) * total));
  let seen = 0;
  for (const [value, count] of weighted) {
    seen += count;
    if (seen >= rank) return value;
  }
  return weighted[weighted.length - 1]![0];
}
