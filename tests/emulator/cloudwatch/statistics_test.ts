import assert from "node:assert/strict";
import {
  computeStatistic,
  parseStatistic,
  type Sample,
} from "../../../emulator/cloudwatch/statistics.ts";

const raw = (values: number[], counts?: number[]): Sample => {
  const weights = counts ?? values.map(() => 1);
  const n = weights.reduce((a, b) => a + b, 0);
  return {
    timestamp: 0,
    unit: "None",
    sampleCount: n,
    sum: values.reduce((a, v, i) => a + v * weights[i]!, 0),
    minimum: Math.min(...values),
    maximum: Math.max(...values),
    values,
    counts: weights,
  };
};

Deno.test("parseStatistic() accepts the five basic statistics and percentiles, nothing else", () => {
  assert.deepEqual(parseStatistic("Average"), { kind: "basic", name: "Average" });
  assert.deepEqual(parseStatistic("p99.9"), { kind: "percentile", name: "p99.9", percent: 99.9 });
  assert.deepEqual(parseStatistic("p100"), { kind: "percentile", name: "p100", percent: 100 });
  for (const bad of ["average", "Median", "p101", "p", "tm99", "IQM"]) {
    assert.equal(parseStatistic(bad), undefined, bad);
  }
});

Deno.test("computeStatistic() combines raw values with counts and statistic sets", () => {
  const samples = [raw([1, 3], [1, 3]), {
    timestamp: 0,
    unit: "None",
    sampleCount: 2,
    sum: 20,
    minimum: 0,
    maximum: 12,
  }];
  const stat = (name: string) => computeStatistic(samples, parseStatistic(name)!);
  assert.equal(stat("SampleCount"), 6);
  assert.equal(stat("Sum"), 30);
  assert.equal(stat("Average"), 5);
  assert.equal(stat("Minimum"), 0);
  assert.equal(stat("Maximum"), 12);
});

Deno.test("computeStatistic() takes percentiles by nearest rank over raw values only", () => {
  const samples = [raw([10, 20, 30, 40]), raw([100], [4])];
  assert.equal(computeStatistic(samples, parseStatistic("p50")!), 40);
  assert.equal(computeStatistic(samples, parseStatistic("p10")!), 10);
  assert.equal(computeStatistic(samples, parseStatistic("p99")!), 100);
  const setsOnly: Sample[] = [{
    timestamp: 0,
    unit: "None",
    sampleCount: 1,
    sum: 1,
    minimum: 1,
    maximum: 1,
  }];
  assert.equal(computeStatistic(setsOnly, parseStatistic("p50")!), undefined);
  assert.equal(computeStatistic([], parseStatistic("Sum")!), undefined);
});
