import type { SearchMeasurement } from "../suites/search-suite.js";
import type { BenchmarkResults, SearchScenario } from "./benchmark-results.js";

/** One target of SPEC §11 with what this run measured. */
export interface TargetCheck {
  readonly target: string;
  readonly goal: string;
  readonly measured: string;
  readonly status: "met" | "missed" | "not measured";
  /** The CPU profile that explains a miss, by its subject. */
  readonly profile: string | null;
}

const ms = (value: number) => `${value.toFixed(3)} ms`;
const µs = (valueMs: number) => `${(valueMs * 1000).toFixed(1)} µs`;

function statusOf(met: boolean): "met" | "missed" {
  return met ? "met" : "missed";
}

function notMeasured(target: string, goal: string, profile: string | null = null): TargetCheck {
  return { target, goal, measured: "not measured in this run", status: "not measured", profile };
}

export function byRole(scenario: SearchScenario | undefined, role: SearchMeasurement["role"]) {
  return scenario?.measurements.find((measurement) => measurement.role === role);
}

/** The p50 latency a path adds over the direct call of the same scenario (ms). */
export function addedP50(scenario: SearchScenario, measurement: SearchMeasurement): number {
  const direct = byRole(scenario, "direct");
  return direct === undefined ? Number.NaN : measurement.latency.p50Ms - direct.latency.p50Ms;
}

function searchOverhead(results: BenchmarkResults): TargetCheck {
  const target = "Search over 3 shards: latency Miroir adds at p50";
  const goal = "≤ what the minimal Node fan-out proxy adds, same run";
  const scenario = results.search.find((candidate) => candidate.id === "trivial");
  const miroir = byRole(scenario, "miroir");
  const fanOut = byRole(scenario, "fan-out");
  if (scenario === undefined || miroir === undefined || fanOut === undefined) {
    return notMeasured(target, goal, "search");
  }
  const added = addedP50(scenario, miroir);
  const floor = addedP50(scenario, fanOut);
  return {
    target,
    goal,
    measured: `+${ms(added)} (fan-out floor +${ms(floor)}; ${(added / floor).toFixed(1)}× the floor)`,
    status: statusOf(added <= floor),
    profile: "search",
  };
}

function routingSpeed(results: BenchmarkResults): TargetCheck {
  const target = "Routing a 100 000-document NDJSON batch";
  const goal = "≥ 200 MB/s per core";
  const routing = results.routing;
  if (routing === null) return notMeasured(target, goal, "routing");
  return {
    target,
    goal,
    measured: `${routing.megabytesPerSecond.toFixed(0)} MB/s (JSON.parse alone ${routing.parseCeilingMegabytesPerSecond.toFixed(0)} MB/s)`,
    status: statusOf(routing.megabytesPerSecond >= 200),
    profile: "routing",
  };
}

/** Memory a routing run needed beyond the empty process, as a multiple of the payload. */
export function memoryMultiple(routing: {
  bytes: number;
  emptyRssBytes: number;
  peakRssBytes: number;
}) {
  return (routing.peakRssBytes - routing.emptyRssBytes) / routing.bytes;
}

function routingMemory(results: BenchmarkResults): TargetCheck {
  const target = "Routing memory for a ~100 MiB payload";
  const goal = "≤ ~3× the payload";
  const large = results.routingLarge;
  if (large === null) return notMeasured(target, goal);
  const multiple = memoryMultiple(large);
  return {
    target,
    goal,
    measured: `${multiple.toFixed(2)}× (${(large.bytes / 2 ** 20).toFixed(0)} MiB payload, peak RSS ${(large.peakRssBytes / 2 ** 20).toFixed(0)} MiB)`,
    status: statusOf(multiple <= 3),
    profile: null,
  };
}

