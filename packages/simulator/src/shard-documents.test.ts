import { shardOf } from "@miroir/router";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seededRandom } from "./random.js";
import { HASHED_DOCUMENTS_LIMIT, shardDocuments } from "./shard-documents.js";

describe("documents per shard", () => {
  it("hashes every key with shardOf for a small corpus", () => {
    const counts = shardDocuments(1_000, 16, seededRandom(1));
    const expected = new Array<number>(16).fill(0);
    for (let i = 0; i < 1_000; i++) {
      const shard = shardOf(`doc-${i}`, 16);
      expected[shard] = (expected[shard] as number) + 1;
    }
    expect(counts).toEqual(expected);
  });

  it("adds up to the corpus exactly, small or large, never below zero", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 0, max: 5_000 }),
          fc.integer({ min: HASHED_DOCUMENTS_LIMIT + 1, max: 1e12 }),
        ),
        fc.integer({ min: 1, max: 4_096 }),
        fc.nat(),
        (documents, shards, seed) => {
          const counts = shardDocuments(documents, shards, seededRandom(seed));
          expect(counts).toHaveLength(shards);
          expect(counts.reduce((a, b) => a + b, 0)).toBe(documents);
          expect(counts.every((count) => Number.isInteger(count) && count >= 0)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("spreads a large corpus like hashing would: multinomial mean and variance per shard", () => {
    const shards = 1_024;
    const documents = 1e9;
    const counts = shardDocuments(documents, shards, seededRandom(2));
    const mean = documents / shards;
    const variance = counts.reduce((sum, count) => sum + (count - mean) ** 2, 0) / shards;
    // Multinomial: variance D/S × (1 − 1/S) per shard; the sample variance of 1 024 shards
    // is within ±15 % of it (about 3.4 standard errors).
    expect(variance / (mean * (1 - 1 / shards))).toBeGreaterThan(0.85);
    expect(variance / (mean * (1 - 1 / shards))).toBeLessThan(1.15);
  });
});
