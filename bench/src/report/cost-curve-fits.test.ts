import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REPORT_PATH, RESULTS_PATH } from "../repo-paths.js";
import type { BenchmarkResults } from "./benchmark-results.js";
import type { CurvePoint } from "./cost-curve.js";

/**
 * Recomputes, from the raw figures of the committed run (`bench/results/latest.json`),
 * every growth docs/benchmarks.md states for a cost curve, with its own least squares
 * (normal equations by Cramer's rule, not the report's code), and compares them with the
 * numbers the report prints.
 */
interface Fit {
  readonly intercept: number;
  readonly slope: number;
  readonly r2: number;
  readonly residual: number;
}

function fitBySums(ts: readonly number[], ys: readonly number[]): Fit {
  const n = ts.length;
  let st = 0;
  let sy = 0;
  let stt = 0;
  let sty = 0;
  for (let i = 0; i < n; i++) {
    const t = ts[i] as number;
    const y = ys[i] as number;
    st += t;
    sy += y;
    stt += t * t;
    sty += t * y;
  }
  const determinant = n * stt - st * st;
  const slope = determinant === 0 ? 0 : (n * sty - st * sy) / determinant;
  const intercept = determinant === 0 ? sy / n : (stt * sy - st * sty) / determinant;
  const mean = sy / n;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    residual += ((ys[i] as number) - intercept - slope * (ts[i] as number)) ** 2;
    total += ((ys[i] as number) - mean) ** 2;
  }
  return { intercept, slope, r2: total === 0 ? 1 : 1 - residual / total, residual };
}

/** The rule the report states, applied again. */
function expectedGrowth(points: readonly CurvePoint[]) {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const linear = fitBySums(xs, ys);
  const log = fitBySums(xs.map(Math.log2), ys);
  const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
  const total = ys.reduce((sum, y) => sum + (y - mean) ** 2, 0);
  const useLog = log.residual < linear.residual - 1e-9 * total;
  const best = useLog ? log : linear;
  const span = useLog
    ? Math.log2(Math.max(...xs)) - Math.log2(Math.min(...xs))
    : Math.max(...xs) - Math.min(...xs);
  const constant = best.r2 < 0.5 || Math.abs(best.slope * span) < 0.1 * Math.abs(mean);
  return { model: useLog ? "logarithmic" : "linear", best, constant, mean };
}

/** Printed with 3 significant digits: equal up to that rounding. */
function expectPrinted(printed: string | undefined, value: number): void {
  expect(printed).toBeDefined();
  expect(Math.abs(Number(printed) - value)).toBeLessThanOrEqual(0.006 * Math.abs(value) + 1e-12);
}

const results = JSON.parse(readFileSync(RESULTS_PATH, "utf8")) as BenchmarkResults;
const report = readFileSync(REPORT_PATH, "utf8");
const curves = results.costCurves?.curves ?? [];

function sectionOf(id: string): string {
  const start = report.indexOf(`<!-- curve:${id} -->`);
  if (start < 0) return "";
  const rest = report.slice(start + 1);
  const ends = [rest.indexOf("<!-- curve:"), rest.indexOf("\n## ")].filter((at) => at >= 0);
  return rest.slice(0, Math.min(...ends, rest.length));
}

const NUMBER = "(-?[\\d.]+(?:e[-+]?\\d+)?)";

describe("the cost curves stated in docs/benchmarks.md", () => {
  it("come from the committed run, which measured every curve", () => {
    expect(curves.length).toBeGreaterThanOrEqual(12);
    expect(results.costCurves?.failures).toEqual([]);
    expect([...report.matchAll(/<!-- curve:([a-z-]+) -->/g)].map((m) => m[1])).toEqual(
      curves.map((curve) => curve.id),
    );
  });

  for (const curve of curves) {
    it(`state the growth recomputed from the raw points: ${curve.id}`, () => {
      const section = sectionOf(curve.id);
      for (const series of curve.series.filter((s) => s.fitted)) {
        const label = series.label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        const line = new RegExp(
          `^- \\*\\*${label}\\*\\*: (constant|linear|logarithmic) in .*$`,
          "m",
        ).exec(section);
        expect(line, `${curve.id}: a growth line for ${series.label}`).not.toBeNull();
        const text = (line as RegExpExecArray)[0];
        const expected = expectedGrowth(series.points);
        const slope = new RegExp(`slope ${NUMBER} `).exec(text)?.[1];
        const intercept = new RegExp(`intercept ${NUMBER} `).exec(text)?.[1];
        const r2 = /R² (-?\d+\.\d{3})/.exec(text)?.[1];
        if (expected.constant) {
          expect((line as RegExpExecArray)[1]).toBe("constant");
          expectPrinted(new RegExp(`mean ${NUMBER} `).exec(text)?.[1], expected.mean);
          expect(text).toContain(`best non-constant fit ${expected.model}:`);
        } else {
          expect((line as RegExpExecArray)[1]).toBe(expected.model);
        }
        expectPrinted(slope, expected.best.slope);
        expectPrinted(intercept, expected.best.intercept);
        expect(Math.abs(Number(r2) - expected.best.r2)).toBeLessThanOrEqual(0.0005 + 1e-12);
      }
    });
  }
});
