import { findNode, type Topology, writeTargets } from "@miroir/router";

/** Acknowledgements a group needs for one shard: a majority of its RF replicas. */
export function quorumSize(replicationFactor: number): number {
  return Math.floor(replicationFactor / 2) + 1;
}

export interface QuorumOutcome {
  /** Every shard reached quorum in at least one group. */
  readonly reached: boolean;
  /** Shards that reached quorum in no group. */
  readonly lostShards: readonly number[];
  /** Groups that missed quorum for some shard, and those shards. */
  readonly degradedGroups: readonly number[];
  readonly degradedShards: readonly number[];
}

/**
 * Decides a write from the nodes that acknowledged it: per shard and group, count the
 * acknowledging write targets against `floor(RF/2)+1` (or every target when the group
 * has fewer); a shard is safe when one group reached it.
 */
export function evaluateQuorum(
  topology: Topology,
  shards: Iterable<number>,
  acknowledged: ReadonlySet<string>,
): QuorumOutcome {
  const lost: number[] = [];
  const degradedGroups = new Set<number>();
  const degradedShards = new Set<number>();
  for (const shard of shards) {
    const perGroup = new Map<number, { targets: number; acks: number }>();
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
  return {
    reached: lost.length === 0,
    lostShards: lost,
    degradedGroups: [...degradedGroups].sort((a, b) => a - b),
    degradedShards: [...degradedShards].sort((a, b) => a - b),
  };
}

/** `X-Miroir-Degraded` for a write: `groups=0;shards=3,7`, or `undefined` when none. */
export function degradedHeader(outcome: QuorumOutcome): string | undefined {
  if (outcome.degradedShards.length === 0) return undefined;
  return `groups=${outcome.degradedGroups.join(",")};shards=${outcome.degradedShards.join(",")}`;
}
