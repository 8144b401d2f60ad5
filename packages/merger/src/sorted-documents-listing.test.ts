import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  listingSortOf,
  mergeCheckedSortedListing,
  planSortedDocumentsListing,
} from "./sorted-documents-listing.js";

describe("documents listings with sort", () => {
  it("reads `attribute:asc|desc` entries and leaves geo or malformed ones to the node", () => {
    expect(listingSortOf(["price:asc", "author.name:desc"])).toEqual([
      { attribute: "price", ascending: true },
      { attribute: "author.name", ascending: false },
    ]);
    expect(listingSortOf(["_geoPoint(1, 2):asc"])).toBeNull();
    expect(listingSortOf(["price"])).toBeNull();
  });

  it("asks each node for its sorted prefix up to the window's end, with what the merge compares", () => {
    const sorts = listingSortOf(["price:asc"]) ?? [];
    const planned = planSortedDocumentsListing(
      { offset: 10, limit: 5, fields: ["title"], sort: ["price:asc"] },
      sorts,
      "id",
      [1, 3],
    );
    expect(planned).toMatchObject({
      offset: 0,
      limit: 15,
      fields: ["title", "price", "id"],
      filter: "_miroir_shard IN [1, 3]",
    });
  });

  it("merges on the sort values — missing last, numbers before strings, strings folded — then the key", () => {
    const sorts = listingSortOf(["rank:asc"]) ?? [];
    const merged = mergeCheckedSortedListing({ fields: ["title"] }, sorts, "id", [
      {
        results: [
          { id: "b", rank: 1, title: "one" },
          { id: "d", rank: " Apple", title: "apple" },
          { id: "f", title: "none" },
        ],
        total: 3,
      },
      {
        results: [
          { id: "a", rank: 1, title: "one too" },
          { id: "c", rank: "banana", _miroir_shard: 1, title: "banana" },
        ],
        total: 2,
      },
    ]);
    expect(merged.results).toEqual([
      { title: "one too" },
      { title: "one" },
      { title: "apple" },
      { title: "banana" },
      { title: "none" },
    ]);
    expect(merged.total).toBe(5);
  });

  it("equals sorting the union of the shards once, for any split and window", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ id: fc.nat({ max: 500 }), price: fc.nat({ max: 20 }) }), {
          selector: (document) => document.id,
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 4 }),
        fc.nat({ max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        fc.boolean(),
        (documents, nodes, offset, limit, ascending) => {
          const sorts = [{ attribute: "price", ascending }];
          const order = (a: (typeof documents)[number], b: (typeof documents)[number]) =>
            (ascending ? a.price - b.price : b.price - a.price) ||
            (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0);
          const listings = Array.from({ length: nodes }, (_, node) => {
            const mine = documents.filter((_, at) => at % nodes === node).sort(order);
            return { results: mine, total: mine.length };
          });
          const merged = mergeCheckedSortedListing({ offset, limit }, sorts, "id", listings);
          expect(merged.results).toEqual([...documents].sort(order).slice(offset, offset + limit));
          expect(merged.total).toBe(documents.length);
        },
      ),
    );
  });
});