function merge(results: BenchmarkResults, prefix: string, target: string, limitMs: number) {
  const goal = limitMs >= 0.1 ? `≤ ${limitMs} ms` : `≤ ${limitMs * 1000} µs`;
  const bench = results.micro.find(
    (candidate) => candidate.packageName === "@miroir/merger" && candidate.name.startsWith(prefix),
  );
  if (bench === undefined) return notMeasured(target, goal);
  const show = limitMs >= 0.1 ? ms : µs;
  return {
    target,
    goal,
    measured: `median ${show(bench.medianMs)} (mean ${show(bench.meanMs)}, best ${show(bench.minMs)})`,
    status: statusOf(bench.medianMs <= limitMs),
    profile: limitMs >= 0.1 ? "merge" : null,
  } satisfies TargetCheck;
}

function writeThroughput(results: BenchmarkResults): TargetCheck {
  const target = "Write throughput through Miroir";
  const goal = "≥ 90 % of writing the same batches straight to the nodes";
  const writes = results.writes;
  if (writes === null) return notMeasured(target, goal, "writes");
  const ratio = writes.miroir.documentsPerSecond / writes.direct.documentsPerSecond;
  return {
    target,
    goal,
    measured: `${(ratio * 100).toFixed(0)} % (${writes.miroir.documentsPerSecond.toFixed(0)} vs ${writes.direct.documentsPerSecond.toFixed(0)} documents/s)`,
    status: statusOf(ratio >= 0.9),
    profile: "writes",
  };
}

function taskListing(results: BenchmarkResults): TargetCheck {
  const target = "Listing the newest 20 tasks among 1 000 000";
  const goal = "p50 < 10 ms on SQLite and on Redis";
  const newest = (results.taskListing?.backends ?? []).map((backend) => ({
    backend: backend.backend,
    figure: backend.queries.find((query) => query.name === "newest 20"),
    tasks: backend.tasks,
  }));
  if (newest.length < 2 || newest.some((entry) => entry.figure === undefined)) {
    return notMeasured(target, goal);
  }
  return {
    target,
    goal,
    measured: newest
      .map(
        (entry) =>
          `${entry.backend} ${ms(entry.figure?.p50Ms ?? Number.NaN)} (p99 ${ms(entry.figure?.p99Ms ?? Number.NaN)}) among ${entry.tasks.toLocaleString("en-US")}`,
      )
      .join("; "),
    status: statusOf(
      newest.every(
        (entry) =>
          (entry.figure?.p50Ms ?? Number.POSITIVE_INFINITY) < 10 && entry.tasks >= 1_000_000,
      ),
    ),
    profile: null,
  };
}

function slowReplica(results: BenchmarkResults): TargetCheck {
  const target = "Search p99 with one slow replica (RF 2)";
  const goal = "with adaptive choice and hedging ≤ half of without, same run";
  const run = results.slowReplica;
  if (run === undefined || run === null) return notMeasured(target, goal);
  const withP99 = run.withHedging.latency.p99Ms;
  const withoutP99 = run.withoutHedging.latency.p99Ms;
  return {
    target,
    goal,
    measured: `${ms(withP99)} vs ${ms(withoutP99)} (${(withP99 / withoutP99).toFixed(2)}×); node requests per search ${run.withHedging.nodeRequestsPerSearch.toFixed(3)} vs ${run.withoutHedging.nodeRequestsPerSearch.toFixed(3)}`,
    status: statusOf(withP99 <= withoutP99 / 2),
    profile: null,
  };
}

/** Every target of SPEC §11, in the spec's order. */
export function checkTargets(results: BenchmarkResults): TargetCheck[] {
  return [
    searchOverhead(results),
    routingSpeed(results),
    routingMemory(results),
    merge(results, "3 × 1 000 hits", "Merge of 3 × 1 000 hits with facets", 0.5),
    merge(results, "8 × 20 hits", "Merge of 8 × 20 hits", 0.05),
    writeThroughput(results),
    taskListing(results),
    slowReplica(results),
  ];
}
