import type { WriteRun } from "../suites/write-suite.js";
import { formatValue } from "./bar-chart-svg.js";
import type { BenchmarkResults, SearchScenario, WriteComparison } from "./benchmark-results.js";
import { coalescingSection } from "./coalescing-section.js";
import { convergenceSection } from "./convergence-section.js";
import { costCurvesSection } from "./cost-curves-section.js";
import { dumpImportSection } from "./dump-import-section.js";
import { markdownTable } from "./markdown-table.js";
import { multiProcessSection } from "./multi-process-section.js";
import { profileSection } from "./profile-section.js";
import { rebalanceSection } from "./rebalance-section.js";
import { searchLatencyChartName } from "./report-charts.js";
import { reshardSection } from "./reshard-section.js";
import { slowReplicaSection } from "./slow-replica-section.js";
import {
  addedP50,
  byRole,
  checkTargets,
  memoryMultiple,
  routingSpeedPerCore,
  type TargetCheck,
  writeRounds,
} from "./spec-targets.js";
import { taskListingSection } from "./task-listing-section.js";

const STATUS = { met: "✅ met", missed: "❌ missed", "not measured": "– not measured" } as const;

const table = markdownTable;

const ratio = (value: number, base: number | undefined) =>
  base === undefined || base === 0 ? "–" : `${(value / base).toFixed(2)}×`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function machineSection(results: BenchmarkResults): string {
  const machine = results.machine;
  const upstream =
    results.upstream === "real"
      ? "real Meilisearch processes (`MEILI_BIN`)"
      : "the testkit's emulated Meilisearch nodes (an in-memory test double whose search engine is much slower than Meilisearch: where engine time is in a figure, Miroir's own cost looks smaller than it would in front of real nodes)";
  return [
    `Latest run: ${results.generatedAt}, ${results.durationSeconds.toFixed(0)} s in all, of commit ${results.revision}.`,
    "",
    `- Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.platform}, Node ${machine.nodeVersion}`,
    `- Load average (1 min) at start / end: ${machine.loadAverageAtStart.toFixed(2)} / ${machine.loadAverageAtEnd.toFixed(2)}`,
    `- Upstream nodes: ${upstream}`,
    "- Every process is separate: each node, the proxy, the fan-out baseline and the load generator (this harness).",
    ...aloneLines(results),
    "",
    "Numbers from a shared, loaded machine are noisy: compare the ratios within one run, where every path met the same load, rather than absolute figures across runs.",
  ].join("\n");
}

/** Which figures come from suites measured alone since the whole run, and when. */
function aloneLines(results: BenchmarkResults): string[] {
  const runs = Object.entries(results.measuredAlone ?? {});
  if (runs.length === 0) return [];
  return [
    "- Measured alone since (`--only`), each replacing its own figures; everything else is from the run above:",
    ...runs.map(
      ([suite, run]) =>
        `  - \`${suite}\`: ${run.generatedAt}, ${run.durationSeconds.toFixed(0)} s, commit ${run.revision}, ${run.upstream === "real" ? "real Meilisearch nodes" : "emulated nodes"}, load average ${run.loadAverageAtStart.toFixed(2)} / ${run.loadAverageAtEnd.toFixed(2)}`,
    ),
  ];
}

function targetsSection(checks: readonly TargetCheck[]): string {
  return table(
    ["target (SPEC §11)", "goal", "measured", "status"],
    checks.map((check) => [check.target, check.goal, check.measured, STATUS[check.status]]),
  );
}

