import type { CurvePoint } from "./cost-curve.js";

/** How a measured cost grows with x. */
export type GrowthModel = "constant" | "linear" | "logarithmic";

/**
 * A least-squares fit of y against x (`linear`: y = a + b·x) or against log2 x
 * (`logarithmic`: y = a + b·log2 x, so b is the change per doubling of x), and for
 * `constant` the mean of y (slope 0), with the best non-constant fit it was preferred to.
 */
export interface GrowthFit {
  readonly model: GrowthModel;
  readonly intercept: number;
  readonly slope: number;
  /** Share of the variance of y the fit explains. */
  readonly r2: number;
  /** For `constant`: the better of the linear and logarithmic fits, which was not enough. */
  readonly rejected?: Omit<GrowthFit, "rejected">;
}

/** The rule, as the report states it. */
export const GROWTH_RULE =
  "Each fitted series gets a least-squares fit of y = a + b·x (linear) and of y = a + b·log2 x (logarithmic, b per doubling of x); the one with the smaller residual sum of squares is kept (linear on a tie), unless it explains less than half the variance (R² < 0.5) or moves y by less than 10 % of its mean over the measured range: then the growth is called constant, at the mean of y.";

/** Least squares of y on t: intercept, slope, R², residual and total sums of squares. */
export function leastSquares(
  ts: readonly number[],
  ys: readonly number[],
): { intercept: number; slope: number; r2: number; residual: number; total: number } {
  const n = ts.length;
  const meanT = ts.reduce((sum, t) => sum + t, 0) / n;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / n;
  let stt = 0;
  let sty = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dt = (ts[i] as number) - meanT;
    const dy = (ys[i] as number) - meanY;
    stt += dt * dt;
    sty += dt * dy;
    syy += dy * dy;
  }
  const slope = stt === 0 ? 0 : sty / stt;
  const intercept = meanY - slope * meanT;
  let residual = 0;
  for (let i = 0; i < n; i++) {
    residual += ((ys[i] as number) - intercept - slope * (ts[i] as number)) ** 2;
  }
  return { intercept, slope, r2: syy === 0 ? 1 : 1 - residual / syy, residual, total: syy };
}

/** Applies {@link GROWTH_RULE} to the points of one series. */
export function fitGrowth(points: readonly CurvePoint[]): GrowthFit {
  const xs = points.map((point) => point.x);
  const ys = points.map((point) => point.y);
  const linear = leastSquares(xs, ys);
  const logarithmic = xs.every((x) => x > 0) ? leastSquares(xs.map(Math.log2), ys) : null;
  // A tie (two points, or a perfect fit both ways) stays linear: the logarithm must do
  // better by more than rounding.
  const best =
    logarithmic !== null && logarithmic.residual < linear.residual - 1e-9 * linear.total
      ? { model: "logarithmic" as const, ...logarithmic, span: spanOf(xs.map(Math.log2)) }
      : { model: "linear" as const, ...linear, span: spanOf(xs) };
  const meanY = ys.reduce((sum, y) => sum + y, 0) / ys.length;
  const fit = { model: best.model, intercept: best.intercept, slope: best.slope, r2: best.r2 };
  const moves = Math.abs(best.slope * best.span);
  if (best.r2 < 0.5 || moves < 0.1 * Math.abs(meanY)) {
    return { model: "constant", intercept: meanY, slope: 0, r2: 0, rejected: fit };
  }
  return fit;
}

function spanOf(values: readonly number[]): number {
  return Math.max(...values) - Math.min(...values);
}

/** The value of a fit at x. */
export function predict(fit: GrowthFit, x: number): number {
  if (fit.model === "logarithmic") return fit.intercept + fit.slope * Math.log2(x);
  return fit.intercept + fit.slope * x;
}
