import { describe, expect, it } from "vitest";
import { rebalanceItem } from "./rebalance-progress.js";

const MOVE = { shard: 3, group: 0, from: ["a"], to: ["b"], gains: ["b"], losses: ["a"] };

describe("the rebalance progress bar", () => {
  it("counts the placements already in place, and says when no rebalancer runs", () => {
    const item = rebalanceItem(
      { status: "idle", rebalancerAvailable: false, pendingMoves: [MOVE, { ...MOVE, shard: 4 }] },
      16,
    );
    expect(item).toMatchObject({ state: "unavailable", done: 14, total: 16 });
    expect(item.note).toContain("2 move(s)");
  });

  it("is done when nothing waits, running while a rebalancer moves data", () => {
    expect(
      rebalanceItem({ status: "idle", rebalancerAvailable: true, pendingMoves: [] }, 8),
    ).toMatchObject({ state: "done", done: 8, total: 8 });
    expect(
      rebalanceItem({ status: "running", rebalancerAvailable: true, pendingMoves: [MOVE] }, 8),
    ).toMatchObject({ state: "running", done: 7 });
  });
});