function searchTable(scenario: SearchScenario): string {
  const direct = byRole(scenario, "direct");
  return table(
    [
      "path",
      "p50 ms",
      "p95 ms",
      "p99 ms",
      "p50 vs direct",
      "added p50 ms",
      "req/s",
      "req/s vs direct",
      "errors",
    ],
    scenario.measurements.map((measurement) => [
      measurement.label,
      measurement.latency.p50Ms.toFixed(3),
      measurement.latency.p95Ms.toFixed(3),
      measurement.latency.p99Ms.toFixed(3),
      ratio(measurement.latency.p50Ms, direct?.latency.p50Ms),
      measurement.role === "direct" ? "–" : addedP50(scenario, measurement).toFixed(3),
      formatValue(measurement.throughput.requestsPerSecond),
      ratio(measurement.throughput.requestsPerSecond, direct?.throughput.requestsPerSecond),
      String(measurement.latency.errors + measurement.throughput.errors),
    ]),
  );
}

function nodeCallLines(scenario: SearchScenario): string[] {
  if (scenario.nodeCalls === undefined || scenario.nodeCalls.length === 0) return [];
  const described = scenario.nodeCalls.map((count) => {
    const kinds = Object.entries(count.byKind)
      .sort(([, a], [, b]) => b - a)
      .map(([kind, perSearch]) => `${perSearch.toFixed(1)} ${kind}`)
      .join(", ");
    return `${count.label} ${count.total.toFixed(1)} (${kinds})`;
  });
  return [`Node requests behind one client search: ${described.join("; ")}.`, ""];
}

function searchSection(results: BenchmarkResults): string {
  if (results.search.length === 0) return "Not measured in this run.";
  const first = results.search[0]?.measurements[0];
  return [
    `Latency is measured over one keep-alive connection (${first?.latency.requests ?? 0} requests for the first path), throughput over several connections at once, after a warm-up that is not counted. The paths of a table take turns in short slices, so a change in the machine's load falls on all of them alike. Every path answers the same queries (one- and two-word, \`limit\` 20).`,
    "",
    ...results.search.flatMap((scenario) => [
      `### ${scenario.title}`,
      "",
      ...(scenario.documents > 0 ? [`${scenario.documents} documents.`, ""] : []),
      searchTable(scenario),
      "",
      ...nodeCallLines(scenario),
      `![Search latency: ${scenario.title}](benchmarks/${searchLatencyChartName(scenario)})`,
      "",
    ]),
    "![Search throughput relative to the direct path](benchmarks/search-throughput.svg)",
  ].join("\n");
}

function writeTable(writes: WriteComparison): string {
  const row = (label: string, run: WriteRun) => [
    label,
    String(run.documents),
    String(run.batches),
    run.acceptedSeconds.toFixed(3),
    run.seconds.toFixed(3),
    formatValue(run.documentsPerSecond),
    ratio(run.documentsPerSecond, writes.direct.documentsPerSecond),
  ];
  const direct = writeRounds(writes.directRuns ?? [writes.direct]);
  const miroir = writeRounds(writes.miroirRuns ?? [writes.miroir]);
  const rounds = (runs: readonly WriteRun[] | undefined) =>
    runs === undefined ? "" : runs.map((run) => formatValue(run.documentsPerSecond)).join(" · ");
  return [
    table(
      [
        "path (median round)",
        "documents",
        "batches",
        "all accepted (s)",
        "all indexed (s)",
        "documents/s indexed",
        "vs direct",
      ],
      [row("straight to the nodes", writes.direct), row("through Miroir", writes.miroir)],
    ),
    "",
    table(
      ["documents/s", "median", "mean", "slowest round (p99)", "every round, in order"],
      [
        [
          "straight to the nodes",
          formatValue(direct.median),
          formatValue(direct.mean),
          formatValue(direct.p99),
          rounds(writes.directRuns),
        ],
        [
          "through Miroir",
          formatValue(miroir.median),
          formatValue(miroir.mean),
          formatValue(miroir.p99),
          rounds(writes.miroirRuns),
        ],
        [
          "Miroir / direct",
          ratio(miroir.median, direct.median),
          ratio(miroir.mean, direct.mean),
          ratio(miroir.p99, direct.p99),
          "",
        ],
      ],
    ),
  ].join("\n");
}

