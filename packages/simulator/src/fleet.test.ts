import { nodesOfGroup } from "@miroir/router";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkFleetSpec, createFleet, type FleetSpec, FleetSpecError } from "./fleet.js";

const SPEC: FleetSpec = {
  nodes: 10,
  replicaGroups: 3,
  replicationFactor: 2,
  shards: 64,
  documents: 1_000,
  seed: 7,
};

describe("a simulated fleet", () => {
  it("splits the nodes over the groups as evenly as possible, every node active", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 40 }),
        fc.nat(),
        (groups, rf, extra, seed) => {
          const nodes = groups * rf + extra;
          const fleet = createFleet({
            ...SPEC,
            nodes,
            replicaGroups: groups,
            replicationFactor: rf,
            seed,
          });
          const sizes = fleet.groups.map((ids) => ids.length);
          expect(sizes.reduce((a, b) => a + b, 0)).toBe(nodes);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
          for (let g = 0; g < groups; g++) {
            expect(nodesOfGroup(fleet.topology, g).map((node) => node.id)).toEqual(fleet.groups[g]);
          }
          expect(new Set(fleet.topology.nodes.map((node) => node.id)).size).toBe(nodes);
          expect(fleet.topology.nodes.every((node) => node.state === "active")).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("is the same fleet for the same seed, and another for another seed", () => {
    expect(createFleet(SPEC)).toEqual(createFleet(SPEC));
    expect(createFleet({ ...SPEC, seed: 8 }).groups).not.toEqual(createFleet(SPEC).groups);
  });

  it("puts whole groups in a zone by default, one zone per group", () => {
    const fleet = createFleet(SPEC);
    expect(fleet.spec.zones).toBe(3);
    fleet.groups.forEach((ids, group) => {
      for (const id of ids) expect(fleet.zoneOf.get(id)).toBe(group);
    });
  });

  it("spreads each group's nodes round-robin over the zones with the spread layout", () => {
    const fleet = createFleet({
      ...SPEC,
      nodes: 12,
      replicaGroups: 2,
      zones: 3,
      zoneLayout: "spread",
    });
    for (const ids of fleet.groups) {
      expect(ids.map((id) => fleet.zoneOf.get(id))).toEqual([0, 1, 2, 0, 1, 2]);
    }
  });

  it("counts every document once over the shards", () => {
    const fleet = createFleet(SPEC);
    expect(fleet.shardDocuments).toHaveLength(64);
    expect(fleet.shardDocuments.reduce((a, b) => a + b, 0)).toBe(1_000);
  });

  it("refuses a spec it cannot simulate, naming the field", () => {
    const refused = (change: Partial<FleetSpec> & Record<string, unknown>, message: RegExp) =>
      expect(() => checkFleetSpec({ ...SPEC, ...change } as FleetSpec)).toThrow(message);
    refused({ nodes: 0 }, /`nodes` must be an integer from 1/);
    refused({ nodes: 2.5 }, /`nodes`/);
    refused({ nodes: 10_001 }, /`nodes` must be an integer from 1 to 10,000/);
    refused({ shards: 0 }, /`shards`/);
    refused({ shards: 2 ** 20 + 1 }, /`shards`/);
    refused({ replicaGroups: 0 }, /`replicaGroups`/);
    refused({ replicationFactor: 0 }, /`replicationFactor`/);
    refused({ documents: -1 }, /`documents`/);
    refused({ seed: 1.5 }, /`seed`/);
    refused({ zones: 0 }, /`zones`/);
    refused(
      { zoneLayout: "racks" as FleetSpec["zoneLayout"] },
      /`zoneLayout` must be "group" or "spread"/,
    );
    refused(
      { nodes: 5, replicaGroups: 3, replicationFactor: 2 },
      /leave 1 in the smallest group, fewer than the replication factor 2: give at least 6 nodes/,
    );
    expect(() => createFleet({ ...SPEC, nodes: 0 })).toThrow(FleetSpecError);
  });
});
