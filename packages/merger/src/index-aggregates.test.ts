import { describe, expect, it } from "vitest";
import { mergeIndexFields } from "./index-fields.js";
import { mergeIndexObjects } from "./index-objects.js";
import { mergeIndexStats } from "./index-stats.js";

describe("an index over every node", () => {
  it("counts documents from the shards and divides the group's sizes and fields by RF", () => {
    const stats = mergeIndexStats(
      10,
      [
        {
          rawDocumentDbSize: 300,
          isIndexing: false,
          numberOfEmbeddings: 4,
          numberOfEmbeddedDocuments: 2,
          fieldDistribution: { id: 6, title: 4, _miroir_shard: 6 },
        },
        { rawDocumentDbSize: 100, isIndexing: true, fieldDistribution: { id: 14, title: 12 } },
      ],
      2,
    );
    expect(stats).toEqual({
      numberOfDocuments: 10,
      rawDocumentDbSize: 200,
      avgDocumentSize: 20,
      isIndexing: true,
      numberOfEmbeddings: 2,
      numberOfEmbeddedDocuments: 1,
      fieldDistribution: { id: 10, title: 8 },
    });
    expect(mergeIndexStats(0, [], 1).avgDocumentSize).toBe(0);
  });

  it("lists the union of the nodes' fields by name, without Miroir's", () => {
    expect(
      mergeIndexFields([
        [{ name: "title", searchable: true }, { name: "_miroir_shard" }],
        [{ name: "id" }, { name: "title", searchable: false }],
      ]),
    ).toEqual([{ name: "id" }, { name: "title", searchable: true }]);
  });

  it("dates an index from its first creation and last update on any node", () => {
    expect(mergeIndexObjects([])).toBeUndefined();
    expect(
      mergeIndexObjects([
        { uid: "m", createdAt: "2026-01-02", updatedAt: "2026-01-05", primaryKey: null },
        { uid: "m", createdAt: "2026-01-01", updatedAt: "2026-01-09", primaryKey: "id" },
      ]),
    ).toEqual({ uid: "m", createdAt: "2026-01-01", updatedAt: "2026-01-09", primaryKey: "id" });
  });
});
