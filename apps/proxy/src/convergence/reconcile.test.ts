import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reconcileShard, UNVERSIONED } from "./reconcile.js";

type Replica = Map<string, number>;

/** The replicas after applying a repair: copies bring the holder's version, deletions remove. */
function applied(replicas: Map<string, Replica>, tombstones: Map<string, number>) {
  const repair = reconcileShard(replicas, tombstones);
  const after = new Map([...replicas].map(([node, docs]) => [node, new Map(docs)]));
  for (const [node, ids] of repair.deletions) for (const id of ids) after.get(node)?.delete(id);
  for (const [node, ids] of repair.copies) {
    for (const [id, from] of ids) after.get(node)?.set(id, replicas.get(from)?.get(id) as number);
  }
  return { repair, after };
}

const replicaSets = fc
  .tuple(
    fc.integer({ min: 2, max: 3 }),
    fc.array(fc.tuple(fc.constantFrom("a", "b", "c", "d", "e"), fc.integer({ min: 0, max: 4 })), {
      maxLength: 20,
    }),
  )
  .map(([count, entries]) => {
    const replicas = new Map<string, Replica>();
    for (let n = 0; n < count; n++) replicas.set(`n${n}`, new Map());
    entries.forEach(([id, version], i) => {
      replicas.get(`n${i % count}`)?.set(id, version);
    });
    return replicas;
  });
const tombstoneSets = fc
  .dictionary(fc.constantFrom("a", "b", "c", "d", "e"), fc.integer({ min: 1, max: 4 }))
  .map((entries) => new Map(Object.entries(entries)));

describe("reconciling the replicas of a shard", () => {
  it("leaves every replica identical, each document at its newest version or deleted", () => {
    fc.assert(
      fc.property(replicaSets, tombstoneSets, (replicas, tombstones) => {
        const { after } = applied(replicas, tombstones);
        const states = [...after.values()].map((docs) => JSON.stringify([...docs].sort()));
        expect(new Set(states).size).toBe(1);
        const final = [...after.values()][0] as Replica;
        for (const [id, version] of final) {
          const newest = Math.max(...[...replicas.values()].map((docs) => docs.get(id) ?? -1));
          expect(version).toBe(newest);
          expect((tombstones.get(id) ?? -1) < newest).toBe(true);
        }
        // Nothing newer than its tombstone and vouched for by Miroir is ever lost.
        for (const docs of replicas.values()) {
          for (const [id, version] of docs) {
            if (version > (tombstones.get(id) ?? -1) && version !== UNVERSIONED) {
              expect(final.has(id)).toBe(true);
            }
          }
        }
        // A second pass finds nothing to do.
        expect(reconcileShard(after, tombstones).divergent).toEqual([]);
      }),
    );
  });

  it("copies a missed write, deletes a tombstoned document and an unversioned extra", () => {
    const replicas = new Map([
      [
        "n0",
        new Map([
          ["kept", 5],
          ["gone", 3],
          ["extra", UNVERSIONED],
        ]),
      ],
      [
        "n1",
        new Map([
          ["kept", 4],
          ["gone", 3],
        ]),
      ],
    ]);
    const repair = reconcileShard(replicas, new Map([["gone", 3]]));
    expect(repair.copies).toEqual(new Map([["n1", new Map([["kept", "n0"]])]]));
    expect(repair.deletions).toEqual(
      new Map([
        ["n0", ["extra", "gone"]],
        ["n1", ["gone"]],
      ]),
    );
    expect(repair.divergent).toEqual(["extra", "gone", "kept"]);
  });

  it("brings back a document written again after its deletion", () => {
    const replicas = new Map([
      ["n0", new Map([["doc", 9]])],
      ["n1", new Map<string, number>()],
    ]);
    expect(reconcileShard(replicas, new Map([["doc", 7]])).copies).toEqual(
      new Map([["n1", new Map([["doc", "n0"]])]]),
    );
  });

  it("deletes from an untrusted replica what only it holds, and still copies its newer versions", () => {
    const replicas = new Map([
      [
        "n0",
        new Map([
          ["kept", 5],
          ["newer", 8],
          ["leftover", 3],
        ]),
      ],
      [
        "n1",
        new Map([
          ["kept", 5],
          ["newer", 6],
          ["missed", 4],
        ]),
      ],
    ]);
    const repair = reconcileShard(replicas, new Map(), "n0");
    expect(repair.deletions).toEqual(new Map([["n0", ["leftover"]]]));
    expect(repair.copies).toEqual(
      new Map([
        ["n0", new Map([["missed", "n1"]])],
        ["n1", new Map([["newer", "n0"]])],
      ]),
    );
  });
});
