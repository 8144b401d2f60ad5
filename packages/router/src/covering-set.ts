import { InvalidTopologyError } from "./errors.js";
import { type HealthView, healthOf } from "./node-health.js";
import type { NodeId } from "./node-score.js";
import { chooseReplica, type ReplicaLoads } from "./replica-choice.js";
import { readableGroups, shardRoute } from "./routing-table.js";
import type { GroupId, Topology } from "./topology.js";

/** For one search: which node answers for which shards, and the shards nobody covers. */
export interface CoveringSet {
  /** Node → the shards (ascending) it must answer for. */
  readonly byNode: Map<NodeId, number[]>;
  /** Shards with no usable replica, ascending. */
  readonly holes: number[];
}

/**
 * The replica of `shard` in `group` that answers query `seq`, or undefined. Healthy
 * replicas are preferred; degraded ones are used only when no healthy one holds the shard;
 * unreachable ones never. Among the chosen tier, `chooseReplica` decides: `seq` rotates the
 * choice, or the replicas' loads pick the cheapest when given.
 */
function pickReplica(
  topology: Topology,
  shard: number,
  group: GroupId,
  seq: number,
  health: HealthView,
  loads: ReplicaLoads | undefined,
): NodeId | undefined {
  const owners = shardRoute(topology, shard).serving[group] ?? [];
  let tier = owners.filter((id) => healthOf(health, id) === "healthy");
  if (tier.length === 0) {
    tier = owners.filter((id) => healthOf(health, id) === "degraded");
  }
  return chooseReplica(tier, seq, loads);
}

function assign(byNode: Map<NodeId, number[]>, node: NodeId, shard: number): void {
  const shards = byNode.get(node);
  if (shards === undefined) {
    byNode.set(node, [shard]);
  } else {
    shards.push(shard);
  }
}

/**
 * One readable replica per shard inside `group` (a node that owns the shard and serves
 * reads), rotating among the shard's replicas by `seq`, or by their loads when `loads` is
 * given (adaptive replica choice). A shard with no usable replica in
 * the group is a hole: fill it from other groups with `fillHoles`.
 */
export function coveringSet(
  topology: Topology,
  group: GroupId,
  seq: number,
  health: HealthView,
  loads?: ReplicaLoads,
): CoveringSet {
  if (!(Number.isInteger(group) && group >= 0 && group < topology.replicaGroups)) {
    throw new InvalidTopologyError(
      `Replica group \`${group}\` does not exist: groups are numbered 0 to ${topology.replicaGroups - 1}.`,
    );
  }
  const byNode = new Map<NodeId, number[]>();
  const holes: number[] = [];
  for (let shard = 0; shard < topology.shards; shard++) {
    const node = pickReplica(topology, shard, group, seq, health, loads);
    if (node === undefined) {
      holes.push(shard);
    } else {
      assign(byNode, node, shard);
    }
  }
  return { byNode, holes };
}

/**
 * Covers `holes` from the readable groups other than `excludeGroup`, tried in round-robin
 * order starting after `seq` so that fallback load spreads. Returns the extra assignments
 * and the shards still uncovered (for `unavailable_shard_policy`).
 */
export function fillHoles(
  topology: Topology,
  holes: readonly number[],
  excludeGroup: GroupId,
  seq: number,
  health: HealthView,
  loads?: ReplicaLoads,
): CoveringSet {
  const others = readableGroups(topology).filter((group) => group !== excludeGroup);
  const start = others.length === 0 ? 0 : Math.abs(Math.trunc(seq)) % others.length;
  const order = [...others.slice(start), ...others.slice(0, start)];
  const byNode = new Map<NodeId, number[]>();
  const remaining: number[] = [];
  for (const shard of holes) {
    let node: NodeId | undefined;
    for (const group of order) {
      node = pickReplica(topology, shard, group, seq, health, loads);
      if (node !== undefined) {
        break;
      }
    }
    if (node === undefined) {
      remaining.push(shard);
    } else {
      assign(byNode, node, shard);
    }
  }
  return { byNode, holes: remaining };
}
