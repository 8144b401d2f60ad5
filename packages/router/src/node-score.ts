import { digestBigInt, digestHi, digestLo, hashScoreInput } from "./hash/index.js";

/** A Meilisearch node's stable id (never reused). */
export type NodeId = string;

/**
 * Rendezvous score of a node for a shard:
 * `XXH64(UTF8(nodeId) ‖ 0xFF ‖ UTF8(decimal(shard)) ‖ 0xFF)`.
 */
export function nodeScore(nodeId: NodeId, shard: number): bigint {
  hashScoreInput(nodeId, shard);
  return digestBigInt();
}

/** Orders strings by their UTF-8 bytes (code points), unlike `<` on UTF-16 units. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return a.length - b.length;
}

interface Scored {
  id: NodeId;
  hi: number;
  lo: number;
}

/**
 * Every id in `nodeIds`, best first for `shard`: highest score first, equal scores by id
 * in byte order. The first RF ids of a group's ranking are the shard's placement there.
 */
export function rankNodes(shard: number, nodeIds: readonly NodeId[]): NodeId[] {
  const scored: Scored[] = nodeIds.map((id) => {
    hashScoreInput(id, shard);
    return { id, hi: digestHi(), lo: digestLo() };
  });
  scored.sort((a, b) => b.hi - a.hi || b.lo - a.lo || compareUtf8(a.id, b.id));
  return scored.map((s) => s.id);
}
