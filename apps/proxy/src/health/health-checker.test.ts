import { shardCoverage, topologyFromConfig } from "@miroir/router";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createProxyMetrics } from "../observability/index.js";
import { startHealthChecker } from "./health-checker.js";

const topology = topologyFromConfig(
  [
    { id: "a", address: "http://a", replica_group: 0 },
    { id: "b", address: "http://b", replica_group: 0 },
  ],
  { shards: 8, replication_factor: 1, replica_groups: 1 },
);

describe("the health checker", () => {
  it("marks a node degraded, then unreachable after the threshold, and healthy after the recovery streak", async () => {
    let bDown = true;
    const changes: string[] = [];
    const checker = startHealthChecker({
      topology: () => topology,
      intervalMs: 60_000,
      timeoutMs: 10,
      thresholds: { unhealthyAfter: 2, healthyAfter: 2 },
      duties: { logger: pino({ level: "silent" }), metrics: createProxyMetrics() },
      probe: async (address) => {
        if (address === "http://b" && bDown) throw new Error("connection refused");
      },
      onChange: (_view, changed) => changes.push(`${changed.nodeId}:${changed.health}`),
      now: () => 1_000,
    });
    await checker.probeAll();
    expect(checker.view().get("b")).toBe("degraded");
    expect(checker.status("b")?.lastError).toBe("connection refused");
    expect(checker.status("a")).toMatchObject({
      health: "healthy",
      lastSeen: 1_000,
      lastError: null,
    });
    await checker.probeAll();
    expect(checker.view().get("b")).toBe("unreachable");
    expect(shardCoverage(topology, checker.view()).uncovered.length).toBeGreaterThan(0);

    bDown = false;
    await checker.probeAll();
    expect(checker.view().get("b")).toBe("unreachable");
    await checker.probeAll();
    expect(checker.view().get("b")).toBe("healthy");
    expect(shardCoverage(topology, checker.view()).uncovered).toEqual([]);
    expect(changes).toEqual(["b:degraded", "b:unreachable", "b:healthy"]);
    await checker.stop();
  });

  it("probes on its own every interval until stopped", async () => {
    let probes = 0;
    const checker = startHealthChecker({
      topology: () => topology,
      intervalMs: 10,
      timeoutMs: 5,
      thresholds: { unhealthyAfter: 1, healthyAfter: 1 },
      duties: { logger: pino({ level: "silent" }), metrics: createProxyMetrics() },
      probe: async () => {
        probes += 1;
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await checker.stop();
    const seen = probes;
    expect(seen).toBeGreaterThanOrEqual(4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(probes).toBe(seen);
  });
});
