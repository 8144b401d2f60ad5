import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { targetRepair } from "./shard-verify.js";

const versions = fc.dictionary(
  fc.integer({ min: 0, max: 30 }).map(String),
  fc.integer({ min: 0, max: 100 }),
  { maxKeys: 20 },
);

/** The target after the repair: copies take the source's version, removals go. */
function repaired(
  source: Map<string, number>,
  target: Map<string, number>,
  since: number,
): Map<string, number> {
  const repair = targetRepair(source, target, since);
  const after = new Map(target);
  for (const id of repair.copy) after.set(id, source.get(id) as number);
  for (const id of repair.remove) after.delete(id);
  return after;
}

describe("verifying a moved shard", () => {
  it("repairs the target into the source for every document written before the round", () => {
    fc.assert(
      fc.property(versions, versions, fc.integer({ min: 0, max: 100 }), (s, t, since) => {
        const source = new Map(Object.entries(s));
        const target = new Map(Object.entries(t));
        const after = repaired(source, target, since);
        for (const [id, version] of source) {
          if (version > since || (target.get(id) ?? 0) > since) continue;
          expect(after.get(id)).toBeGreaterThanOrEqual(version);
        }
        for (const [id, version] of after) {
          if (version <= since && !source.has(id)) throw new Error(`${id} left on the target`);
        }
      }),
    );
  });

  it("never touches a document written after the round began (dual write brings it)", () => {
    fc.assert(
      fc.property(versions, versions, fc.integer({ min: 0, max: 100 }), (s, t, since) => {
        const source = new Map(Object.entries(s));
        const target = new Map(Object.entries(t));
        const repair = targetRepair(source, target, since);
        for (const id of [...repair.copy, ...repair.remove]) {
          expect(source.get(id) ?? 0).toBeLessThanOrEqual(since);
          expect(target.get(id) ?? 0).toBeLessThanOrEqual(since);
        }
      }),
    );
  });

  it("never overwrites a newer copy with an older one", () => {
    fc.assert(
      fc.property(versions, versions, fc.integer({ min: 0, max: 100 }), (s, t, since) => {
        const source = new Map(Object.entries(s));
        const target = new Map(Object.entries(t));
        for (const id of targetRepair(source, target, since).copy) {
          expect(source.get(id) as number).toBeGreaterThan(target.get(id) ?? -1);
        }
      }),
    );
  });

  it("finds nothing to repair once the replicas are equal", () => {
    fc.assert(
      fc.property(versions, fc.integer({ min: 0, max: 100 }), (s, since) => {
        const same = new Map(Object.entries(s));
        expect(targetRepair(same, new Map(same), since)).toEqual({ copy: [], remove: [] });
      }),
    );
  });
});
