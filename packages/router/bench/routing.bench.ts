import { afterAll, bench, describe } from "vitest";
import { router } from "./built-router.js";

const { createTopology, shardOf, writeTargets } = router;

const SHARDS = 64;
// 2 groups × 4 nodes, RF 2: every shard has 4 write targets.
const topology = createTopology({
  shards: SHARDS,
  replicationFactor: 2,
  replicaGroups: 2,
  nodes: Array.from({ length: 8 }, (_, i) => ({
    id: `meili-${i}`,
    address: `http://meili-${i}:7700`,
    group: i % 2,
    state: "active" as const,
  })),
});
for (let shard = 0; shard < SHARDS; shard++) {
  writeTargets(shard, topology);
}

const BATCH = 100_000;
const keys = Array.from(
  { length: BATCH },
  (_, i) => `doc-${i.toString(36)}-${(i * 2654435761) >>> 0}`,
);
const keyBytes = keys.reduce((sum, key) => sum + key.length, 0);
let sink = 0;
// Reading the sink keeps the benchmarked calls from being optimised away.
afterAll(() => {
  if (!Number.isFinite(sink)) {
    throw new Error("the benchmarked calls produced no shard numbers");
  }
});

describe(`route a batch of ${BATCH} keys (${(keyBytes / BATCH).toFixed(1)} bytes/key, ${keyBytes} bytes)`, () => {
  bench("shardOf + writeTargets for every key", () => {
    for (const key of keys) {
      sink += writeTargets(shardOf(key, SHARDS), topology).length;
    }
  });
  bench("shardOf only for every key", () => {
    for (const key of keys) {
      sink += shardOf(key, SHARDS);
    }
  });
});

describe("single calls", () => {
  let i = 0;
  bench("shardOf", () => {
    i = (i + 1) % BATCH;
    sink += shardOf(keys[i] as string, SHARDS);
  });
  bench("writeTargets (cached table)", () => {
    i = (i + 1) % SHARDS;
    sink += writeTargets(i, topology).length;
  });
});
