import { InvalidTopologyError } from "./errors.js";
import { type NodeId, rankNodes } from "./node-score.js";
import { isPlacementTarget, ownsData, receivesWrites, servesReads } from "./node-state.js";
import type { GroupId, Topology, TopologyNode } from "./topology.js";

/** Where one shard lives, per replica group. */
export interface ShardRoute {
  /** Per group: the RF best nodes that own data now (active, draining), best first. */
  readonly serving: readonly (readonly NodeId[])[];
  /** Per group: the RF best nodes where the data must end up (active, joining). */
  readonly target: readonly (readonly NodeId[])[];
  /** Every node that must receive the shard's writes: serving ∪ target of every group. */
  readonly writeTargets: readonly NodeId[];
}

interface GroupCandidates {
  readonly ids: readonly NodeId[];
  readonly byId: ReadonlyMap<NodeId, TopologyNode>;
}

/**
 * Per-topology lookup tables, built lazily shard by shard and cached for the life of the
 * topology object, so routing a key costs a hash plus an array index.
 */
interface RoutingTable {
  readonly routes: (ShardRoute | undefined)[];
  /** Per group: the nodes that take part in placement at all (they receive writes). */
  readonly candidates: readonly GroupCandidates[];
  readonly readableGroups: readonly GroupId[];
}

const tables = new WeakMap<Topology, RoutingTable>();
// Routing nearly always asks about the same topology in a row; comparing one reference
// is cheaper than a WeakMap lookup per key.
let lastTopology: Topology | undefined;
let lastTable: RoutingTable | undefined;

function tableOf(topology: Topology): RoutingTable {
  if (topology === lastTopology && lastTable !== undefined) {
    return lastTable;
  }
  let table = tables.get(topology);
  if (table === undefined) {
    const candidates: GroupCandidates[] = [];
    const readableGroups: GroupId[] = [];
    for (let group = 0; group < topology.replicaGroups; group++) {
      const nodes = topology.nodes.filter(
        (node) => node.group === group && receivesWrites(node.state),
      );
      candidates.push({
        ids: nodes.map((node) => node.id),
        byId: new Map(nodes.map((n) => [n.id, n])),
      });
      if (nodes.some((node) => servesReads(node.state))) {
        readableGroups.push(group);
      }
    }
    table = { routes: new Array(topology.shards), candidates, readableGroups };
    tables.set(topology, table);
  }
  lastTopology = topology;
  lastTable = table;
  return table;
}

function topRanked(
  ranking: readonly NodeId[],
  states: ReadonlyMap<NodeId, TopologyNode>,
  eligible: (node: TopologyNode) => boolean,
  rf: number,
): NodeId[] {
  const chosen: NodeId[] = [];
  for (const id of ranking) {
    if (chosen.length === rf) {
      break;
    }
    if (eligible(states.get(id) as TopologyNode)) {
      chosen.push(id);
    }
  }
  return chosen;
}

function buildRoute(topology: Topology, table: RoutingTable, shard: number): ShardRoute {
  const serving: NodeId[][] = [];
  const target: NodeId[][] = [];
  const writeTargets: NodeId[] = [];
  for (const { ids, byId } of table.candidates) {
    const ranking = rankNodes(shard, ids);
    const owners = topRanked(ranking, byId, (n) => ownsData(n.state), topology.replicationFactor);
    const targets = topRanked(
      ranking,
      byId,
      (n) => isPlacementTarget(n.state),
      topology.replicationFactor,
    );
    serving.push(owners);
    target.push(targets);
    writeTargets.push(...owners);
    for (const id of targets) {
      if (!owners.includes(id)) {
        writeTargets.push(id);
      }
    }
  }
  return { serving, target, writeTargets };
}

/** Throws unless `shard` is an integer in [0, topology.shards). */
function assertShard(topology: Topology, shard: number): void {
  if (!(Number.isInteger(shard) && shard >= 0 && shard < topology.shards)) {
    throw new InvalidTopologyError(
      `Shard \`${shard}\` does not exist: shards are numbered 0 to ${topology.shards - 1}.`,
    );
  }
}

/** The cached route of one shard. */
export function shardRoute(topology: Topology, shard: number): ShardRoute {
  const table = tableOf(topology);
  let route = table.routes[shard];
  if (route === undefined) {
    assertShard(topology, shard);
    route = buildRoute(topology, table, shard);
    table.routes[shard] = route;
  }
  return route;
}

/**
 * Every node a write to `shard` must reach: the placement in every group that receives
 * writes (RG × RF nodes in a settled fleet; during a move also the nodes gaining the shard).
 */
export function writeTargets(shard: number, topology: Topology): readonly NodeId[] {
  return shardRoute(topology, shard).writeTargets;
}

/** The groups with at least one node that serves reads, ascending. */
export function readableGroups(topology: Topology): readonly GroupId[] {
  return tableOf(topology).readableGroups;
}
