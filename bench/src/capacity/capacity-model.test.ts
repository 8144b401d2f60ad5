import { expectedMaxOverMean, expectedRandomFailureImpact } from "@miroir/simulator";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitGrowth, predict } from "../report/growth-fit.js";
import { blocksOf, withBlocks } from "./capacity-doc.js";
import {
  chooseReplication,
  groupsForThroughput,
  reachedAt,
  shardsFor,
  sizeGroup,
  survives,
  type Workload,
} from "./capacity-model.js";

const WORKLOAD: Workload = {
  name: "test",
  documents: 100_000_000,
  indexBytesPerDocument: 4_096,
  searchesPerSecond: 500,
  writesPerSecond: 100,
  survive: { nodeFailures: 1, zone: false },
  growth: 2,
  maxOverMean: 1.25,
};
const NODE = { indexBytes: 64 * 1024 ** 3, searchesPerSecond: 300, utilisation: 0.6 };

describe("the availability rule", () => {
  it("says which RF × G survive f failures, agreeing with the closed form of the simulator", () => {
    for (let rf = 1; rf <= 3; rf++) {
      for (let groups = 1; groups <= 3; groups++) {
        for (let f = 0; f <= 4; f++) {
          const nodes = 12 * groups;
          const lost = expectedRandomFailureImpact(nodes, groups, rf, 64, f);
          const ok = survives(rf, groups, { nodeFailures: f, zone: false });
          // Surviving any f failures means no shard can lose quorum or every replica.
          expect(ok).toBe(lost.withoutWriteQuorum === 0 && lost.unreadable === 0);
        }
      }
    }
  });

  it("takes the fewest copies, more groups on a tie, and two groups for a zone", () => {
    expect(chooseReplication({ nodeFailures: 0, zone: false }, 1)).toEqual({
      replicationFactor: 1,
      replicaGroups: 1,
    });
    expect(chooseReplication({ nodeFailures: 1, zone: false }, 1)).toEqual({
      replicationFactor: 1,
      replicaGroups: 2,
    });
    expect(chooseReplication({ nodeFailures: 2, zone: false }, 1)).toEqual({
      replicationFactor: 1,
      replicaGroups: 3,
    });
    expect(chooseReplication({ nodeFailures: 0, zone: true }, 1).replicaGroups).toBe(2);
    expect(chooseReplication({ nodeFailures: 1, zone: false }, 4)).toEqual({
      replicationFactor: 1,
      replicaGroups: 4,
    });
  });

  it("gives every group its share of the searches", () => {
    expect(groupsForThroughput(500, NODE)).toBe(3);
    expect(groupsForThroughput(1, NODE)).toBe(1);
  });
});

describe("sizing a group", () => {
  it("fits the fullest node in the budget and meets the imbalance target at the grown size", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000_000, max: 2_000_000_000 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        (documents, rf, groups) => {
          const workload = { ...WORKLOAD, documents };
          const { nodesPerGroup, shards, maxOverMean } = sizeGroup(workload, NODE, rf, groups);
          const sizes = (n: number) => new Array<number>(groups).fill(n);
          expect(nodesPerGroup).toBeGreaterThanOrEqual(rf);
          const fullest =
            ((documents * WORKLOAD.indexBytesPerDocument * rf) / nodesPerGroup) * maxOverMean;
          expect(fullest).toBeLessThanOrEqual(NODE.indexBytes);
          expect(maxOverMean).toBeCloseTo(
            expectedMaxOverMean(shards, rf, sizes(nodesPerGroup)),
            12,
          );
          const grown = Math.ceil(nodesPerGroup * WORKLOAD.growth);
          if (shards < 2 ** 20) {
            expect(expectedMaxOverMean(shards, rf, sizes(grown))).toBeLessThanOrEqual(1.25);
          }
          expect(Math.log2(shards) % 1).toBe(0);
        },
      ),
      { numRuns: 15 },
    );
  });

  it("picks the smallest power of two S meeting the target", () => {
    const shards = shardsFor(100, 2, 1, 1.5);
    expect(expectedMaxOverMean(shards, 1, [100, 100])).toBeLessThanOrEqual(1.5);
    expect(expectedMaxOverMean(shards / 2, 1, [100, 100])).toBeGreaterThan(1.5);
  });
});

describe("where a fitted cost reaches a level", () => {
  it("inverts linear and logarithmic fits, and never reaches with a flat one", () => {
    const xs = [1, 2, 4, 8, 16];
    const linear = fitGrowth(xs.map((x) => ({ x, y: 1 + 0.5 * x })));
    expect(predict(linear, reachedAt(linear, 10) as number)).toBeCloseTo(10, 9);
    const log = fitGrowth(xs.map((x) => ({ x, y: 2 + 3 * Math.log2(x) })));
    expect(predict(log, reachedAt(log, 20) as number)).toBeCloseTo(20, 9);
    expect(reachedAt(fitGrowth(xs.map((x) => ({ x, y: 5 }))), 10)).toBeNull();
  });
});

describe("the generated blocks of a document", () => {
  it("are replaced between their markers and read back", () => {
    const document =
      "# t\n\n<!-- capacity:a -->\nold\n<!-- /capacity:a -->\ntext\n<!-- capacity:b -->\n<!-- /capacity:b -->\n";
    const updated = withBlocks(
      document,
      new Map([
        ["a", "new\nlines"],
        ["b", "x"],
      ]),
    );
    expect(blocksOf(updated)).toEqual(
      new Map([
        ["a", "new\nlines"],
        ["b", "x"],
      ]),
    );
    expect(updated).toContain("text\n");
    expect(() => withBlocks(document, new Map([["c", ""]]))).toThrow(/no block c/);
  });
});
