/**
 * How one cost of Miroir grows with one dimension of the fleet (nodes searched, shards,
 * page size, connections, …), measured at several points in one run.
 */
export interface CurvePoint {
  readonly x: number;
  readonly y: number;
}

export interface CurveSeries {
  readonly label: string;
  readonly points: readonly CurvePoint[];
  /** The report fits this series and states its growth; reference lines are not fitted. */
  readonly fitted: boolean;
}

export interface CostCurve {
  /** Stable id: the chart is `docs/benchmarks/curve-<id>.svg`. */
  readonly id: string;
  readonly title: string;
  readonly x: {
    readonly label: string;
    /** What one unit of x is, for slopes: "node searched" → "ms per node searched". */
    readonly unit: string;
    /** `log2` when the points double from one to the next. */
    readonly scale: "linear" | "log2";
  };
  readonly y: { readonly label: string; readonly unit: string };
  readonly series: readonly CurveSeries[];
  /** How the points were measured, for the report. */
  readonly method: string;
  /** Index of a series the first one is compared with, point by point (a ratio column). */
  readonly reference?: number;
  /** What was held fixed while x varied (`{ shards: 256 }`), for models built on the curve. */
  readonly fixed?: Readonly<Record<string, number>>;
}

/** Every curve of one run of the cost-curve suites. */
export interface CostCurvesRun {
  readonly generatedAt: string;
  /** The commit measured. */
  readonly revision: string;
  readonly upstream: "emulated" | "real";
  readonly durationSeconds: number;
  readonly curves: readonly CostCurve[];
  /** Suites that could not run, with the reason. */
  readonly failures: readonly { readonly suite: string; readonly error: string }[];
}
