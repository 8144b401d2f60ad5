import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitGrowth, leastSquares, predict } from "./growth-fit.js";
import { lineChartSvg, niceTicks } from "./line-chart-svg.js";
import { markdownReport } from "./markdown-report.js";
import { reportCharts } from "./report-charts.js";
import { costCurvesFixture, fixtureResults } from "./report-fixture.js";

const XS = [1, 2, 4, 8, 16, 32];

describe("the growth fit", () => {
  it("recovers an exact line, an exact logarithm and a flat series", () => {
    const linear = fitGrowth(XS.map((x) => ({ x, y: 0.5 + 0.25 * x })));
    expect(linear.model).toBe("linear");
    expect(linear.slope).toBeCloseTo(0.25, 12);
    expect(linear.intercept).toBeCloseTo(0.5, 12);
    expect(linear.r2).toBeCloseTo(1, 12);
    const log = fitGrowth(XS.map((x) => ({ x, y: 3 + 2 * Math.log2(x) })));
    expect(log.model).toBe("logarithmic");
    expect(log.slope).toBeCloseTo(2, 12);
    expect(predict(log, 64)).toBeCloseTo(15, 9);
    const flat = fitGrowth(XS.map((x, i) => ({ x, y: 10 + (i % 2 === 0 ? 0.1 : -0.1) })));
    expect(flat.model).toBe("constant");
    expect(flat.intercept).toBeCloseTo(10, 12);
    expect(flat.rejected).toBeDefined();
  });

  it("calls a growth constant when it moves y by under 10 % over the range, however well it fits", () => {
    const small = fitGrowth(XS.map((x) => ({ x, y: 100 + 0.2 * x })));
    expect(small.model).toBe("constant");
    expect(small.rejected?.model).toBe("linear");
    expect(small.rejected?.slope).toBeCloseTo(0.2, 9);
  });

  it("minimises the squared residuals: no other line through the points does better", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 3, maxLength: 8 }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (ys, da, db) => {
          const ts = ys.map((_, i) => i + 1);
          const fit = leastSquares(ts, ys);
          const residual = (a: number, b: number) =>
            ys.reduce((sum, y, i) => sum + (y - a - b * (ts[i] as number)) ** 2, 0);
          expect(residual(fit.intercept, fit.slope)).toBeLessThanOrEqual(
            residual(fit.intercept + da, fit.slope + db) * (1 + 1e-9) + 1e-9,
          );
        },
      ),
    );
  });
});

describe("the line chart", () => {
  it("draws every series as a line with its points, and each fit dashed", () => {
    const svg = lineChartSvg({
      title: "Cost <&> growth",
      xLabel: "nodes",
      yLabel: "ms",
      xScale: "log2",
      series: [
        {
          label: "Miroir",
          points: XS.map((x) => ({ x, y: x })),
          fit: fitGrowth(XS.map((x) => ({ x, y: x }))),
        },
        { label: "floor", points: XS.map((x) => ({ x, y: x / 2 })) },
      ],
    });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("Cost &lt;&amp;&gt; growth");
    expect(svg.match(/<circle /g)).toHaveLength(12);
    expect(svg.match(/stroke-dasharray="6 4"/g)).toHaveLength(1);
    expect(svg).toContain("nodes (log scale)");
    expect(svg).toContain("Miroir (dashed: linear fit)");
  });

  it("puts round y ticks from 0 up to at least the largest value", () => {
    expect(niceTicks(9.3)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0.0042)).toEqual([0, 0.001, 0.002, 0.003, 0.004, 0.005]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});

describe("the cost curves in the report", () => {
  it("tabulates each curve with ratios, links its chart and states each fitted growth", () => {
    const results = fixtureResults({ costCurves: costCurvesFixture() });
    const report = markdownReport(results);
    const section = report.slice(report.indexOf("## Cost curves"));
    expect(section).toContain("<!-- curve:search-latency-nodes -->");
    expect(section).toContain(
      "| nodes searched | Miroir (ms) | floor (ms) | Miroir / floor | Miroir / first point |",
    );
    expect(section).toContain("| 32 | 8.5 | 4.5 | 1.89× | 11.33× |");
    expect(section).toContain("![Search latency](benchmarks/curve-search-latency-nodes.svg)");
    expect(section).toMatch(
      /^- \*\*Miroir\*\*: linear in nodes searched — slope 0\.25 ms per node searched, intercept 0\.5 ms, R² 1\.000\.$/m,
    );
    expect(section).toMatch(
      /^- \*\*flat\*\*: constant in shards — mean 2 ms \(best non-constant fit/m,
    );
    expect(section).not.toMatch(/^- \*\*floor\*\*/m);
    expect([...reportCharts(results).keys()]).toContain("curve-search-latency-nodes.svg");
  });

  it("says the curves were not measured when the run has none", () => {
    const report = markdownReport(fixtureResults());
    expect(report).toContain("## Cost curves\n\nNot measured in this run.");
  });
});
