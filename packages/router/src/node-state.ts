import { IllegalTransitionError } from "./errors.js";

/**
 * A node's lifecycle state, set by the administrator (or the rebalancer).
 *
 * | state    | owns data (serving placement) | target placement | receives writes | serves reads |
 * |----------|-------------------------------|------------------|-----------------|--------------|
 * | joining  | no                            | yes              | yes             | no           |
 * | active   | yes                           | yes              | yes             | yes          |
 * | draining | yes                           | no               | yes             | yes          |
 * | failed   | no                            | no               | no              | no           |
 * | removed  | no                            | no               | no              | no           |
 *
 * A joining node is filled by migration while it already gets the writes of the shards
 * it will own (dual write), and is read only once active. A draining node keeps serving
 * and receiving writes for the shards it still holds until they have moved, so reads
 * never see a shard missing or stale during a move.
 */
export type NodeState = "joining" | "active" | "draining" | "failed" | "removed";

export const NODE_STATES: readonly NodeState[] = [
  "joining",
  "active",
  "draining",
  "failed",
  "removed",
];

const LEGAL_TRANSITIONS: Readonly<Record<NodeState, readonly NodeState[]>> = {
  // joining → active when its shards are copied; → failed if it dies while copying;
  // → removed when the addition is abandoned.
  joining: ["active", "failed", "removed"],
  active: ["draining", "failed"],
  // draining → active cancels a drain; → removed once every shard has moved.
  draining: ["active", "failed", "removed"],
  // A failed node may hold stale data, so it comes back only through a fresh join.
  failed: ["joining", "removed"],
  // Ids are never reused: removed is final.
  removed: [],
};

/** The states a node may move to from `state`. */
export function nextStates(state: NodeState): readonly NodeState[] {
  return LEGAL_TRANSITIONS[state];
}

export function isLegalTransition(from: NodeState, to: NodeState): boolean {
  return LEGAL_TRANSITIONS[from].includes(to);
}

/** Throws `IllegalTransitionError` unless `from → to` is legal. */
export function assertTransition(nodeId: string, from: NodeState, to: NodeState): void {
  if (!isLegalTransition(from, to)) {
    throw new IllegalTransitionError(nodeId, from, to);
  }
}

/** Holds its shards' data now: takes part in the serving placement. */
export function ownsData(state: NodeState): boolean {
  return state === "active" || state === "draining";
}

/** Takes part in the target placement, where the data must end up. */
export function isPlacementTarget(state: NodeState): boolean {
  return state === "active" || state === "joining";
}

export function receivesWrites(state: NodeState): boolean {
  return state === "joining" || state === "active" || state === "draining";
}

export function servesReads(state: NodeState): boolean {
  return state === "active" || state === "draining";
}
