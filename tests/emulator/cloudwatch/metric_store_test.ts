import assert from "node:assert/strict";
import { metricKey, MetricStore, RETENTION_MS } from "../../../emulator/cloudwatch/metric_store.ts";
import {
  parseStatistic,
  type Sample,
  singleValueSample,
} from "../../../emulator/cloudwatch/statistics.ts";

const metric = {
  namespace: "App",
  metricName: "Queue",
  dimensions: [{ Name: "A", Value: "1" }, { Name: "B", Value: "2" }],
};
const point = (timestamp: number, value: number, unit = "Count"): Sample =>
  singleValueSample(value, { timestamp, unit });

Deno.test("metricKey() ignores dimension order but not dimension values", () => {
  const reversed = { ...metric, dimensions: [...metric.dimensions].reverse() };
  assert.equal(metricKey(metric), metricKey(reversed));
  const other = { ...metric, dimensions: [{ Name: "A", Value: "1" }] };
  assert.notEqual(metricKey(metric), metricKey(other));
});

Deno.test("MetricStore.series() buckets by period from the start time and skips empty periods", () => {
  const store = new MetricStore();
  for (const [t, v] of [[5_000, 1], [50_000, 3], [130_000, 10], [10_000, 100]]) {
    store.put(metric, point(t!, v!, t === 10_000 ? "Seconds" : "Count"), 200_000);
  }
  const average = parseStatistic("Average")!;
  assert.deepEqual(
    store.series(metric, { start: 0, end: 200_000, periodMs: 60_000, statistic: average }),
    [{ timestamp: 0, value: 104 / 3 }, { timestamp: 120_000, value: 10 }],
  );
  assert.deepEqual(
    store.series(metric, {
      start: 0,
      end: 200_000,
      periodMs: 60_000,
      statistic: average,
      unit: "Count",
    }),
    [{ timestamp: 0, value: 2 }, { timestamp: 120_000, value: 10 }],
  );
  // Anchored at the start, not at epoch multiples of the period.
  assert.deepEqual(
    store.series(metric, { start: 30_000, end: 200_000, periodMs: 60_000, statistic: average }),
    [{ timestamp: 30_000, value: 3 }, { timestamp: 90_000, value: 10 }],
  );
});

Deno.test("MetricStore drops data points older than the retention period", () => {
  const store = new MetricStore();
  store.put(metric, point(0, 1), 0);
  store.put(metric, point(RETENTION_MS + 1, 2), RETENTION_MS + 1);
  assert.deepEqual(store.samples(metric, 0, Infinity).map((s) => s.sum), [2]);
  assert.equal(store.metrics()[0]?.lastPutAt, RETENTION_MS + 1);
});
