import { createRequire } from "node:module";
import { afterAll, bench, describe } from "vitest";
import xxhashWasm from "xxhash-wasm";
import { router } from "./built-router.js";

// xxhash-addon is a CommonJS native addon; it takes only Buffers.
const { XXHash64 } = createRequire(import.meta.url)("xxhash-addon") as {
  XXHash64: { hash(data: Buffer): Buffer };
};
const wasm = await xxhashWasm();
const { shardOf, xxh64 } = router;

const SHARDS = 64;
const BIG_SHARDS = BigInt(SHARDS);
const KEYS = 1024;
// Typical primary keys, 14 ASCII bytes each. The JSON round trip makes them flat strings,
// as the proxy gets them from JSON.parse.
const keys: string[] = JSON.parse(
  JSON.stringify(
    Array.from({ length: KEYS }, (_, i) => `product-${String(i * 7919).padStart(6, "0")}`),
  ),
);
let sink = 0;
// Reading the sink keeps the benchmarked calls from being optimised away.
afterAll(() => {
  if (!Number.isFinite(sink)) {
    throw new Error("the benchmarked calls produced no shard numbers");
  }
});

describe(`shard of ${KEYS} keys of 14 bytes per iteration, by hash implementation`, () => {
  bench("pure TypeScript XXH64 on u32 pairs (shardOf)", () => {
    for (const key of keys) {
      sink += shardOf(key, SHARDS);
    }
  });
  bench("pure TypeScript XXH64, bigint digest then mod", () => {
    for (const key of keys) {
      sink += Number(xxh64(key) % BIG_SHARDS);
    }
  });
  bench("xxhash-wasm h64(string) then mod", () => {
    for (const key of keys) {
      sink += Number(wasm.h64(key) % BIG_SHARDS);
    }
  });
  bench("xxhash-addon XXHash64.hash(Buffer) then mod", () => {
    for (const key of keys) {
      sink += Number(XXHash64.hash(Buffer.from(key)).readBigUInt64BE() % BIG_SHARDS);
    }
  });
});