function writeSection(results: BenchmarkResults): string {
  const comparisons = [results.writes, results.writesReplicated ?? null].filter(
    (writes): writes is WriteComparison => writes !== null,
  );
  const first = comparisons[0];
  if (first === undefined) return "Not measured in this run.";
  const alternating = first.directRuns !== undefined;
  return [
    `The same NDJSON batches (${first.direct.documents.toLocaleString("en-US")} documents per round and path, ${first.direct.batches} batches), timed from the first request until every task succeeded; ${first.rounds} rounds per path${alternating ? ", the paths alternating (direct first, then Miroir first, …); a path's figure is its median round, with the mean and the slowest round beside it" : ", alternating; best round per path"}. Straight to the nodes, each batch is split by owner before the clock starts (as Miroir would split it, every replica of a document's shard getting it) and sent to every node at once. Reading an unfinished Miroir task (\`GET /tasks/{uid}\`) reads its node tasks (paced per index: 20 ms apart, up to a tenth of the task's age), so a client sees it finish as soon as the nodes do, not at Miroir's next background poll; the client polls every 5 ms on both paths.`,
    "",
    ...comparisons.flatMap((writes) => [
      `### RF=${writes.replicationFactor}`,
      "",
      writeTable(writes),
      "",
    ]),
    "![Write throughput](benchmarks/write-throughput.svg)",
  ].join("\n");
}

function routingSection(results: BenchmarkResults): string {
  const runs = [
    ["100 000 documents", results.routing],
    ["~100 MiB", results.routingLarge],
  ] as const;
  const rows = runs.flatMap(([label, run]) => {
    if (run === null) return [];
    const perCore = routingSpeedPerCore(run);
    return [
      [
        label,
        String(run.documents),
        (run.bytes / 1e6).toFixed(1),
        perCore.median.toFixed(0),
        perCore.slowest.toFixed(0),
        run.megabytesPerSecond.toFixed(0),
        perCore.parseCeiling.toFixed(0),
        `${((100 * perCore.median) / perCore.parseCeiling).toFixed(0)} %`,
        mib(run.peakRssBytes),
        `${memoryMultiple(run).toFixed(2)}×`,
      ],
    ];
  });
  if (rows.length === 0) return "Not measured in this run.";
  return [
    "The proxy's own batch router (`routeBatch`, `apps/proxy/src/write/route-batch.ts`) on NDJSON, in a child process of its own: scan every line (a structural check that `JSON.parse` would accept it, which finds the primary key without building the document), validate, hash the primary key's bytes, copy the line behind `_miroir_shard` and the version into its shard's buffer, group by shard and node (S=64, 3 nodes). The 100 000-document run routes the batch a few times unmeasured first, then each iteration is timed in CPU time of the process (all its threads, garbage collection included) — MB per CPU-second is the speed per core, which other work on a shared machine does not inflate — and on the wall clock. `JSON.parse` of the same lines alone is timed the same way, after warm-up passes. Memory is the child's peak RSS, and its multiple counts everything above the empty process, payload included.",
    "",
    table(
      [
        "payload",
        "documents",
        "MB",
        "MB/s per core (median)",
        "per core, slowest iteration",
        "MB/s wall clock",
        "JSON.parse MB/s per core",
        "of the ceiling",
        "peak RSS",
        "memory / payload",
      ],
      rows,
    ),
    "",
    "![Batch routing](benchmarks/batch-routing.svg)",
  ].join("\n");
}

function microSection(results: BenchmarkResults): string {
  if (results.micro.length === 0) return "Not measured in this run.";
  const time = (value: number) =>
    value < 1 ? `${(value * 1000).toFixed(1)} µs` : `${value.toFixed(2)} ms`;
  return [
    "Each package's own `vitest bench` suite, run by its `bench` script (after vitest's warm-up). The median is the figure to read on a busy machine, the p99 its tail, the mean what the tail costs on average; the best run shows what the code does undisturbed.",
    "",
    table(
      ["package", "benchmark", "median", "p99", "mean", "best", "ops/s", "samples"],
      results.micro.map((bench) => [
        bench.packageName,
        `${bench.group.split(" > ").slice(1).join(" › ")} › ${bench.name}`,
        time(bench.medianMs),
        bench.p99Ms === undefined ? "–" : time(bench.p99Ms),
        time(bench.meanMs),
        time(bench.minMs),
        formatValue(bench.hz),
        String(bench.samples),
      ]),
    ),
  ].join("\n");
}

