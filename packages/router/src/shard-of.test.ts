import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidPrimaryKeyError, InvalidTopologyError } from "./errors.js";
import { MAX_SHARDS, shardOf, shardOfUtf8 } from "./shard-of.js";

describe("shardOf", () => {
  it("puts an integer id and its decimal text on the same shard", () => {
    for (const shards of [1, 7, 64, 256, MAX_SHARDS]) {
      expect(shardOf(42, shards)).toBe(shardOf("42", shards));
      expect(shardOf(-5, shards)).toBe(shardOf("-5", shards));
    }
  });

  it("rejects keys no node could store, without hashing them", () => {
    for (const bad of ["", "a".repeat(512), "é".repeat(256), 1.5, Number.NaN, 2 ** 53]) {
      expect(() => shardOf(bad, 64)).toThrow(InvalidPrimaryKeyError);
    }
    expect(shardOf("a".repeat(511), 64)).toBeGreaterThanOrEqual(0);
  });

  it("rejects a shard count outside [1, MAX_SHARDS]", () => {
    for (const bad of [0, -1, 1.5, Number.NaN, MAX_SHARDS + 1]) {
      expect(() => shardOf("a", bad)).toThrow(InvalidTopologyError);
    }
  });
});

describe("shardOfUtf8", () => {
  it("puts an id's UTF-8 bytes, wherever they lie, on the shard of its text", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
          fc.string({ unit: "binary", minLength: 1, maxLength: 200 }),
          fc.integer().map(String),
        ),
        fc.uint8Array({ maxLength: 9 }),
        fc.uint8Array({ maxLength: 9 }),
        fc.integer({ min: 1, max: MAX_SHARDS }),
        (id, before, after, shards) => {
          const text = Buffer.from(id);
          const bytes = Buffer.concat([before, text, after]);
          const start = before.length;
          expect(shardOfUtf8(bytes, start, start + text.length, shards)).toBe(shardOf(id, shards));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("rejects a shard count outside [1, MAX_SHARDS]", () => {
    expect(() => shardOfUtf8(Buffer.from("a"), 0, 1, 0)).toThrow(InvalidTopologyError);
  });
});
