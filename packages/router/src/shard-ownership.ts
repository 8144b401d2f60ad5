import type { NodeId } from "./node-score.js";
import type { NodeState } from "./node-state.js";
import { shardRoute } from "./routing-table.js";
import type { GroupId, Topology } from "./topology.js";

/** One node's share of the shards, as `/_miroir/shards` reports it. */
export interface NodeShards {
  readonly id: NodeId;
  readonly group: GroupId;
  readonly state: NodeState;
  /** Shards the node holds now and answers for (serving placement), ascending. */
  readonly owned: number[];
  /** Shards the node must hold once pending moves are done (target placement), ascending. */
  readonly target: number[];
}

/** Every node of the topology with the shards it owns and the shards it must end up with. */
export function shardsByNode(topology: Topology): NodeShards[] {
  const rows = new Map<NodeId, NodeShards>();
  for (const node of topology.nodes) {
    rows.set(node.id, { id: node.id, group: node.group, state: node.state, owned: [], target: [] });
  }
  for (let shard = 0; shard < topology.shards; shard++) {
    const route = shardRoute(topology, shard);
    for (const ids of route.serving) {
      for (const id of ids) {
        rows.get(id)?.owned.push(shard);
      }
    }
    for (const ids of route.target) {
      for (const id of ids) {
        rows.get(id)?.target.push(shard);
      }
    }
  }
  return [...rows.values()];
}
