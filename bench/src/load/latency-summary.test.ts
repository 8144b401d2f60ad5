import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { percentile, summarise } from "./latency-summary.js";

describe("latency summary", () => {
  it("gives nearest-rank percentiles", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it("orders p50 ≤ p95 ≤ p99 within the measured range, whatever the latencies", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1 }),
        (values) => {
          const summary = summarise(values, 0, 1);
          expect(summary.p50Ms).toBeLessThanOrEqual(summary.p95Ms);
          expect(summary.p95Ms).toBeLessThanOrEqual(summary.p99Ms);
          expect(summary.p99Ms).toBeLessThanOrEqual(Math.max(...values));
          expect(summary.p50Ms).toBeGreaterThanOrEqual(Math.min(...values));
          expect(summary.requests).toBe(values.length);
        },
      ),
    );
  });

  it("computes throughput from the requests and the measured seconds", () => {
    expect(summarise([1, 2, 3, 4], 1, 2).requestsPerSecond).toBe(2);
  });
});
