import { type HealthView, healthOf } from "./node-health.js";
import { shardRoute } from "./routing-table.js";
import type { Topology } from "./topology.js";

/** How well the fleet covers the shards right now, given the health checker's view. */
export interface ShardCoverage {
  readonly shards: number;
  /** Shards with no reachable replica that serves reads, in any group. */
  readonly uncovered: readonly number[];
  /** Shards with fewer reachable serving replicas than replica groups × RF. */
  readonly degraded: readonly number[];
}

export function shardCoverage(topology: Topology, health: HealthView): ShardCoverage {
  const uncovered: number[] = [];
  const degraded: number[] = [];
  const full = topology.replicaGroups * topology.replicationFactor;
  for (let shard = 0; shard < topology.shards; shard++) {
    const reachable = shardRoute(topology, shard)
      .serving.flat()
      .filter((id) => healthOf(health, id) !== "unreachable").length;
    if (reachable === 0) uncovered.push(shard);
    if (reachable < full) degraded.push(shard);
  }
  return { shards: topology.shards, uncovered, degraded };
}
