import { InvalidTopologyError, UnknownNodeError } from "./errors.js";
import type { NodeId } from "./node-score.js";
import { assertTransition, NODE_STATES, type NodeState } from "./node-state.js";
import { assertShardCount } from "./shard-of.js";

/** A replica group, numbered from 0 to `replicaGroups - 1`. */
export type GroupId = number;

export interface TopologyNode {
  readonly id: NodeId;
  readonly address: string;
  readonly group: GroupId;
  readonly state: NodeState;
}

/**
 * The fleet as placement sees it. Immutable: every change returns a new topology, and
 * routing tables are cached per topology object. Removed nodes stay listed so that their
 * ids are never reused.
 */
export interface Topology {
  readonly shards: number;
  readonly replicationFactor: number;
  readonly replicaGroups: number;
  readonly nodes: readonly TopologyNode[];
}

/** One entry of `nodes[]` in Miroir's configuration. */
export interface NodeEntry {
  readonly id: string;
  readonly address: string;
  readonly replica_group: number;
  readonly state?: NodeState;
}

/** The placement settings of Miroir's configuration. */
export interface PlacementSettings {
  readonly shards: number;
  readonly replication_factor: number;
  readonly replica_groups: number;
}

function assertPositiveInteger(name: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new InvalidTopologyError(`\`${name}\` must be an integer ≥ 1, got \`${value}\`.`);
  }
}

/** Validates and freezes a topology. */
export function createTopology(topology: Topology): Topology {
  assertShardCount(topology.shards);
  assertPositiveInteger("replication_factor", topology.replicationFactor);
  assertPositiveInteger("replica_groups", topology.replicaGroups);
  const seen = new Set<NodeId>();
  for (const node of topology.nodes) {
    if (typeof node.id !== "string" || node.id.length === 0) {
      throw new InvalidTopologyError("Every node needs a non-empty string `id`.");
    }
    if (seen.has(node.id)) {
      throw new InvalidTopologyError(`Node id \`${node.id}\` appears more than once.`);
    }
    seen.add(node.id);
    if (!(Number.isInteger(node.group) && node.group >= 0 && node.group < topology.replicaGroups)) {
      throw new InvalidTopologyError(
        `Node \`${node.id}\` is in replica group \`${node.group}\`, but groups are numbered 0 to ${topology.replicaGroups - 1}.`,
      );
    }
    if (!NODE_STATES.includes(node.state)) {
      throw new InvalidTopologyError(`Node \`${node.id}\` has unknown state \`${node.state}\`.`);
    }
  }
  return Object.freeze({
    shards: topology.shards,
    replicationFactor: topology.replicationFactor,
    replicaGroups: topology.replicaGroups,
    nodes: Object.freeze(topology.nodes.map((node) => Object.freeze({ ...node }))),
  });
}

/**
 * Builds a topology from configuration-shaped input (`nodes[]` plus `shards`,
 * `replication_factor`, `replica_groups`). Nodes without a `state` are `active`.
 */
export function topologyFromConfig(
  nodes: readonly NodeEntry[],
  settings: PlacementSettings,
): Topology {
  return createTopology({
    shards: settings.shards,
    replicationFactor: settings.replication_factor,
    replicaGroups: settings.replica_groups,
    nodes: nodes.map((entry) => ({
      id: entry.id,
      address: entry.address,
      group: entry.replica_group,
      state: entry.state ?? "active",
    })),
  });
}

export function findNode(topology: Topology, nodeId: NodeId): TopologyNode {
  const node = topology.nodes.find((candidate) => candidate.id === nodeId);
  if (node === undefined) {
    throw new UnknownNodeError(nodeId);
  }
  return node;
}

/** The nodes of one replica group, in topology order. */
export function nodesOfGroup(topology: Topology, group: GroupId): TopologyNode[] {
  return topology.nodes.filter((node) => node.group === group);
}

/**
 * The topology with one node moved to `state`. Throws `IllegalTransitionError` for a
 * transition the lifecycle does not allow and `UnknownNodeError` for an unknown id.
 */
export function withNodeState(topology: Topology, nodeId: NodeId, state: NodeState): Topology {
  const node = findNode(topology, nodeId);
  assertTransition(nodeId, node.state, state);
  return createTopology({
    ...topology,
    nodes: topology.nodes.map((candidate) =>
      candidate.id === nodeId ? { ...candidate, state } : candidate,
    ),
  });
}

/** The topology with a new node, which starts `joining`. Ids are never reused. */
export function withJoiningNode(
  topology: Topology,
  node: { readonly id: NodeId; readonly address: string; readonly group: GroupId },
): Topology {
  return createTopology({
    ...topology,
    nodes: [...topology.nodes, { ...node, state: "joining" }],
  });
}

/** The topology with one more replica group, numbered `replicaGroups`. */
export function withReplicaGroup(topology: Topology): Topology {
  return createTopology({ ...topology, replicaGroups: topology.replicaGroups + 1 });
}

const withShardsCache = new WeakMap<Topology, Map<number, Topology>>();

/**
 * The same fleet with another shard count: the topology an index split into `shards`
 * shards is placed by. Placement ranks nodes per shard id, so shard `s` has the same
 * owners whatever the count. Memoised per (topology, count), so the routing tables cached
 * per topology object keep working; answers `topology` itself when the count is its own.
 */
export function withShards(topology: Topology, shards: number): Topology {
  if (shards === topology.shards) return topology;
  let byCount = withShardsCache.get(topology);
  if (byCount === undefined) {
    byCount = new Map();
    withShardsCache.set(topology, byCount);
  }
  let derived = byCount.get(shards);
  if (derived === undefined) {
    assertShardCount(shards);
    derived = Object.freeze({ ...topology, shards });
    byCount.set(shards, derived);
  }
  return derived;
}
