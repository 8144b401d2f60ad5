import fc from "fast-check";
import { createTopology, type Topology } from "../src/index.js";

const idChar = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-_".split(""));

/** Distinct random node ids, like `meili-3` or `x9_k`. */
export const nodeIds = (min: number, max: number) =>
  fc.uniqueArray(fc.string({ unit: idChar, minLength: 1, maxLength: 12 }), {
    minLength: min,
    maxLength: max,
  });

export interface TopologyShape {
  readonly shards?: { min: number; max: number };
  /** Every group gets at least RF nodes. */
  readonly fullGroups?: boolean;
}

/**
 * Random settled topologies (every node active): 1–32 nodes, RF 1–3, RG 1–3,
 * S 1–512, random ids spread over the groups.
 */
export function topologies(shape: TopologyShape = {}): fc.Arbitrary<Topology> {
  const shards = shape.shards ?? { min: 1, max: 512 };
  return fc
    .record({
      rf: fc.integer({ min: 1, max: 3 }),
      rg: fc.integer({ min: 1, max: 3 }),
      shards: fc.integer(shards),
      ids: nodeIds(1, 32),
      spread: fc.array(fc.nat(), { minLength: 32, maxLength: 32 }),
    })
    .filter(({ rf, rg, ids }) => !shape.fullGroups || ids.length >= rf * rg)
    .map(({ rf, rg, shards, ids, spread }) => {
      const minimum = shape.fullGroups ? rf : 1;
      const nodes = ids.map((id, i) => ({
        id,
        address: `http://${id}:7700`,
        // The first `minimum` nodes of each group are placed round-robin, the rest at random.
        group: i < rg * minimum ? i % rg : (spread[i] as number) % rg,
        state: "active" as const,
      }));
      return createTopology({ shards, replicationFactor: rf, replicaGroups: rg, nodes });
    });
}