function failureLines(results: BenchmarkResults): string[] {
  if (results.failures.length === 0) return [];
  return [
    "## Suites that did not run",
    "",
    ...results.failures.map((failure) => `- ${failure.suite}: \`${failure.error.split("\n")[0]}\``),
    "",
  ];
}

/** The whole of docs/benchmarks.md for one run. */
export function markdownReport(results: BenchmarkResults): string {
  const checks = checkTargets(results);
  return [
    "# Benchmarks",
    "",
    "What Miroir costs and gains, each figure measured side by side with the direct path in the same run. Written by `pnpm bench`; do not edit by hand.",
    "",
    machineSection(results),
    "",
    "## Targets",
    "",
    targetsSection(checks),
    "",
    "## Search",
    "",
    searchSection(results),
    "",
    "## Writes",
    "",
    writeSection(results),
    "",
    "## Batch routing",
    "",
    routingSection(results),
    "",
    "## Cost curves",
    "",
    costCurvesSection(results.costCurves),
    "",
    "## Replica convergence",
    "",
    convergenceSection(results.convergence),
    "",
    "## Slow replica",
    "",
    slowReplicaSection(results.slowReplica),
    "",
    "## Task listing",
    "",
    taskListingSection(results.taskListing),
    "",
    "## Coalesced searches",
    "",
    coalescingSection(results.coalescing),
    "",
    "## Several Miroir processes",
    "",
    multiProcessSection(results.multiProcess),
    "",
    "## Shard migration",
    "",
    rebalanceSection(results.rebalance),
    "",
    "## Online resharding",
    "",
    reshardSection(results.reshard),
    "",
    "## Dump import",
    "",
    dumpImportSection(results.dumpImport),
    "",
    "## Package micro-benchmarks",
    "",
    microSection(results),
    "",
    "## Where the time goes",
    "",
    profileSection(results, checks),
    "",
    ...failureLines(results),
    "## Running them",
    "",
    "```sh",
    "pnpm bench                            # everything; rewrites this file and docs/benchmarks/*.svg",
    "pnpm --filter @miroir/bench bench -- --only cost-curves   # the cost curves again, the rest kept",
    "pnpm --filter @miroir/bench bench -- --only convergence   # fingerprint, repair and versioning costs again, the rest kept",
    "pnpm --filter @miroir/bench bench -- --only task-listing  # task listing among a million tasks again, the rest kept",
    "pnpm --filter @miroir/bench bench -- --only slow-replica  # search tail with one slow replica again, the rest kept",
    "pnpm --filter @miroir/bench bench -- --only coalescing    # searches with and without coalescing again, the rest kept",
    "pnpm --filter @miroir/bench bench -- --only multi-process # throughput with 1-3 processes and failover again, the rest kept",
    "pnpm --filter @miroir/bench bench -- --only rebalance     # one shard migrated beside a raw copy, the rest kept",
    "pnpm --filter @miroir/bench bench -- --only reshard       # one index resharded 8 -> 64 beside a raw copy, the rest kept",
    "pnpm --filter @miroir/bench bench -- --only dump-import   # a generated dump imported beside one node's --import-dump, the rest kept",
    "MEILI_BIN=/path/to/meilisearch pnpm bench   # the same against real Meilisearch nodes",
    "pnpm --filter @miroir/bench report         # this file again from bench/results/latest.json",
    "```",
    "",
    "The suite takes 10 to 15 minutes on 2 busy cores (the cost curves about 8 of them); every load is bounded by time and request count and stays on loopback. The raw figures of the latest run are in `bench/results/latest.json`.",
    "",
  ].join("\n");
}
