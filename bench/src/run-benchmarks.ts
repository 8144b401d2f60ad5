import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { isRealMode } from "@miroir/testkit";
import { writeCapacityDoc } from "./capacity/capacity-doc.js";
import { capacityBlocks } from "./capacity/capacity-examples.js";
import { benchQueries } from "./data/bench-documents.js";
import { machineInfo } from "./machine-info.js";
import type { ProfileSummary } from "./profile/cpu-profile-summary.js";
import { RESULTS_PATH } from "./repo-paths.js";
import type {
  BenchmarkResults,
  SearchScenario,
  WriteComparison,
} from "./report/benchmark-results.js";
import { checkTargets } from "./report/spec-targets.js";
import { DEFAULT_REPORT_PATHS, writeReport } from "./report/write-report.js";
import { sourceRevision } from "./source-revision.js";
import { profileMerge, profileRouting } from "./suites/child-profiles.js";
import { clusterSearches, clusterWrites } from "./suites/cluster-scenarios.js";
import { runCoalescingBench } from "./suites/coalescing-suite.js";
import { runConvergenceBench } from "./suites/convergence-suite.js";
import { runCostCurves } from "./suites/cost-curves/run-cost-curves.js";
import { runDumpImportBench } from "./suites/dump-import-suite.js";
import {
  MICRO_BENCHMARK_PACKAGES,
  type MicroBenchmark,
  runMicroBenchmarks,
} from "./suites/micro-benchmarks.js";
import { runMultiProcessBench } from "./suites/multi-process-suite.js";
import { proxyFloorScenario } from "./suites/proxy-floor-scenario.js";
import { runRebalanceBench } from "./suites/rebalance-suite.js";
import { runReshardBench } from "./suites/reshard-suite.js";
import { measureRouting, type RoutingMeasurement } from "./suites/routing-suite.js";
import type { LoadShape } from "./suites/search-suite.js";
import { measureSlowReplica } from "./suites/slow-replica-suite.js";
import { measureTaskListing } from "./suites/task-listing-suite.js";

/**
 * `pnpm bench`: the package micro-benchmarks, then the end-to-end suites, then the cost
 * curves, then the report (docs/benchmarks.md and docs/benchmarks/*.svg). `--quick`
 * shortens every load for a smoke run; `--skip-micro` leaves the package benchmarks out;
 * `--only <suite>` (a key of `ALONE` below: cost-curves, convergence, …) measures that suite
 * alone and keeps every other figure of the previous run (`results/latest.json`).
 */
