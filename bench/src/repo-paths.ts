import { fileURLToPath } from "node:url";

/** The repository root (this file sits one folder deep in `bench/src` or `bench/dist`). */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Where the report and its charts go. */
export const REPORT_PATH = `${REPO_ROOT}docs/benchmarks.md`;
export const CHARTS_DIR = `${REPO_ROOT}docs/benchmarks/`;
/** The raw figures of the latest run, for comparing runs. */
export const RESULTS_PATH = `${REPO_ROOT}bench/results/latest.json`;
