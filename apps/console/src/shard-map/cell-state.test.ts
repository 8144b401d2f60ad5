import { describe, expect, it } from "vitest";
import type { NodeView, ShardsView } from "../api/admin-types.js";
import { shardRows } from "./cell-state.js";

function node(
  id: string,
  health: NodeView["health"],
  state: NodeView["state"] = "active",
): NodeView {
  return {
    id,
    address: `http://${id}`,
    replicaGroup: 0,
    state,
    health,
    shardCount: 0,
    targetShardCount: 0,
    lastSeen: null,
    error: null,
  };
}

describe("the shard map's cells", () => {
  it("tells holders from targets and colours holders by their node's health", () => {
    const view: ShardsView = {
      shards: [
        { shard: 0, groups: [{ group: 0, nodes: ["a", "b"], targetNodes: ["a", "c"] }] },
        { shard: 1, groups: [{ group: 0, nodes: ["d", "e"], targetNodes: ["d", "e"] }] },
      ],
    };
    const nodes = [
      node("a", "healthy"),
      node("b", "healthy", "draining"),
      node("c", "unknown", "joining"),
      node("d", "unreachable"),
      node("e", "degraded"),
    ];
    const [zero, one] = shardRows(view, nodes);
    expect(zero?.cells.get("a")).toEqual({ holds: true, target: true, state: "active" });
    expect(zero?.cells.get("b")).toEqual({ holds: true, target: false, state: "draining" });
    expect(zero?.cells.get("c")).toEqual({ holds: false, target: true, state: "joining" });
    expect(one?.cells.get("d")?.state).toBe("unreachable");
    expect(one?.cells.get("e")?.state).toBe("recovering");
    expect(one?.cells.has("a")).toBe(false);
  });
});
