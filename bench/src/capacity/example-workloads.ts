import type { NodeBudget, Workload } from "./capacity-model.js";

export const KIB = 1024;
export const GIB = 1024 ** 3;

/** The node every example is sized with: replace it with a measurement of your own nodes. */
export const EXAMPLE_NODE: NodeBudget = {
  indexBytes: 64 * GIB,
  searchesPerSecond: 300,
  utilisation: 0.6,
};

export const EXAMPLE_WORKLOADS: readonly Workload[] = [
  {
    name: "10M",
    documents: 10_000_000,
    indexBytesPerDocument: 4 * KIB,
    searchesPerSecond: 200,
    writesPerSecond: 20,
    survive: { nodeFailures: 1, zone: false },
    growth: 2,
    maxOverMean: 1.25,
  },
  {
    name: "100M",
    documents: 100_000_000,
    indexBytesPerDocument: 4 * KIB,
    searchesPerSecond: 500,
    writesPerSecond: 100,
    survive: { nodeFailures: 1, zone: true },
    growth: 2,
    maxOverMean: 1.25,
  },
  {
    name: "1B",
    documents: 1_000_000_000,
    indexBytesPerDocument: 4 * KIB,
    searchesPerSecond: 1_000,
    writesPerSecond: 500,
    survive: { nodeFailures: 2, zone: true },
    growth: 1.5,
    maxOverMean: 1.5,
  },
];

/** Seed of every simulation in the capacity document. */
export const CAPACITY_SEED = 2026;