const { values } = parseArgs({
  // `pnpm --filter @miroir/bench bench -- --only x` passes the `--` through.
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    quick: { type: "boolean", default: false },
    "skip-micro": { type: "boolean", default: false },
    only: { type: "string" },
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

/** docs/capacity.md's generated blocks follow the run's cost curves. */
async function writeCapacity(results: BenchmarkResults): Promise<boolean> {
  try {
    await writeCapacityDoc(capacityBlocks(results));
    log("docs/capacity.md rewritten from the cost curves");
    return true;
  } catch (error) {
    log(`docs/capacity.md not rewritten: ${(error as Error).message}`);
    return false;
  }
}

/** Past this, the remaining suites are skipped so that a run stays within 15 minutes. */
const TIME_BUDGET_MS = 13 * 60_000;

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

const real = isRealMode();
const bodies = benchQueries(64);
/** Listing pages among a million tasks (a smaller store with `--quick`). */
const taskListingOptions = { tasks: quick ? 100_000 : 1_000_000, iterations: quick ? 50 : 200 };

/** One replica of two behind a relay that holds its answers this long. */
const slowReplicaOptions = {
  real,
  documents: quick ? 1_000 : 2_000,
  delayMs: 50,
  measureMs: quick ? 4_000 : 16_000,
  rounds: 4,
  bodies,
};

/**
 * The suites `--only` runs alone: each measures its figures, which replace its own in the
 * previous run's results (every other figure is kept), and says whether it failed.
 */
/** The search suites: 3 upstreams that answer at once, then the 3-node cluster. */
async function searchSuites(): Promise<{ search: SearchScenario[]; profile: ProfileSummary }> {
  const floor = await proxyFloorScenario(bodies, shape);
  const cluster = await clusterSearches(
    { real, searchDocuments: quick ? 1_000 : 2_000, shape },
    bodies,
  );
  return { search: [floor.scenario, ...cluster], profile: floor.profile };
}

/** Writes at RF=1 and RF=2: 100 000 documents per round and path, 5 alternating rounds. */
const writePlan = {
  real,
  writeDocuments: quick ? 10_000 : 100_000,
  writeBatchSize: 2_000,
  writeRounds: quick ? 2 : 5,
  replicationFactors: [1, 2],
};

async function writeSuite(onComparison?: (comparison: WriteComparison) => Promise<void>) {
  const { writes, profile } = await clusterWrites(writePlan, log, onComparison);
  return { writes: writes[0] ?? null, writesReplicated: writes[1] ?? null, profile };
}

async function routingSuite() {
  const routing = await measureRouting({
    documents: 100_000,
    iterations: quick ? 3 : 9,
    warmup: quick ? 1 : 3,
  });
  const routingLarge = quick ? null : await measureRouting({ megabytes: 100, iterations: 1 });
  return { routing, routingLarge, profile: await profileRouting() };
}

/** The previous run's profiles, those of `subjects` replaced by `fresh`. */
function withProfiles(
  previous: BenchmarkResults,
  subjects: readonly string[],
  fresh: readonly ProfileSummary[],
): ProfileSummary[] {
  return [...previous.profiles.filter((profile) => !subjects.includes(profile.subject)), ...fresh];
}

const ALONE: Record<
  string,
  (previous: BenchmarkResults) => Promise<{ figures: Partial<BenchmarkResults>; failed: boolean }>
> = {
  search: async (previous) => {
    const { search, profile } = await searchSuites();
    return {
      figures: { search, profiles: withProfiles(previous, ["search"], [profile]) },
      failed: false,
    };
  },
  writes: async (previous) => {
    // Each replication factor's figures are written as soon as they are measured.
    const written: Partial<BenchmarkResults> = {};
    const { writes, writesReplicated, profile } = await writeSuite(async (comparison) => {
      if (comparison.replicationFactor === 1) Object.assign(written, { writes: comparison });
      else Object.assign(written, { writesReplicated: comparison });
      await writeReport({ ...previous, ...written });
    });
    return {
      figures: {
        writes,
        writesReplicated,
        profiles: withProfiles(previous, ["writes"], [profile]),
      },
      failed: false,
    };
  },
  routing: async (previous) => {
    const { routing, routingLarge, profile } = await routingSuite();
    return {
      figures: { routing, routingLarge, profiles: withProfiles(previous, ["routing"], [profile]) },
      failed: false,
    };
  },
  merge: async (previous) => {
    const merger = await runMicroBenchmarks("@miroir/merger");
    const profile = await profileMerge();
    return {
      figures: {
        micro: [
          ...previous.micro.filter((bench) => bench.packageName !== "@miroir/merger"),
          ...merger,
        ],
        profiles: withProfiles(previous, ["merge"], [profile]),
      },
      failed: false,
    };
  },
  "cost-curves": async () => {
    const costCurves = await runCostCurves({ quick, real, bodies, log });
    return { figures: { costCurves }, failed: costCurves.failures.length > 0 };
  },
  convergence: async () => ({
    figures: { convergence: await runConvergenceBench({ quick, real, log }) },
    failed: false,
  }),
  "task-listing": async () => ({
    figures: { taskListing: await measureTaskListing(taskListingOptions) },
    failed: false,
  }),
  "slow-replica": async () => ({
    figures: { slowReplica: await measureSlowReplica(slowReplicaOptions) },
    failed: false,
  }),
  coalescing: async () => ({
    figures: { coalescing: await runCoalescingBench({ quick, real, log }) },
    failed: false,
  }),
  "multi-process": async () => ({
    figures: { multiProcess: await runMultiProcessBench({ quick, real, log }) },
    failed: false,
  }),
  rebalance: async () => ({
    figures: { rebalance: await runRebalanceBench({ quick, real, log }) },
    failed: false,
  }),
  reshard: async () => ({
    figures: { reshard: await runReshardBench({ quick, real, log }) },
    failed: false,
  }),
  "dump-import": async () => ({
    figures: { dumpImport: await runDumpImportBench({ quick, real, log }) },
    failed: false,
  }),
};

if (values.only !== undefined) {
  const suite = ALONE[values.only];
  if (suite === undefined) {
    process.stderr.write(
      `--only takes one of ${Object.keys(ALONE).join(", ")}, got "${values.only}"\n`,
    );
    process.exit(2);
  }
  if (!existsSync(RESULTS_PATH)) {
    process.stderr.write(
      `--only ${values.only} keeps the other figures of ${RESULTS_PATH}, which does not exist: run the whole bench once\n`,
    );
    process.exit(2);
  }
  const previous = JSON.parse(await readFile(RESULTS_PATH, "utf8")) as BenchmarkResults;
  const { figures, failed } = await suite(previous);
  const machine = machineInfo(loadAtStart);
  const alone = {
    generatedAt: new Date().toISOString(),
    durationSeconds: (performance.now() - started) / 1000,
    revision: sourceRevision(),
    upstream: real ? ("real" as const) : ("emulated" as const),
    loadAverageAtStart: machine.loadAverageAtStart,
    loadAverageAtEnd: machine.loadAverageAtEnd,
  };
  await writeReport({
    ...previous,
    ...figures,
    measuredAlone: { ...previous.measuredAlone, [values.only]: alone },
  });
  log(
    `${values.only} written to ${DEFAULT_REPORT_PATHS.report} in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  process.exit(failed ? 1 : 0);
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

const profiles: ProfileSummary[] = [];
const search: SearchScenario[] = [];
const floor = await attempt("search through a proxy alone", () =>
  proxyFloorScenario(bodies, shape),
);
if (floor !== null) {
  search.push(floor.scenario);
  profiles.push(floor.profile);
}
const cluster = await attempt("3-node cluster: searches", () =>
  clusterSearches({ real, searchDocuments: quick ? 1_000 : 2_000, shape }, bodies),
);
if (cluster !== null) search.push(...cluster);

let writes: WriteComparison | null = null;
let writesReplicated: WriteComparison | null = null;
const written = await attempt("3-node cluster: writes at RF=1 and RF=2", () =>
  clusterWrites(writePlan, log),
);
if (written !== null) {
  writes = written.writes[0] ?? null;
  writesReplicated = written.writes[1] ?? null;
  profiles.push(written.profile);
}

const routing = await attempt("routing a 100 000-document batch", () =>
  measureRouting({ documents: 100_000, iterations: quick ? 3 : 9, warmup: quick ? 1 : 3 }),
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

const costCurves = await runCostCurves({
  quick,
  real,
  bodies,
  log,
  skipAfter: started + TIME_BUDGET_MS,
});
for (const failure of costCurves.failures) {
  failures.push({ suite: `cost curves: ${failure.suite}`, error: failure.error });
}

const convergence = await attempt("replica convergence", () =>
  runConvergenceBench({ quick, real, log }),
);
const coalescing = await attempt("coalesced searches", () =>
  runCoalescingBench({ quick, real, log }),
);

const slowReplica = await attempt("search with one slow replica", () =>
  measureSlowReplica(slowReplicaOptions),
);

const taskListing = await attempt("task listing among a million tasks", () =>
  measureTaskListing(taskListingOptions),
);

const multiProcess = await attempt("several Miroir processes", () =>
  runMultiProcessBench({ quick, real, log }),
);

const rebalance = await attempt("shard migration", () => runRebalanceBench({ quick, real, log }));
const reshard = await attempt("online resharding", () => runReshardBench({ quick, real, log }));
const dumpImport = await attempt("dump import", () => runDumpImportBench({ quick, real, log }));

const results: BenchmarkResults = {
  generatedAt: new Date().toISOString(),
  durationSeconds: (performance.now() - started) / 1000,
  revision: sourceRevision(),
  machine: machineInfo(loadAtStart),
  upstream: real ? "real" : "emulated",
  micro,
  search,
  writes,
  writesReplicated,
  routing,
  routingLarge,
  profiles,
  costCurves,
  convergence,
  taskListing,
  slowReplica,
  coalescing,
  multiProcess,
  rebalance,
  reshard,
  dumpImport,
  failures,
};
await writeReport(results);
if (!(await writeCapacity(results))) process.exitCode = 1;
for (const check of checkTargets(results)) {
  log(`${check.status.padEnd(12)} ${check.target}: ${check.measured}`);
}
log(`report written to ${DEFAULT_REPORT_PATHS.report} in ${results.durationSeconds.toFixed(0)} s`);
if (failures.length > 0) process.exitCode = 1;
