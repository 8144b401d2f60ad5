import { describe, expect, it } from "vitest";
import { createTopology, shardCoverage, shardRoute } from "../src/index.js";

const fleet = createTopology({
  shards: 8,
  replicationFactor: 1,
  replicaGroups: 2,
  nodes: ["a", "b", "c", "d"].map((id, index) => ({
    id,
    address: `http://${id}:7700`,
    group: index % 2,
    state: "active" as const,
  })),
});

describe("shard coverage", () => {
  it("counts every shard covered, and none degraded, when every node is healthy", () => {
    expect(shardCoverage(fleet, new Map())).toEqual({ shards: 8, uncovered: [], degraded: [] });
  });

  it("degrades the shards of an unreachable node and loses those with no other replica", () => {
    const ofA = [...Array(8).keys()].filter((s) => shardRoute(fleet, s).serving[0]?.[0] === "a");
    const ofB = [...Array(8).keys()].filter((s) => shardRoute(fleet, s).serving[1]?.[0] === "b");
    const oneDown = shardCoverage(fleet, new Map([["a", "unreachable"]]));
    expect(oneDown.uncovered).toEqual([]);
    expect(oneDown.degraded).toEqual(ofA);
    const bothDown = shardCoverage(
      fleet,
      new Map([
        ["a", "unreachable"],
        ["b", "unreachable"],
      ]),
    );
    expect(bothDown.uncovered).toEqual(ofA.filter((shard) => ofB.includes(shard)));
    expect(shardCoverage(fleet, new Map([["a", "degraded"]])).degraded).toEqual([]);
  });
});
