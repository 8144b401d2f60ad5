import type { NodeId } from "./node-score.js";
import { writeTargets } from "./routing-table.js";
import { findNode, type GroupId, type Topology } from "./topology.js";

/** Acknowledgements a group needs for one shard: a majority of its RF replicas. */
export function quorumSize(replicationFactor: number): number {
  return Math.floor(replicationFactor / 2) + 1;
}

/** What the acknowledgements of a write decide. */
export interface QuorumOutcome {
  /** Every shard reached quorum in at least one group: the write is accepted. */
  readonly reached: boolean;
  /** Shards that reached quorum in no group, ascending. */
  readonly lostShards: readonly number[];
  /** Groups that missed quorum for some shard, ascending. */
  readonly degradedGroups: readonly GroupId[];
  /** Shards that missed quorum in some group, ascending. */
  readonly degradedShards: readonly number[];
}

/**
 * Decides a write from the nodes that acknowledged it: per shard and group, the
 * acknowledging write targets are counted against `floor(RF/2)+1` (or every target when
 * the group has fewer); a shard is safe when one group reached it.
 */
export function evaluateQuorum(
  topology: Topology,
  shards: Iterable<number>,
  acknowledged: ReadonlySet<NodeId>,
): QuorumOutcome {
  const lost: number[] = [];
  const degradedGroups = new Set<GroupId>();
  const degradedShards = new Set<number>();
  for (const shard of shards) {
    const perGroup = new Map<GroupId, { targets: number; acks: number }>();
    for (const nodeId of writeTargets(shard, topology)) {
      const group = findNode(topology, nodeId).group;
      const count = perGroup.get(group) ?? { targets: 0, acks: 0 };
      count.targets += 1;
      if (acknowledged.has(nodeId)) count.acks += 1;
      perGroup.set(group, count);
    }
    let safe = false;
    for (const [group, count] of perGroup) {
      const needed = Math.min(quorumSize(topology.replicationFactor), count.targets);
      if (count.acks >= needed) {
        safe = true;
      } else {
        degradedGroups.add(group);
        degradedShards.add(shard);
      }
    }
    if (!safe) lost.push(shard);
  }
  const ascending = (a: number, b: number) => a - b;
  return {
    reached: lost.length === 0,
    lostShards: lost.sort(ascending),
    degradedGroups: [...degradedGroups].sort(ascending),
    degradedShards: [...degradedShards].sort(ascending),
  };
}
