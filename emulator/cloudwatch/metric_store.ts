/**
 * CloudWatch's metric store: data points by metric (namespace, name and the
 * exact set of dimensions), aggregated on read into periods anchored at the
 * query's start time.
 *
 * Retention is simplified: every data point is kept at full resolution for
 * 15 days (CloudWatch keeps 1-minute data that long, then coarser
 * aggregates), then dropped.
 *
 * @module
 */
import { computeStatistic, type Sample, type Statistic } from "./statistics.ts";

/** A dimension as on the wire. */
export interface Dimension {
  readonly Name: string;
  readonly Value: string;
}

/** What identifies a metric. */
export interface MetricIdentity {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly Dimension[];
}

/** How long data points are kept, ms (15 days). */
export const RETENTION_MS = 15 * 24 * 3_600_000;

/** A stable key for a metric: dimension order does not matter. */
export function metricKey(metric: MetricIdentity): string {
  const dims = [...metric.dimensions]
    .sort((a, b) => a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0)
    .map((d) => `${d.Name}=${d.Value}`);
  return JSON.stringify([metric.namespace, metric.metricName, dims]);
}

/** One value of an aggregated series. */
export interface SeriesPoint {
  /** Start of the period, epoch ms. */
  readonly timestamp: number;
  readonly value: number;
}

/** Options for {@linkcode MetricStore.series}. */
export interface SeriesOptions {
  /** First period starts here (epoch ms). */
  start: number;
  /** Periods end before this (epoch ms); a last partial period is included. */
  end: number;
  /** Period length, ms. */
  periodMs: number;
  statistic: Statistic;
  /** Only data points published with this unit. */
  unit?: string;
}

interface Series {
  readonly metric: MetricIdentity;
  /** Sorted by timestamp. */
  readonly samples: Sample[];
  /** Emulated time of the last put, epoch ms. */
  lastPutAt: number;
}

/** In-memory metric storage with period aggregation. */
export class MetricStore {
  readonly #series = new Map<string, Series>();

  /** Stores one data point of a metric. `now` is the emulated time of the put. */
  put(metric: MetricIdentity, sample: Sample, now: number): void {
    const key = metricKey(metric);
    let series = this.#series.get(key);
    if (!series) {
      series = {
        metric: {
          namespace: metric.namespace,
          metricName: metric.metricName,
          dimensions: metric.dimensions.map((d) => ({ Name: d.Name, Value: d.Value })),
        },
        samples: [],
        lastPutAt: now,
      };
      this.#series.set(key, series);
    }
    series.lastPutAt = now;
    const samples = series.samples;
    let i = samples.length;
    while (i > 0 && samples[i - 1]!.timestamp > sample.timestamp) i--;
    samples.splice(i, 0, sample);
    const horizon = now - RETENTION_MS;
    let drop = 0;
    while (drop < samples.length && samples[drop]!.timestamp < horizon) drop++;
    if (drop > 0) samples.splice(0, drop);
  }

  /** Raw data points of a metric within `[start, end)`. */
  samples(metric: MetricIdentity, start: number, end: number, unit?: string): Sample[] {
    const series = this.#series.get(metricKey(metric));
    if (!series) return [];
    return series.samples.filter((s) =>
      s.timestamp >= start && s.timestamp < end && (unit === undefined || s.unit === unit)
    );
  }

  /**
   * The metric aggregated into periods `[start + k·period, start + (k+1)·period)`
   * that lie (at least partly) before `end`; periods without data are left out.
   */
  series(metric: MetricIdentity, options: SeriesOptions): SeriesPoint[] {
    const { start, end, periodMs, statistic, unit } = options;
    const buckets = new Map<number, Sample[]>();
    for (const sample of this.samples(metric, start, end, unit)) {
      const bucket = start + Math.floor((sample.timestamp - start) / periodMs) * periodMs;
      let list = buckets.get(bucket);
      if (!list) buckets.set(bucket, list = []);
      list.push(sample);
    }
    const points: SeriesPoint[] = [];
    for (const [timestamp, samples] of [...buckets].sort((a, b) => a[0] - b[0])) {
      const value = computeStatistic(samples, statistic);
      if (value !== undefined) points.push({ timestamp, value });
    }
    return points;
  }

  /** The series `keep` selects, with their data points, for persistence. */
  export(
    keep: (metric: MetricIdentity) => boolean,
  ): Array<{ metric: MetricIdentity; lastPutAt: number; samples: Sample[] }> {
    return [...this.#series.values()]
      .filter((s) => s.samples.length > 0 && keep(s.metric))
      .map((s) => ({ metric: s.metric, lastPutAt: s.lastPutAt, samples: [...s.samples] }));
  }

  /** Loads series saved by {@linkcode MetricStore.export}. */
  import(
    series: ReadonlyArray<
      { metric: MetricIdentity; lastPutAt: number; samples: readonly Sample[] }
    >,
  ): void {
    for (const s of series) {
      this.#series.set(metricKey(s.metric), {
        metric: s.metric,
        samples: [...s.samples].sort((a, b) => a.timestamp - b.timestamp),
        lastPutAt: s.lastPutAt,
      });
    }
  }

  /** Every metric that has data, with the time of its last put. */
  metrics(): Array<{ metric: MetricIdentity; lastPutAt: number }> {
    return [...this.#series.values()]
      .filter((s) => s.samples.length > 0)
      .map((s) => ({ metric: s.metric, lastPutAt: s.lastPutAt }));
  }
}
