import { MeiliError } from "@miroir/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IndexRegistry } from "../index-registry.js";
import { addDocuments } from "./document-writes.js";

const validId = fc.oneof(fc.integer({ min: 0, max: 50 }), fc.stringMatching(/^[a-z0-9_-]{1,6}$/));
const invalidId = fc.oneof(
  fc.constant("has space"),
  fc.constant(""),
  fc.constant(1.5),
  fc.constant(null),
  fc.constant({ nested: 1 }),
);
const doc = (id: unknown) => fc.record({ value: fc.integer() }).map((rest) => ({ id, ...rest }));

function snapshot(registry: IndexRegistry, uid: string) {
  const index = registry.find(uid);
  return index === undefined
    ? undefined
    : { primaryKey: index.primaryKey, docs: [...index.documents] };
}

describe("addDocuments", () => {
  it("writes nothing when any document of the batch has a bad id", () => {
    fc.assert(
      fc.property(
        fc.array(validId.chain(doc), { maxLength: 5 }),
        fc.array(validId.chain(doc), { maxLength: 5 }),
        invalidId.chain(doc),
        fc.nat(5),
        fc.boolean(),
        (existing, batch, bad, at, replace) => {
          const registry = new IndexRegistry();
          if (existing.length > 0) {
            addDocuments(registry, "idx", { documents: existing, replace: true, primaryKey: "id" });
          }
          const before = snapshot(registry, "idx");
          const documents = [...batch];
          documents.splice(Math.min(at, documents.length), 0, bad);
          expect(() =>
            addDocuments(registry, "idx", { documents, replace, primaryKey: "id" }),
          ).toThrow(MeiliError);
          expect(snapshot(registry, "idx")).toEqual(before);
        },
      ),
    );
  });

  it("keeps one document per id, the last one sent, with POST replacing and PUT merging", () => {
    fc.assert(
      fc.property(fc.array(validId.chain(doc), { minLength: 1, maxLength: 20 }), (batch) => {
        const replaced = new IndexRegistry();
        addDocuments(replaced, "idx", { documents: batch, replace: true, primaryKey: undefined });
        const index = replaced.get("idx");
        const lastById = new Map(batch.map((d) => [String(d.id), d]));
        expect(index.primaryKey).toBe("id");
        expect(index.documents).toEqual(lastById);
        expect([...index.documents.keys()]).toEqual([...new Set(batch.map((d) => String(d.id)))]);

        const merged = new IndexRegistry();
        addDocuments(merged, "idx", { documents: batch, replace: true, primaryKey: "id" });
        const updates = batch.map((d) => ({ id: d.id, extra: true }));
        addDocuments(merged, "idx", { documents: updates, replace: false, primaryKey: undefined });
        for (const [id, stored] of merged.get("idx").documents) {
          expect(stored).toEqual({ ...lastById.get(id), extra: true });
        }
      }),
    );
  });

  it('treats 42 and "42" as the same document, as Meilisearch does', () => {
    const registry = new IndexRegistry();
    addDocuments(registry, "idx", {
      documents: [{ id: 42, v: 1 }],
      replace: true,
      primaryKey: undefined,
    });
    addDocuments(registry, "idx", {
      documents: [{ id: "42", v: 2 }],
      replace: true,
      primaryKey: undefined,
    });
    expect([...registry.get("idx").documents]).toEqual([["42", { id: "42", v: 2 }]]);
  });
});
