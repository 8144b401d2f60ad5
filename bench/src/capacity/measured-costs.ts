import type { BenchmarkResults } from "../report/benchmark-results.js";
import type { CostCurve, CurveSeries } from "../report/cost-curve.js";
import { fitGrowth, type GrowthFit } from "../report/growth-fit.js";
import type { ProxyCosts } from "./capacity-model.js";

function curveOf(results: BenchmarkResults, id: string): CostCurve {
  const curve = results.costCurves?.curves.find((candidate) => candidate.id === id);
  if (curve === undefined) {
    throw new Error(
      `the cost curve ${id} is not in the results: run \`pnpm bench\` (or --only cost-curves)`,
    );
  }
  return curve;
}

/** One fitted series of a curve (the first one when no label is given). */
export function seriesOf(results: BenchmarkResults, id: string, label?: string): CurveSeries {
  const curve = curveOf(results, id);
  const series = curve.series.find((s) => s.fitted && (label === undefined || s.label === label));
  if (series === undefined) throw new Error(`the cost curve ${id} has no fitted series ${label}`);
  return series;
}

/** The fit the report states for one series (the first fitted one when no label is given). */
export function fitOf(results: BenchmarkResults, id: string, label?: string): GrowthFit {
  return fitGrowth(seriesOf(results, id, label).points);
}

/** What a curve held fixed while its x varied. */
export function fixedOf(results: BenchmarkResults, id: string, what: string): number {
  const value = curveOf(results, id).fixed?.[what];
  if (value === undefined)
    throw new Error(`the cost curve ${id} does not say which ${what} it held`);
  return value;
}

/** The slope a fit found, even when the report called the growth constant. */
export function slopeOf(fit: GrowthFit): number {
  return fit.model === "constant" ? (fit.rejected?.slope ?? 0) : fit.slope;
}

/** Miroir's own costs from the cost curves of a `pnpm bench` run. */
export function measuredCosts(results: BenchmarkResults): ProxyCosts {
  return {
    cpuPerSearch: fitOf(results, "search-cpu-nodes"),
    cpuPerSearchOverShards: fitOf(results, "search-cpu-shards"),
    latency: fitOf(results, "search-latency-nodes", "Miroir"),
    latencyOverShards: fitOf(results, "search-latency-shards"),
    nodesCurveShards: fixedOf(results, "search-cpu-nodes", "shards"),
    mergeOverAnswers: fitOf(results, "merge-answers"),
    mergeMicrosPerHit:
      slopeOf(fitOf(results, "merge-page")) / fixedOf(results, "merge-page", "answers"),
    redisPerWrite: fitOf(results, "store-ops-write-waited", "Redis commands"),
    redisPerSearch: fitOf(results, "store-ops-search", "Redis commands"),
    redisIdlePerSecond: fitOf(results, "store-ops-idle", "Redis commands"),
    tableBuild: fitOf(results, "routing-table-nodes"),
    tableShards: fixedOf(results, "routing-table-nodes", "shards"),
    memoryOverConnections: fitOf(results, "memory-connections", "RSS"),
    memoryOverNodes: fitOf(results, "memory-nodes", "RSS"),
    memoryOverIndexes: fitOf(results, "memory-indexes", "RSS"),
  };
}
