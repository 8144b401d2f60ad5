import type { RoutingMeasurement } from "../suites/routing-suite.js";
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

/** The p99 latency a path adds over the direct call of the same scenario (ms). */
export function addedP99(scenario: SearchScenario, measurement: SearchMeasurement): number {
  const direct = byRole(scenario, "direct");
  return direct === undefined ? Number.NaN : measurement.latency.p99Ms - direct.latency.p99Ms;
}

/**
 * Miroir against the fan-out floor of one scenario: added p50 ≤ the floor's, added p99 ≤
 * 1.2× the floor's, throughput ≥ 0.9× the floor's.
 */
export function floorComparison(scenario: SearchScenario) {
  const miroir = byRole(scenario, "miroir");
  const fanOut = byRole(scenario, "fan-out");
  if (miroir === undefined || fanOut === undefined) return null;
  const p50 = { miroir: addedP50(scenario, miroir), floor: addedP50(scenario, fanOut) };
  const p99 = { miroir: addedP99(scenario, miroir), floor: addedP99(scenario, fanOut) };
  const throughput = {
    miroir: miroir.throughput.requestsPerSecond,
    floor: fanOut.throughput.requestsPerSecond,
  };
  const met =
    p50.miroir <= p50.floor &&
    p99.miroir <= 1.2 * p99.floor &&
    throughput.miroir >= 0.9 * throughput.floor;
  return { p50, p99, throughput, met };
}

function searchOverhead(results: BenchmarkResults): TargetCheck {
  const target = "Search over 3 shards: latency Miroir adds, and its throughput";
  const goal =
    "added p50 ≤ the minimal Node fan-out proxy's, added p99 ≤ 1.2× its, throughput ≥ 0.9× its; same run, over trivial upstreams and over 3 nodes";
  const scenarios = ["trivial", "cluster-rf1"].map((id) =>
    results.search.find((candidate) => candidate.id === id),
  );
  const compared = scenarios.flatMap((scenario) => {
    const comparison = scenario === undefined ? null : floorComparison(scenario);
    return scenario === undefined || comparison === null ? [] : [{ scenario, comparison }];
  });
  if (compared.length === 0) return notMeasured(target, goal, "search");
  const where = (id: SearchScenario["id"]) => (id === "trivial" ? "trivial upstreams" : "3 nodes");
  return {
    target,
    goal,
    measured: compared
      .map(
        ({ scenario, comparison: { p50, p99, throughput } }) =>
          `${where(scenario.id)}: p50 +${ms(p50.miroir)} (floor +${ms(p50.floor)}), p99 +${ms(p99.miroir)} (floor +${ms(p99.floor)}), ${throughput.miroir.toFixed(0)} req/s (floor ${throughput.floor.toFixed(0)}, ${(throughput.miroir / throughput.floor).toFixed(2)}×)`,
      )
      .join("; "),
    status: statusOf(compared.length === 2 && compared.every(({ comparison }) => comparison.met)),
    profile: "search",
  };
}

function routingSpeed(results: BenchmarkResults): TargetCheck {
  const target = "Routing a 100 000-document NDJSON batch";
  const goal = "≥ 200 MB/s per core (median and slowest iteration)";
  const routing = results.routing;
  if (routing === null) return notMeasured(target, goal, "routing");
  const speed = routingSpeedPerCore(routing);
  return {
    target,
    goal,
    measured: `median ${speed.median.toFixed(0)} MB/s per core, slowest iteration ${speed.slowest.toFixed(0)} (mean ${speed.mean.toFixed(0)}; wall clock ${routing.megabytesPerSecond.toFixed(0)} MB/s); JSON.parse alone ${speed.parseCeiling.toFixed(0)} MB/s per core`,
    status: statusOf(speed.median >= 200 && speed.slowest >= 200),
    profile: "routing",
  };
}

/**
 * A routing run's speed per core (MB per CPU-second), or its wall-clock speed for a run
 * recorded before CPU time was measured.
 */
