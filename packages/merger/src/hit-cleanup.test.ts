import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clientHit, clientHitCleaner } from "./hit-cleanup.js";
import type { MergeUndo } from "./plan-shard-query.js";
import type { Hit } from "./types.js";

// Keys a document may hold, Miroir's own and the node's, and keys that would be code or a
// prototype if written carelessly into a literal.
const KEYS = [
  "id",
  "title",
  "0",
  "10",
  "constructor",
  "__proto__",
  'quo"te',
  "back\\slash",
  "line\nbreak",
  "sep\u2028arator",
  "}); throw 1; ({",
  "_miroir_shard",
  "_miroir_updated_at",
  "_rankingScore",
  "_rankingScoreDetails",
  "_formatted",
  "_matchesPosition",
  "_geoDistance",
];

const nested = fc.oneof(
  fc.constant(null),
  fc.constant("text"),
  fc.dictionary(fc.constantFrom("title", "_miroir_shard", "id"), fc.string(), { maxKeys: 3 }),
);

/** A hit as a client parses it from a node's JSON text: some of KEYS, in a random order. */
const hitText = fc
  .uniqueArray(fc.constantFrom(...KEYS), { maxLength: KEYS.length })
  .chain((keys) =>
    fc
      .tuple(
        ...keys.map((key) =>
          key.startsWith("_") && key !== "_geoDistance" ? nested : fc.integer(),
        ),
      )
      .map((values) => JSON.stringify(Object.fromEntries(keys.map((key, i) => [key, values[i]])))),
  );

const undo = fc.record({
  addedAttributes: fc.constant([] as string[]),
  keepRankingScore: fc.boolean(),
  keepRankingScoreDetails: fc.boolean(),
}) satisfies fc.Arbitrary<MergeUndo>;

describe("clientHitCleaner", () => {
  it("cleans every hit exactly as clientHit does, whatever the shapes, merge after merge", () => {
    fc.assert(
      fc.property(
        fc.array(hitText, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
        fc.array(undo, { minLength: 1, maxLength: 3 }),
        (texts, picks, undos) => {
          for (const cleaning of undos) {
            // Hits of a few shapes, as the answers of one search hold; each merge cleans anew.
            const hits: Hit[] = picks.map((pick) =>
              JSON.parse(texts[pick % texts.length] as string),
            );
            const before = JSON.stringify(hits);
            const clean = clientHitCleaner(cleaning);
            for (const hit of hits) {
              const cleaned = clean(hit);
              const expected = clientHit(hit, cleaning);
              expect(Object.getPrototypeOf(cleaned)).toBe(Object.prototype);
              expect(Object.keys(cleaned)).toEqual(Object.keys(expected));
              expect(JSON.stringify(cleaned)).toBe(JSON.stringify(expected));
            }
            expect(JSON.stringify(hits)).toBe(before);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps a `__proto__` field as a field", () => {
    const hit: Hit = JSON.parse('{"__proto__":{"polluted":1},"id":1,"_miroir_shard":0}');
    const undoAll: MergeUndo = {
      addedAttributes: [],
      keepRankingScore: false,
      keepRankingScoreDetails: false,
    };
    for (let merge = 0; merge < 3; merge++) {
      const cleaned = clientHitCleaner(undoAll)(hit);
      expect(JSON.stringify(cleaned)).toBe('{"__proto__":{"polluted":1},"id":1}');
      expect((cleaned as { polluted?: number }).polluted).toBeUndefined();
    }
  });
});
