import { InvalidTopologyError } from "./errors.js";
import type { NodeId } from "./node-score.js";
import { shardRoute } from "./routing-table.js";
import type { GroupId, Topology } from "./topology.js";

/** How one shard's copies change inside one replica group. */
export interface ShardMove {
  readonly shard: number;
  readonly group: GroupId;
  /** The nodes that held the shard in this group before, best first. */
  readonly from: readonly NodeId[];
  /** The nodes that must hold it after, best first. */
  readonly to: readonly NodeId[];
  /** Nodes that must receive a copy (`to` minus `from`). */
  readonly gains: readonly NodeId[];
  /** Nodes whose copy is deleted once the gains are complete (`from` minus `to`). */
  readonly losses: readonly NodeId[];
}

type Placements = (topology: Topology, shard: number) => readonly (readonly NodeId[])[];

const targets: Placements = (topology, shard) => shardRoute(topology, shard).target;
const owners: Placements = (topology, shard) => shardRoute(topology, shard).serving;

function diff(
  before: Topology,
  beforeOf: Placements,
  after: Topology,
  afterOf: Placements,
): ShardMove[] {
  if (before.shards !== after.shards) {
    throw new InvalidTopologyError(
      `A move plan keeps the shard count (${before.shards} → ${after.shards}); changing it is a reshard.`,
    );
  }
  const groups = Math.max(before.replicaGroups, after.replicaGroups);
  const moves: ShardMove[] = [];
  for (let shard = 0; shard < before.shards; shard++) {
    const was = beforeOf(before, shard);
    const will = afterOf(after, shard);
    for (let group = 0; group < groups; group++) {
      const from = was[group] ?? [];
      const to = will[group] ?? [];
      const gains = to.filter((id) => !from.includes(id));
      const losses = from.filter((id) => !to.includes(id));
      if (gains.length > 0 || losses.length > 0) {
        moves.push({ shard, group, from, to, gains, losses });
      }
    }
  }
  return moves;
}

/**
 * Per shard and group, which nodes gain and lose the shard when the fleet goes from
 * `before` to `after`, comparing target placements (where data must live). Adding a node
 * to a group of Ng moves about S/(Ng+1) shards of that group and nothing elsewhere.
 * Shards are listed ascending, then groups.
 */
export function planMove(before: Topology, after: Topology): ShardMove[] {
  return diff(before, targets, after, targets);
}

/**
 * The moves still to make inside one topology: from where shards are held now (serving
 * placement) to where they must end up (target placement). Empty once the fleet is settled.
 */
export function pendingMoves(topology: Topology): ShardMove[] {
  return diff(topology, owners, topology, targets);
}
