import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RESULTS_PATH } from "../repo-paths.js";
import type { BenchmarkResults } from "../report/benchmark-results.js";
import { blocksOf, CAPACITY_PATH } from "./capacity-doc.js";
import { capacityBlocks } from "./capacity-examples.js";

// The 1B example simulates a fleet of about 500 nodes: seconds of placement.
const SIMULATION_TIMEOUT_MS = 180_000;

describe("docs/capacity.md", () => {
  it(
    "states exactly what the script recomputes from bench/results/latest.json and the simulator",
    () => {
      const results = JSON.parse(readFileSync(RESULTS_PATH, "utf8")) as BenchmarkResults;
      const stated = blocksOf(readFileSync(CAPACITY_PATH, "utf8"));
      const recomputed = capacityBlocks(results);
      expect([...stated.keys()].sort()).toEqual([...recomputed.keys()].sort());
      for (const [name, body] of recomputed) {
        expect(stated.get(name), `block ${name}`).toBe(body);
      }
    },
    SIMULATION_TIMEOUT_MS,
  );
});
