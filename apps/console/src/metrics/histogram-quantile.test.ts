import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Bucket, histogramQuantile } from "./histogram-quantile.js";

const INF = Number.POSITIVE_INFINITY;

describe("histogram quantiles", () => {
  it("interpolates inside the bucket holding the rank, as Prometheus does", () => {
    const buckets: Bucket[] = [
      { le: 0.1, count: 50 },
      { le: 0.5, count: 90 },
      { le: 1, count: 100 },
      { le: INF, count: 100 },
    ];
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.1);
    expect(histogramQuantile(0.7, buckets)).toBeCloseTo(0.3);
    expect(histogramQuantile(0.95, buckets)).toBeCloseTo(0.75);
  });

  it("answers the highest finite bound for a rank in +Inf, and null without observations", () => {
    expect(
      histogramQuantile(0.99, [
        { le: 1, count: 1 },
        { le: INF, count: 10 },
      ]),
    ).toBe(1);
    expect(histogramQuantile(0.5, [{ le: INF, count: 0 }])).toBeNull();
    expect(histogramQuantile(0.5, [])).toBeNull();
  });

  it("grows with q and stays within the bounds", () => {
    const histograms = fc
      .array(fc.nat({ max: 50 }), { minLength: 1, maxLength: 8 })
      .map((increments) => {
        let count = 0;
        const buckets: Bucket[] = increments.map((increment, i) => {
          count += increment;
          return { le: (i + 1) * 0.1, count };
        });
        return [...buckets, { le: INF, count }];
      })
      .filter((buckets) => (buckets.at(-1)?.count ?? 0) > 0);
    fc.assert(
      fc.property(histograms, fc.double({ min: 0, max: 1, noNaN: true }), (buckets, q) => {
        const low = histogramQuantile(q / 2, buckets) as number;
        const high = histogramQuantile(q, buckets) as number;
        const top = (buckets.length - 1) * 0.1;
        return low <= high + 1e-12 && low >= 0 && high <= top + 1e-12;
      }),
    );
  });
});
