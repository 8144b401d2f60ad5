import { planMove, topologyFromConfig, withJoiningNode, withNodeState } from "@miroir/router";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planMigration } from "./migration.js";

const fleet = (size: number, rf: number) =>
  topologyFromConfig(
    Array.from({ length: size }, (_, i) => ({
      id: `n${i}`,
      address: `http://n${i}`,
      replica_group: 0,
    })),
    { shards: 32, replication_factor: rf, replica_groups: 1 },
  );

describe("planning a migration", () => {
  it("moves exactly what planMove says when a node joins, and activates the node at the cut-over", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 2 }), (size, rf) => {
        const before = fleet(size, rf);
        const after = withJoiningNode(before, { id: "new", address: "http://new", group: 0 });
        const migration = planMigration(after, "m", 0);
        const expected = planMove(before, after);
        expect(
          migration?.moves.map(({ shard, gains, losses }) => ({ shard, gains, losses })),
        ).toEqual(expected.map(({ shard, gains, losses }) => ({ shard, gains, losses })));
        expect(migration?.activate).toEqual(["new"]);
        expect(migration?.moves.every((move) => move.gains.join() === "new")).toBe(true);
      }),
    );
  });

  it("moves every shard of a draining node off it, and removes the node at the cut-over", () => {
    const drained = withNodeState(fleet(4, 2), "n1", "draining");
    const migration = planMigration(drained, "m", 0);
    expect(migration?.remove).toEqual(["n1"]);
    expect(migration?.moves.length).toBeGreaterThan(0);
    expect(migration?.moves.every((move) => move.losses.join() === "n1")).toBe(true);
  });

  it("has nothing to do in a settled fleet", () => {
    expect(planMigration(fleet(3, 1), "m", 0)).toBeNull();
  });
});
