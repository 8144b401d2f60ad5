import { shardOf } from "@miroir/router";
import type { Random } from "./random.js";

/** Up to this many documents, every key is hashed with the router's own `shardOf`. */
export const HASHED_DOCUMENTS_LIMIT = 1 << 18;

/**
 * How many of `documents` documents land in each of `shards` shards. Small corpora are
 * hashed key by key (`doc-0`, `doc-1`, … through `shardOf`); larger ones are drawn from
 * the multinomial distribution that hashing produces (a normal draw per shard, centred so
 * the counts add up exactly), which is what hashing a billion keys would give without
 * the billion hashes.
 */
export function shardDocuments(documents: number, shards: number, random: Random): number[] {
  const counts = new Array<number>(shards).fill(0);
  if (documents <= HASHED_DOCUMENTS_LIMIT) {
    for (let i = 0; i < documents; i++) {
      const shard = shardOf(`doc-${i}`, shards);
      counts[shard] = (counts[shard] as number) + 1;
    }
    return counts;
  }
  const mean = documents / shards;
  const sd = Math.sqrt(mean * (1 - 1 / shards));
  const draws = Array.from({ length: shards }, () => random.normal());
  const centre = draws.reduce((sum, z) => sum + z, 0) / shards;
  let total = 0;
  for (let s = 0; s < shards; s++) {
    const count = Math.max(0, Math.round(mean + sd * ((draws[s] as number) - centre)));
    counts[s] = count;
    total += count;
  }
  // Rounding leaves the sum a few documents off: settle the difference on random shards.
  while (total !== documents) {
    const s = random.int(shards);
    const step = total < documents ? 1 : -1;
    if ((counts[s] as number) + step < 0) continue;
    counts[s] = (counts[s] as number) + step;
    total += step;
  }
  return counts;
}
