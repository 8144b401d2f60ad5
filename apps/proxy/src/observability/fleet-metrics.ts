import {
  type HealthView,
  healthOf,
  shardCoverage,
  shardsByNode,
  type Topology,
} from "@miroir/router";
import type { ProxyMetrics } from "./proxy-metrics.js";

const HEALTH_VALUE = { healthy: 1, degraded: 0.5, unreachable: 0 } as const;

/** Sets the node-health and shard gauges from the topology and the health checker's view. */
export function recordFleetHealth(
  metrics: ProxyMetrics,
  topology: Topology,
  health: HealthView,
): void {
  const coverage = shardCoverage(topology, health);
  metrics.shardCoverage.set((coverage.shards - coverage.uncovered.length) / coverage.shards);
  metrics.degradedShards.set(coverage.degraded.length);
  for (const node of topology.nodes) {
    if (node.state === "removed") {
      metrics.nodeHealthy.remove({ node_id: node.id });
      metrics.shardDistribution.remove({ node_id: node.id });
      continue;
    }
    metrics.nodeHealthy.set({ node_id: node.id }, HEALTH_VALUE[healthOf(health, node.id)]);
  }
  for (const row of shardsByNode(topology)) {
    if (row.state !== "removed")
      metrics.shardDistribution.set({ node_id: row.id }, row.owned.length);
  }
}
