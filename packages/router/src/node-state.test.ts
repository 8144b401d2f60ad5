import { describe, expect, it } from "vitest";
import { IllegalTransitionError, UnknownNodeError } from "./errors.js";
import {
  isLegalTransition,
  isPlacementTarget,
  NODE_STATES,
  type NodeState,
  nextStates,
  ownsData,
  receivesWrites,
  servesReads,
} from "./node-state.js";
import { createTopology, findNode, withNodeState } from "./topology.js";

const LEGAL: [NodeState, NodeState][] = [
  ["joining", "active"],
  ["joining", "failed"],
  ["joining", "removed"],
  ["active", "draining"],
  ["active", "failed"],
  ["draining", "active"],
  ["draining", "failed"],
  ["draining", "removed"],
  ["failed", "joining"],
  ["failed", "removed"],
];

function topologyWith(state: NodeState) {
  return createTopology({
    shards: 8,
    replicationFactor: 1,
    replicaGroups: 1,
    nodes: [{ id: "n1", address: "http://n1:7700", group: 0, state }],
  });
}

describe("node lifecycle", () => {
  it.each(LEGAL)("allows %s → %s", (from, to) => {
    expect(isLegalTransition(from, to)).toBe(true);
    expect(findNode(withNodeState(topologyWith(from), "n1", to), "n1").state).toBe(to);
  });

  const illegal = NODE_STATES.flatMap((from) =>
    NODE_STATES.filter((to) => !LEGAL.some(([a, b]) => a === from && b === to)).map(
      (to) => [from, to] as [NodeState, NodeState],
    ),
  );

  it.each(illegal)("refuses %s → %s with a typed error", (from, to) => {
    expect(isLegalTransition(from, to)).toBe(false);
    const before = topologyWith(from);
    expect(() => withNodeState(before, "n1", to)).toThrow(IllegalTransitionError);
    expect(findNode(before, "n1").state).toBe(from);
  });

  it("names the node and both states in the error, with a Miroir code", () => {
    try {
      withNodeState(topologyWith("removed"), "n1", "active");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(IllegalTransitionError);
      expect((error as IllegalTransitionError).code).toBe("miroir_illegal_transition");
      expect((error as Error).message).toBe("Node `n1` cannot go from `removed` to `active`.");
    }
  });

  it("refuses a transition of an unknown node", () => {
    expect(() => withNodeState(topologyWith("active"), "ghost", "draining")).toThrow(
      UnknownNodeError,
    );
  });

  it("lists the next states of each state", () => {
    expect(nextStates("removed")).toEqual([]);
    expect(nextStates("active")).toEqual(["draining", "failed"]);
  });

  it("gives each state its data, write, read and placement rights", () => {
    const rights = Object.fromEntries(
      NODE_STATES.map((state) => [
        state,
        [ownsData(state), isPlacementTarget(state), receivesWrites(state), servesReads(state)],
      ]),
    );
    expect(rights).toEqual({
      joining: [false, true, true, false],
      active: [true, true, true, true],
      draining: [true, false, true, true],
      failed: [false, false, false, false],
      removed: [false, false, false, false],
    });
  });
});
