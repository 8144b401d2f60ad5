import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { CHARTS_DIR, REPORT_PATH, RESULTS_PATH } from "../repo-paths.js";
import type { BenchmarkResults } from "./benchmark-results.js";
import { markdownReport } from "./markdown-report.js";
import { reportCharts } from "./report-charts.js";

export interface ReportPaths {
  readonly report: string;
  readonly chartsDir: string;
  readonly results: string;
}

export const DEFAULT_REPORT_PATHS: ReportPaths = {
  report: REPORT_PATH,
  chartsDir: CHARTS_DIR,
  results: RESULTS_PATH,
};

/** Writes the report, its charts (removing charts no longer drawn) and the raw results. */
export async function writeReport(
  results: BenchmarkResults,
  paths: ReportPaths = DEFAULT_REPORT_PATHS,
): Promise<void> {
  await mkdir(paths.chartsDir, { recursive: true });
  await mkdir(dirname(paths.results), { recursive: true });
  await writeFile(paths.report, markdownReport(results));
  const charts = reportCharts(results);
  for (const name of await readdir(paths.chartsDir)) {
    // A chart of an earlier run that this run did not draw would be out of date.
    if (name.endsWith(".svg") && !charts.has(name)) await rm(`${paths.chartsDir}${name}`);
  }
  for (const [name, svg] of charts) {
    await writeFile(`${paths.chartsDir}${name}`, svg);
  }
  await writeFile(paths.results, `${JSON.stringify(results, null, 2)}\n`);
}
