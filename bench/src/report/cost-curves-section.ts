import { formatValue } from "./bar-chart-svg.js";
import type { CostCurve, CostCurvesRun, CurveSeries } from "./cost-curve.js";
import { fitGrowth, GROWTH_RULE, type GrowthFit } from "./growth-fit.js";
import { markdownTable } from "./markdown-table.js";

export function curveChartName(curve: CostCurve): string {
  return `curve-${curve.id}.svg`;
}

/** A number with 3 significant digits, written so that `Number()` reads it back. */
export function significant(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

/** The fit of every fitted series of a curve, by series label. */
export function curveFits(curve: CostCurve): Map<string, GrowthFit> {
  return new Map(
    curve.series
      .filter((series) => series.fitted && series.points.length >= 2)
      .map((series) => [series.label, fitGrowth(series.points)]),
  );
}

/**
 * One line per fitted series, in a fixed shape that `cost-curve-fits.test.ts` reads back:
 * `- **label**: linear in X — slope S unit per x-unit, intercept I unit, R² R.`
 */
export function growthLine(curve: CostCurve, label: string, fit: GrowthFit): string {
  const unit = curve.y.unit;
  const per = (model: GrowthFit["model"]) =>
    model === "logarithmic" ? `per doubling of ${curve.x.label}` : `per ${curve.x.unit}`;
  const describe = (f: Omit<GrowthFit, "rejected">) =>
    `slope ${significant(f.slope)} ${unit} ${per(f.model)}, intercept ${significant(f.intercept)} ${unit}, R² ${f.r2.toFixed(3)}`;
  if (fit.model === "constant") {
    const rejected = fit.rejected as Omit<GrowthFit, "rejected">;
    return `- **${label}**: constant in ${curve.x.label} — mean ${significant(fit.intercept)} ${unit} (best non-constant fit ${rejected.model}: ${describe(rejected)}).`;
  }
  return `- **${label}**: ${fit.model} in ${curve.x.label} — ${describe(fit)}.`;
}

function curveTable(curve: CostCurve): string {
  const xs = [...new Set(curve.series.flatMap((s) => s.points.map((p) => p.x)))].sort(
    (a, b) => a - b,
  );
  const valueAt = (series: CurveSeries | undefined, x: number) =>
    series?.points.find((point) => point.x === x)?.y;
  const first = curve.series[0];
  const reference = curve.reference === undefined ? undefined : curve.series[curve.reference];
  const firstY = valueAt(first, xs[0] as number);
  const header = [
    curve.x.label,
    ...curve.series.map((series) => `${series.label} (${curve.y.unit})`),
    ...(reference === undefined ? [] : [`${first?.label} / ${reference.label}`]),
    `${first?.label} / first point`,
  ];
  const rows = xs.map((x) => {
    const y = valueAt(first, x);
    const ref = valueAt(reference, x);
    return [
      formatValue(x),
      ...curve.series.map((series) => {
        const value = valueAt(series, x);
        return value === undefined ? "–" : formatValue(value);
      }),
      ...(reference === undefined
        ? []
        : [y === undefined || ref === undefined || ref === 0 ? "–" : `${(y / ref).toFixed(2)}×`]),
      y === undefined || firstY === undefined || firstY === 0 ? "–" : `${(y / firstY).toFixed(2)}×`,
    ];
  });
  return markdownTable(header, rows);
}

function curveSection(curve: CostCurve): string {
  const fits = curveFits(curve);
  return [
    `<!-- curve:${curve.id} -->`,
    `### ${curve.title}`,
    "",
    curve.method,
    "",
    curveTable(curve),
    "",
    `![${curve.title}](benchmarks/${curveChartName(curve)})`,
    "",
    ...[...fits].map(([label, fit]) => growthLine(curve, label, fit)),
    "",
  ].join("\n");
}

/** The "Cost curves" part of docs/benchmarks.md. */
export function costCurvesSection(run: CostCurvesRun | null | undefined): string {
  if (run === null || run === undefined) return "Not measured in this run.";
  const upstream =
    run.upstream === "real" ? "real Meilisearch nodes (`MEILI_BIN`)" : "emulated nodes";
  return [
    `Measured ${run.generatedAt} (${run.durationSeconds.toFixed(0)} s, commit ${run.revision}, ${upstream} where a curve uses nodes that index). Each curve is measured within one run, point after point under the same load, so read it as a shape and as ratios between its points; the absolute figures carry the machine's noise.`,
    "",
    `How the growth is called: ${GROWTH_RULE} The fitted slopes below are recomputed from \`bench/results/latest.json\` by \`bench/src/report/cost-curve-fits.test.ts\`.`,
    "",
    ...run.curves.map(curveSection),
    ...(run.failures.length === 0
      ? []
      : [
          "Curves that could not be measured in this run:",
          "",
          ...run.failures.map(
            (failure) => `- ${failure.suite}: \`${failure.error.split("\n")[0]}\``,
          ),
          "",
        ]),
  ].join("\n");
}