export function routingSpeedPerCore(routing: RoutingMeasurement): {
  median: number;
  mean: number;
  slowest: number;
  parseCeiling: number;
} {
  const median = routing.megabytesPerCpuSecond ?? routing.megabytesPerSecond;
  return {
    median,
    mean: routing.megabytesPerCpuSecondMean ?? median,
    slowest: routing.megabytesPerCpuSecondSlowest ?? median,
    parseCeiling:
      routing.parseCeilingMegabytesPerCpuSecond ?? routing.parseCeilingMegabytesPerSecond,
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

function merge(
  results: BenchmarkResults,
  prefix: string,
  target: string,
  limitMs: number,
  p99LimitMs?: number,
) {
  const show = limitMs >= 0.1 ? ms : µs;
  const goal =
    p99LimitMs === undefined
      ? `≤ ${show(limitMs)} median`
      : `≤ ${show(limitMs)} median, ≤ ${show(p99LimitMs)} p99`;
  const bench = results.micro.find(
    (candidate) => candidate.packageName === "@miroir/merger" && candidate.name.startsWith(prefix),
  );
  if (bench === undefined) return notMeasured(target, goal);
  const p99 = bench.p99Ms;
  const p99Met = p99LimitMs === undefined || (p99 !== undefined && p99 <= p99LimitMs);
  return {
    target,
    goal,
    measured: `median ${show(bench.medianMs)}${p99 === undefined ? "" : `, p99 ${show(p99)}`} (mean ${show(bench.meanMs)}, best ${show(bench.minMs)})`,
    status: statusOf(bench.medianMs <= limitMs && p99Met),
    profile: limitMs >= 0.1 ? "merge" : null,
  } satisfies TargetCheck;
}

/** Median, mean and slowest round (p99 of the rounds) of one path's documents/s. */
export function writeRounds(runs: readonly { documentsPerSecond: number }[]) {
  const rates = runs.map((run) => run.documentsPerSecond).sort((a, b) => a - b);
  const median = rates[Math.floor((rates.length - 1) / 2)] ?? Number.NaN;
  const mean = rates.reduce((sum, rate) => sum + rate, 0) / rates.length;
  // The p99 of a round's time is its slowest rounds: the lowest documents/s, nearest rank.
  const p99 = rates[Math.max(0, Math.ceil(0.01 * rates.length) - 1)] ?? Number.NaN;
  return { median, mean, p99 };
}

function writeThroughput(results: BenchmarkResults): TargetCheck {
  const target = "Write throughput through Miroir";
  const goal =
    "≥ 90 % of writing the same batches straight to the nodes, RF=1 and RF=2 (median of the rounds)";
  const comparisons = [results.writes, results.writesReplicated ?? null].filter(
    (writes): writes is NonNullable<typeof writes> => writes !== null,
  );
  if (comparisons.length === 0) return notMeasured(target, goal, "writes");
  const judged = comparisons.map((writes) => {
    const direct = writeRounds(writes.directRuns ?? [writes.direct]);
    const miroir = writeRounds(writes.miroirRuns ?? [writes.miroir]);
    const ratio = miroir.median / direct.median;
    return {
      ratio,
      text: `RF=${writes.replicationFactor}: ${(ratio * 100).toFixed(0)} % at the median (${miroir.median.toFixed(0)} vs ${direct.median.toFixed(0)} documents/s; mean ${((100 * miroir.mean) / direct.mean).toFixed(0)} %, slowest round ${((100 * miroir.p99) / direct.p99).toFixed(0)} %)`,
    };
  });
  return {
    target,
    goal,
    measured: judged.map((entry) => entry.text).join("; "),
    status: statusOf(comparisons.length === 2 && judged.every((entry) => entry.ratio >= 0.9)),
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
    merge(results, "3 × 1 000 hits", "Merge of 3 × 1 000 hits with facets", 0.5, 1),
    merge(results, "8 × 20 hits", "Merge of 8 × 20 hits", 0.05),
    writeThroughput(results),
    taskListing(results),
    slowReplica(results),
  ];
}
