import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clientDocument, mergeShardWindowListing, shardRanges } from "./shard-window-listing.js";

describe("listings read shard by shard", () => {
  it("places a window on the shards it touches, with each shard's own offset and limit", () => {
    expect(shardRanges([3, 0, 5, 2], 2, 4)).toEqual([
      { shard: 0, offset: 2, limit: 1 },
      { shard: 2, offset: 0, limit: 3 },
    ]);
    expect(shardRanges([3, 5], 8, 4)).toEqual([]);
  });

  it("pages concatenate to the whole listing, with no document twice and none missing", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 12 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 7 }),
        (counts, pageSize) => {
          const documents = counts.flatMap((count, shard) =>
            Array.from({ length: count }, (_, at) => ({
              id: `${shard}-${at}`,
              _miroir_shard: shard,
            })),
          );
          const listed: unknown[] = [];
          for (let offset = 0; offset < documents.length + pageSize; offset += pageSize) {
            const ranges = shardRanges(counts, offset, pageSize);
            const byShard = new Map(
              ranges.map((range) => [
                range.shard,
                documents
                  .filter((document) => document._miroir_shard === range.shard)
                  .slice(range.offset, range.offset + range.limit),
              ]),
            );
            const page = mergeShardWindowListing(
              { offset, limit: pageSize },
              counts,
              ranges,
              byShard,
            );
            expect(page.total).toBe(documents.length);
            expect(page.results.length).toBeLessThanOrEqual(pageSize);
            listed.push(...page.results);
          }
          expect(listed).toEqual(documents.map(({ id }) => ({ id })));
        },
      ),
    );
  });

  it("shows a stored document without any `_miroir_` field, leaving the stored one intact", () => {
    const stored = { id: 1, _miroir_shard: 4, _miroir_updated_at: 9, title: "t" };
    expect(clientDocument(stored)).toEqual({ id: 1, title: "t" });
    expect(stored._miroir_shard).toBe(4);
  });
});
