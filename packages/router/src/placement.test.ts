import { describe, expect, it } from "vitest";
import { compareUtf8, rankNodes } from "./node-score.js";
import { placement, targetPlacement } from "./placement.js";
import type { TopologyNode } from "./topology.js";

const group: TopologyNode[] = [
  { id: "a", address: "", group: 0, state: "active" },
  { id: "b", address: "", group: 0, state: "draining" },
  { id: "c", address: "", group: 0, state: "joining" },
  { id: "d", address: "", group: 0, state: "failed" },
];

describe("placement", () => {
  it("takes the top RF of the nodes owning data now, and of the targets for after the move", () => {
    for (let shard = 0; shard < 16; shard++) {
      expect(placement(shard, group, 2)).toEqual(rankNodes(shard, ["a", "b"]));
      expect(targetPlacement(shard, group, 2)).toEqual(rankNodes(shard, ["a", "c"]));
      expect(placement(shard, group, 1)).toEqual(rankNodes(shard, ["a", "b"]).slice(0, 1));
    }
  });
});

describe("compareUtf8", () => {
  it("orders ids by UTF-8 bytes, astral characters after the rest of the BMP", () => {
    const ids = ["b", "a", "ab", "\u{1F600}", "\uFFFD", "é"];
    const byBytes = [...ids].sort((x, y) =>
      Buffer.compare(Buffer.from(x, "utf8"), Buffer.from(y, "utf8")),
    );
    expect([...ids].sort(compareUtf8)).toEqual(byBytes);
    expect(compareUtf8("x", "x")).toBe(0);
  });
});
