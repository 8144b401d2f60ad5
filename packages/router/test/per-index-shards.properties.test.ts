import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignShards, shardOf, shardRoute, withShards } from "../src/index.js";
import { topologies } from "./topology-arbitrary.js";

const RUNS = { numRuns: 40 };

const documentIds = fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/), {
  minLength: 1,
  maxLength: 200,
});

describe("a per-index shard count", () => {
  it("places shard s on the same nodes whatever the index's shard count", () => {
    fc.assert(
      fc.property(
        topologies({ shards: { min: 1, max: 64 } }),
        fc.integer({ min: 1, max: 256 }),
        (topology, shards) => {
          const index = withShards(topology, shards);
          expect(index.shards).toBe(shards);
          expect(index.nodes).toBe(topology.nodes);
          for (let shard = 0; shard < Math.min(shards, topology.shards); shard++) {
            expect(shardRoute(index, shard)).toEqual(shardRoute(topology, shard));
          }
        },
      ),
      RUNS,
    );
  });

  it("is one topology object per (topology, count), so routing caches keep working", () => {
    fc.assert(
      fc.property(
        topologies({ shards: { min: 1, max: 64 } }),
        fc.integer({ min: 1, max: 256 }),
        (topology, shards) => {
          expect(withShards(topology, shards)).toBe(withShards(topology, shards));
          expect(withShards(topology, topology.shards)).toBe(topology);
        },
      ),
      RUNS,
    );
  });

  it("finds every document routed with the index's count once, reading with the same count", () => {
    fc.assert(
      fc.property(
        topologies({ shards: { min: 1, max: 16 }, fullGroups: true }),
        fc.integer({ min: 1, max: 256 }),
        documentIds,
        (topology, shards, ids) => {
          const index = withShards(topology, shards);
          // Writes: each document lands on the write targets of its shard.
          const held = new Map<string, string[]>();
          for (const id of ids) {
            for (const nodeId of shardRoute(index, shardOf(id, shards)).writeTargets) {
              held.set(nodeId, [...(held.get(nodeId) ?? []), id]);
            }
          }
          // Reads: one group's covering nodes over every shard of the index, each node
          // answering for the shards it is asked about.
          const every = Array.from({ length: shards }, (_, shard) => shard);
          const plan = assignShards({
            topology: index,
            group: 0,
            shards: every,
            health: new Map(),
            failed: new Set(),
            seq: 0,
            inGroup: true,
            otherGroups: true,
          });
          const found: string[] = [];
          for (const [nodeId, asked] of plan.byNode) {
            const wanted = new Set(asked);
            for (const id of held.get(nodeId) ?? []) {
              if (wanted.has(shardOf(id, shards))) found.push(id);
            }
          }
          expect(found.sort()).toEqual([...ids].sort());
        },
      ),
      RUNS,
    );
  });

  it("refuses a count out of range", () => {
    fc.assert(
      fc.property(topologies({ shards: { min: 1, max: 8 } }), (topology) => {
        expect(() => withShards(topology, 0)).toThrow(/shard count/);
      }),
      { numRuns: 5 },
    );
  });
});
