import { describe, expect, it } from "vitest";
import type { RebalanceAnswer, ShardMove } from "../client/admin-client.js";
import { followRebalance } from "./follow-rebalance.js";

const move = (shard: number): ShardMove => ({ shard, group: 0, from: ["a"], to: ["b"] });

function scripted(answers: RebalanceAnswer[]) {
  let call = 0;
  return {
    rebalanceStatus: async () => answers[Math.min(call++, answers.length - 1)] as RebalanceAnswer,
  };
}

describe("following a rebalance", () => {
  it("reports the share of the first poll's moves that are done, until the rebalance is idle", async () => {
    const admin = scripted([
      {
        status: "running",
        rebalancerAvailable: true,
        pendingMoves: [move(1), move(2), move(3), move(4)],
      },
      { status: "running", rebalancerAvailable: true, pendingMoves: [move(3), move(4)] },
      { status: "running", rebalancerAvailable: true, pendingMoves: [move(4)] },
      { status: "idle", rebalancerAvailable: true, pendingMoves: [] },
    ]);
    const fractions: number[] = [];
    const result = await followRebalance(admin, {
      intervalMs: 1,
      onProgress: (_answer, fraction) => fractions.push(fraction),
    });
    expect(fractions).toEqual([0, 0.5, 0.75, 1]);
    expect(result.finished).toBe(true);
  });

  it("stops at the timeout with the last answer when the rebalance is still running", async () => {
    const running: RebalanceAnswer = {
      status: "running",
      rebalancerAvailable: true,
      pendingMoves: [move(1)],
    };
    const result = await followRebalance(scripted([running]), {
      intervalMs: 5,
      timeoutMs: 20,
      onProgress: () => {},
    });
    expect(result).toEqual({ answer: running, finished: false });
  });
});
