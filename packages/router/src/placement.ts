import { type NodeId, rankNodes } from "./node-score.js";
import { isPlacementTarget, ownsData } from "./node-state.js";
import type { TopologyNode } from "./topology.js";

function topOf(
  shard: number,
  group: readonly TopologyNode[],
  rf: number,
  eligible: (node: TopologyNode) => boolean,
): NodeId[] {
  const ids = group.filter(eligible).map((node) => node.id);
  return rankNodes(shard, ids).slice(0, rf);
}

/**
 * The nodes of one group that hold `shard` now: the `rf` highest-scoring nodes among
 * those that own data (active, draining), best first.
 */
export function placement(shard: number, group: readonly TopologyNode[], rf: number): NodeId[] {
  return topOf(shard, group, rf, (node) => ownsData(node.state));
}

/**
 * The nodes of one group where `shard` must end up: the `rf` highest-scoring nodes among
 * the placement targets (active, joining), best first.
 */
export function targetPlacement(
  shard: number,
  group: readonly TopologyNode[],
  rf: number,
): NodeId[] {
  return topOf(shard, group, rf, (node) => isPlacementTarget(node.state));
}
