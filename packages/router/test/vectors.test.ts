import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { nodeScore, rankNodes, shardOf, xxh64, xxh64Hex } from "../src/index.js";

// The reference vectors live beside the repository, at ../shared/vectors/router.json.
const vectorsPath = fileURLToPath(
  new URL("../../../../shared/vectors/router.json", import.meta.url),
);
const present = existsSync(vectorsPath);

interface Vectors {
  xxh64: { input_utf8: string; hex: string }[];
  shardOf: { key: string; shards: number; shard: number }[];
  placement: {
    nodes: string[];
    shard: number;
    rf: number;
    ranked: string[];
    scores_hex: Record<string, string>;
  }[];
}

const vectors: Vectors = present
  ? JSON.parse(readFileSync(vectorsPath, "utf8"))
  : { xxh64: [], shardOf: [], placement: [] };

describe.skipIf(!present)(`reference vectors (${vectorsPath}; skipped only when absent)`, () => {
  it("hashes every reference input to the reference XXH64 digest", () => {
    expect(vectors.xxh64.length).toBeGreaterThan(0);
    for (const { input_utf8, hex } of vectors.xxh64) {
      expect(xxh64Hex(input_utf8), input_utf8).toBe(hex);
      expect(xxh64(new TextEncoder().encode(input_utf8))).toBe(BigInt(`0x${hex}`));
    }
  });

  it("puts every reference key on the reference shard for every shard count", () => {
    expect(vectors.shardOf.length).toBeGreaterThan(0);
    for (const { key, shards, shard } of vectors.shardOf) {
      expect(shardOf(key, shards), `${key} mod ${shards}`).toBe(shard);
      if (/^(0|[1-9][0-9]{0,14})$/.test(key)) {
        expect(shardOf(Number(key), shards), `integer ${key}`).toBe(shard);
      }
    }
  });

  it("scores and ranks every reference placement exactly", () => {
    expect(vectors.placement.length).toBeGreaterThan(0);
    for (const { nodes, shard, rf, ranked, scores_hex } of vectors.placement) {
      for (const [id, hex] of Object.entries(scores_hex)) {
        expect(nodeScore(id, shard), `${id}/${shard}`).toBe(BigInt(`0x${hex}`));
      }
      expect(rankNodes(shard, nodes)).toEqual(ranked);
      expect(rankNodes(shard, [...nodes].reverse()).slice(0, rf)).toEqual(ranked.slice(0, rf));
    }
  });
});
