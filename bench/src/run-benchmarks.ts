import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { isRealMode } from "@miroir/testkit";
import { benchQueries } from "./data/bench-documents.js";
import { machineInfo } from "./machine-info.js";
import type { ProfileSummary } from "./profile/cpu-profile-summary.js";
import type {
  BenchmarkResults,
  SearchScenario,
  WriteComparison,
} from "./report/benchmark-results.js";
import { checkTargets } from "./report/spec-targets.js";
import { DEFAULT_REPORT_PATHS, writeReport } from "./report/write-report.js";
import { sourceRevision } from "./source-revision.js";
import { profileMerge, profileRouting } from "./suites/child-profiles.js";
import { clusterScenarios } from "./suites/cluster-scenarios.js";
import {
  MICRO_BENCHMARK_PACKAGES,
  type MicroBenchmark,
  runMicroBenchmarks,
} from "./suites/micro-benchmarks.js";
import { proxyFloorScenario } from "./suites/proxy-floor-scenario.js";
import { measureRouting, type RoutingMeasurement } from "./suites/routing-suite.js";
import type { LoadShape } from "./suites/search-suite.js";

/**
 * `pnpm bench`: the package micro-benchmarks, then the end-to-end suites, then the report
 * (docs/benchmarks.md and docs/benchmarks/*.svg). `--quick` shortens every load for a
 * smoke run; `--skip-micro` leaves the package benchmarks out.
 */
const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    "skip-micro": { type: "boolean", default: false },
  },
});
const quick = values.quick === true;
const shape: LoadShape = quick
  ? {
      latencyMs: 1_000,
      throughputMs: 1_000,
      throughputConnections: 8,
      warmupMs: 300,
      rounds: 2,
      maxRequests: 20_000,
    }
  : {
      latencyMs: 6_000,
      throughputMs: 4_000,
      throughputConnections: 8,
      warmupMs: 1_000,
      rounds: 4,
      maxRequests: 20_000,
    };

const started = performance.now();
const loadAtStart = loadavg()[0] ?? 0;
const failures: { suite: string; error: string }[] = [];
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** Past this, the remaining suites are skipped so that a run stays within 10 minutes. */
const TIME_BUDGET_MS = 8 * 60_000;

async function attempt<T>(suite: string, run: () => Promise<T>): Promise<T | null> {
  if (performance.now() - started > TIME_BUDGET_MS) {
    failures.push({ suite, error: "skipped: the run used up its time budget" });
    return null;
  }
  log(`${suite}…`);
  try {
    return await run();
  } catch (error) {
    const text = (error as Error).stack ?? String(error);
    log(`${suite} failed: ${text}`);
    failures.push({ suite, error: text });
    return null;
  }
}

const micro: MicroBenchmark[] = [];
if (values["skip-micro"] !== true) {
  for (const packageName of MICRO_BENCHMARK_PACKAGES) {
    micro.push(
      ...((await attempt(`${packageName} micro-benchmarks`, () =>
        runMicroBenchmarks(packageName),
      )) ?? []),
    );
  }
}

const bodies = benchQueries(64);
const profiles: ProfileSummary[] = [];
const search: SearchScenario[] = [];
const floor = await attempt("search through a proxy alone", () =>
  proxyFloorScenario(bodies, shape),
);
if (floor !== null) {
  search.push(floor.scenario);
  profiles.push(floor.profile);
}

const real = isRealMode();
let writes: WriteComparison | null = null;
const cluster = await attempt("3-node cluster: search and writes", () =>
  clusterScenarios(
    {
      real,
      searchDocuments: quick ? 1_000 : 2_000,
      writeDocuments: quick ? 4_000 : 20_000,
      writeBatchSize: 2_000,
      writeRounds: quick ? 1 : 2,
      shape,
    },
    bodies,
  ),
);
if (cluster !== null) {
  search.push(...cluster.scenarios);
  writes = cluster.writes;
  profiles.push(cluster.profile);
}

const routing = await attempt("routing a 100 000-document batch", () =>
  measureRouting({ documents: 100_000, iterations: quick ? 2 : 5 }),
);
const routingLarge: RoutingMeasurement | null = quick
  ? null
  : await attempt("routing a ~100 MiB batch", () =>
      measureRouting({ megabytes: 100, iterations: 1 }),
    );
for (const [suite, profile] of [
  ["profile of batch routing", profileRouting],
  ["profile of a 3 × 1 000-hit merge", profileMerge],
] as const) {
  const summary = await attempt(suite, profile);
  if (summary !== null) profiles.push(summary);
}

const results: BenchmarkResults = {
  generatedAt: new Date().toISOString(),
  durationSeconds: (performance.now() - started) / 1000,
  revision: sourceRevision(),
  machine: machineInfo(loadAtStart),
  upstream: real ? "real" : "emulated",
  micro,
  search,
  writes,
  routing,
  routingLarge,
  profiles,
  failures,
};
await writeReport(results);
for (const check of checkTargets(results)) {
  log(`${check.status.padEnd(12)} ${check.target}: ${check.measured}`);
}
log(`report written to ${DEFAULT_REPORT_PATHS.report} in ${results.durationSeconds.toFixed(0)} s`);
if (failures.length > 0) process.exitCode = 1;
