import type { LatencySummary } from "../load/latency-summary.js";
import type { BenchmarkResults } from "./benchmark-results.js";
import type { CostCurvesRun } from "./cost-curve.js";

/** A small, made-up run for the report's tests. */
export function latency(p50Ms: number, requestsPerSecond: number): LatencySummary {
  return {
    requests: 100,
    errors: 0,
    seconds: 1,
    requestsPerSecond,
    meanMs: p50Ms,
    p50Ms,
    p95Ms: p50Ms * 2,
    p99Ms: p50Ms * 3,
  };
}

export function fixtureResults(overrides: Partial<BenchmarkResults> = {}): BenchmarkResults {
  const writeRun = (documentsPerSecond: number) => ({
    documents: 20_000,
    batches: 10,
    acceptedSeconds: 0.1,
    seconds: 20_000 / documentsPerSecond,
    documentsPerSecond,
  });
  const routing = {
    documents: 100_000,
    bytes: 20_000_000,
    iterations: 5,
    medianSeconds: 0.08,
    megabytesPerSecond: 250,
    megabytesPerCpuSecond: 260,
    megabytesPerCpuSecondMean: 255,
    megabytesPerCpuSecondSlowest: 240,
    parseCeilingMegabytesPerSecond: 400,
    parseCeilingMegabytesPerCpuSecond: 410,
    emptyRssBytes: 50_000_000,
    peakRssBytes: 90_000_000,
    window: { fromUs: 0, toUs: 1 },
  };
  return {
    generatedAt: "2026-01-01T00:00:00.000Z",
    durationSeconds: 200,
    revision: "abc1234",
    machine: {
      cpus: 2,
      cpuModel: "Test CPU",
      nodeVersion: "v20.0.0",
      platform: "linux test",
      loadAverageAtStart: 1,
      loadAverageAtEnd: 2,
    },
    upstream: "emulated",
    micro: [
      {
        packageName: "@miroir/merger",
        group: "bench/merge-search.bench.ts > mergeSearch",
        name: "3 × 1 000 hits, 5 facets × 100 values, limit 1 000",
        meanMs: 0.6,
        medianMs: 0.4,
        minMs: 0.3,
        p99Ms: 0.9,
        hz: 1600,
        samples: 800,
      },
      {
        packageName: "@miroir/merger",
        group: "bench/merge-search.bench.ts > mergeSearch",
        name: "8 × 20 hits, limit 20",
        meanMs: 0.07,
        medianMs: 0.06,
        minMs: 0.01,
        hz: 14000,
        samples: 7000,
      },
    ],
    search: [
      {
        id: "trivial",
        title: "Proxy alone",
        documents: 0,
        measurements: [
          {
            label: "direct",
            role: "direct",
            latency: latency(0.5, 5000),
            throughput: latency(1, 8000),
          },
          {
            label: "fan-out",
            role: "fan-out",
            latency: latency(0.9, 3000),
            throughput: latency(2, 4000),
          },
          {
            label: "Miroir",
            role: "miroir",
            latency: latency(1.1, 2000),
            throughput: latency(3, 2500),
          },
        ],
        nodeCalls: [
          { label: "fan-out", total: 3, byKind: { search: 3 } },
          { label: "Miroir", total: 5, byKind: { search: 3, index: 1, settings: 1 } },
        ],
      },
    ],
    writes: { replicationFactor: 1, direct: writeRun(50_000), miroir: writeRun(47_000), rounds: 2 },
    writesReplicated: {
      replicationFactor: 2,
      direct: writeRun(40_000),
      miroir: writeRun(38_000),
      rounds: 3,
      directRuns: [writeRun(41_000), writeRun(40_000), writeRun(30_000)],
      miroirRuns: [writeRun(38_000), writeRun(39_000), writeRun(20_000)],
    },
    routing,
    routingLarge: { ...routing, bytes: 104_857_600, peakRssBytes: 300_000_000 },
    profiles: [
      {
        subject: "search",
        busyMs: 1000,
        spanMs: 2000,
        windowed: true,
        areas: [
          { area: "Node.js internals", percent: 60 },
          { area: "packages/merger", percent: 12 },
        ],
        top: [
          {
            functionName: "mergeSearch",
            location: "packages/merger/dist/merge.js:10",
            selfMs: 120,
            percent: 12,
          },
        ],
      },
    ],
    taskListing: {
      tasks: 1_000_000,
      backends: [
        {
          backend: "sqlite",
          tasks: 1_000_000,
          fillSeconds: 20,
          iterations: 200,
          queries: [{ name: "newest 20", total: 1_000_000, p50Ms: 0.4, p99Ms: 3, meanMs: 0.6 }],
        },
        {
          backend: "redis",
          tasks: 1_000_000,
          fillSeconds: 60,
          iterations: 200,
          queries: [{ name: "newest 20", total: 1_000_000, p50Ms: 12, p99Ms: 30, meanMs: 14 }],
        },
      ],
    },
    failures: [],
    ...overrides,
  };
}

/** Two made-up cost curves: one linear with a reference series, one flat. */
export function costCurvesFixture(): CostCurvesRun {
  const xs = [1, 2, 4, 8, 16, 32];
  return {
    generatedAt: "2026-01-01T00:00:00.000Z",
    revision: "abc1234",
    upstream: "emulated",
    durationSeconds: 60,
    curves: [
      {
        id: "search-latency-nodes",
        title: "Search latency",
        x: { label: "nodes searched", unit: "node searched", scale: "log2" },
        y: { label: "p50 latency", unit: "ms" },
        series: [
          { label: "Miroir", points: xs.map((x) => ({ x, y: 0.5 + 0.25 * x })), fitted: true },
          { label: "floor", points: xs.map((x) => ({ x, y: 0.5 + 0.125 * x })), fitted: false },
        ],
        reference: 1,
        method: "Made up.",
      },
      {
        id: "search-latency-shards",
        title: "Flat",
        x: { label: "shards", unit: "shard", scale: "log2" },
        y: { label: "p50 latency", unit: "ms" },
        series: [
          {
            label: "flat",
            points: xs.map((x, i) => ({ x: x * 16, y: 2 + (i % 2 === 0 ? 0.01 : -0.01) })),
            fitted: true,
          },
        ],
        method: "Made up.",
      },
    ],
    failures: [],
  };
}
