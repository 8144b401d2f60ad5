import { createTopology, writeTargets } from "@miroir/router";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countingParts, narrowable, narrowedFilter } from "./counting-parts.js";

describe("counting parts of a write", () => {
  it("cover each shard once, and every replica of a part holds exactly the part's shards", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        (shards, perGroup, rf, groups) => {
          const topology = createTopology({
            shards,
            replicationFactor: Math.min(rf, perGroup),
            replicaGroups: groups,
            nodes: Array.from({ length: perGroup * groups }, (_, n) => ({
              id: `node-${n}`,
              address: `http://127.0.0.1:${7700 + n}`,
              group: n % groups,
              state: "active" as const,
            })),
          });
          const all = Array.from({ length: shards }, (_, shard) => shard);
          const parts = countingParts(all, topology);
          expect(parts.flatMap((part) => part.shards).sort((a, b) => a - b)).toEqual(all);
          for (const part of parts) {
            for (const shard of part.shards) {
              expect([...writeTargets(shard, topology)].sort()).toEqual([...part.targets].sort());
            }
          }
        },
      ),
    );
  });

  it("narrows a client's filter by adding the shard clause to it, never by rewriting it", () => {
    expect(narrowedFilter("colour = red", [1, 3])).toEqual([
      "colour = red",
      "_miroir_shard IN [1, 3]",
    ]);
    expect(narrowedFilter(["a = 1", ["b = 2", "c = 3"]], [0])).toEqual([
      "a = 1",
      ["b = 2", "c = 3"],
      "_miroir_shard IN [0]",
    ]);
    expect(narrowedFilter(undefined, [2])).toBe("_miroir_shard IN [2]");
  });

  it("leaves as they are the filters a node refuses as empty or of the wrong type", () => {
    for (const filter of ["", "  ", [], [""], [[], ["  "]], 5, { a: 1 }]) {
      expect(narrowable(filter)).toBe(false);
    }
    for (const filter of ["a = 1", ["", "a = 1"], [["a = 1"]]])
      expect(narrowable(filter)).toBe(true);
  });
});
