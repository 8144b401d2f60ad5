import { coveringSet, fillHoles } from "./covering-set.js";
import type { HealthView, NodeHealth } from "./node-health.js";
import type { NodeId } from "./node-score.js";
import type { ReplicaLoads } from "./replica-choice.js";
import type { GroupId, Topology } from "./topology.js";

/** For one read: which node answers for which shards, and the shards no usable node holds. */
export interface ShardAssignment {
  readonly byNode: Map<NodeId, number[]>;
  readonly uncovered: number[];
}

export interface AssignmentRequest {
  readonly topology: Topology;
  /** The query group of this read. */
  readonly group: GroupId;
  readonly seq: number;
  /** The shards to place, ascending. */
  readonly shards: readonly number[];
  /** The health checker's view when the read started (a node missing from it is healthy). */
  readonly health: HealthView;
  /** Nodes that failed during this read: never chosen again for it. */
  readonly failed: ReadonlySet<NodeId>;
  /** Place the shards inside the query group (off only for retries when disabled). */
  readonly inGroup: boolean;
  /** Place what the query group cannot cover in the other readable groups. */
  readonly otherGroups: boolean;
  /** Choose among a shard's replicas by their loads instead of rotating (adaptive). */
  readonly loads?: ReplicaLoads;
}

/**
 * Places `shards` on one readable replica each: in the query group first (rotating among
 * replicas by `seq`, skipping failed nodes), then in the other groups, and reports the rest.
 */
export function assignShards(request: AssignmentRequest): ShardAssignment {
  const { topology, group, seq, failed } = request;
  const health = new Map<NodeId, NodeHealth>(request.health);
  for (const nodeId of failed) health.set(nodeId, "unreachable");
  const wanted = new Set(request.shards);
  const byNode = new Map<NodeId, number[]>();
  let holes: number[] = [...request.shards];
  if (request.inGroup) {
    const covering = coveringSet(topology, group, seq, health, request.loads);
    for (const [nodeId, shards] of covering.byNode) {
      const mine = shards.filter((shard) => wanted.has(shard));
      if (mine.length > 0) byNode.set(nodeId, mine);
    }
    holes = covering.holes.filter((shard) => wanted.has(shard));
  }
  if (request.otherGroups && holes.length > 0) {
    const filled = fillHoles(topology, holes, group, seq, health, request.loads);
    for (const [nodeId, shards] of filled.byNode) {
      byNode.set(
        nodeId,
        [...(byNode.get(nodeId) ?? []), ...shards].sort((a, b) => a - b),
      );
    }
    holes = filled.holes;
  }
  return { byNode, uncovered: holes };
}
