import type { HealthView } from "@miroir/router";
import { shardCoverage, shardRoute, shardsByNode, type Topology } from "@miroir/router";
import type { HealthChecker } from "../../health/index.js";

function isoOrNull(epochMs: number | null | undefined): string | null {
  return epochMs === null || epochMs === undefined ? null : new Date(epochMs).toISOString();
}

/** `GET /_miroir/topology`: every node with its lifecycle state, health and shard counts. */
export function topologyView(topology: Topology, health: HealthView, checker: HealthChecker) {
  const coverage = shardCoverage(topology, health);
  const owned = new Map(shardsByNode(topology).map((row) => [row.id, row]));
  return {
    shards: topology.shards,
    replicationFactor: topology.replicationFactor,
    replicaGroups: topology.replicaGroups,
    nodes: topology.nodes.map((node) => {
      const probe = checker.status(node.id);
      return {
        id: node.id,
        address: node.address,
        replicaGroup: node.group,
        state: node.state,
        health: node.state === "removed" ? null : (probe?.health ?? "unknown"),
        shardCount: owned.get(node.id)?.owned.length ?? 0,
        targetShardCount: owned.get(node.id)?.target.length ?? 0,
        lastSeen: isoOrNull(probe?.lastSeen),
        error: probe?.lastError ?? null,
      };
    }),
    coverage: {
      uncoveredShards: coverage.uncovered.length,
      degradedShards: coverage.degraded.length,
    },
  };
}

/** `GET /_miroir/shards`: per shard, the nodes of each group that hold it and will hold it. */
export function shardsView(topology: Topology) {
  const shards = [];
  for (let shard = 0; shard < topology.shards; shard++) {
    const route = shardRoute(topology, shard);
    shards.push({
      shard,
      groups: route.serving.map((nodes, group) => ({
        group,
        nodes,
        targetNodes: route.target[group] ?? [],
      })),
    });
  }
  return { shards };
}
