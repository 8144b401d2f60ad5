import { readFile } from "node:fs/promises";
import { writeCapacityDoc } from "./capacity/capacity-doc.js";
import { capacityBlocks } from "./capacity/capacity-examples.js";
import { RESULTS_PATH } from "./repo-paths.js";
import type { BenchmarkResults } from "./report/benchmark-results.js";
import { DEFAULT_REPORT_PATHS, writeReport } from "./report/write-report.js";

/**
 * `pnpm --filter @miroir/bench report`: writes docs/benchmarks.md and the charts again from
 * the figures of the latest run (`results/latest.json`), and the generated blocks of
 * docs/capacity.md, without measuring anything; for changes to the report itself.
 */
const results = JSON.parse(await readFile(RESULTS_PATH, "utf8")) as BenchmarkResults;
await writeReport(results);
await writeCapacityDoc(capacityBlocks(results));
process.stderr.write(`report written to ${DEFAULT_REPORT_PATHS.report} from ${RESULTS_PATH}\n`);
