/** A rule's verdict on a document: `rank` out of `maxRank`, higher is better. */
export interface Rank {
  rank: number;
  maxRank: number;
}

export function localScore(rank: Rank): number {
  return rank.rank / rank.maxRank;
}

/** Merges ranks left to right as a mixed-radix number, as Meilisearch's global score does. */
export function globalScore(ranks: Iterable<Rank>): number {
  let rank = 1;
  let maxRank = 1;
  for (const inner of ranks) {
    rank = Math.max(rank - 1, 0) * inner.maxRank + inner.rank;
    maxRank *= inner.maxRank;
  }
  return rank / maxRank;
}

/** A graph-cost rule's rank: the cheapest cost ranks first. */
export function rankFromCost(cost: number, maxCost: number): Rank {
  return { rank: maxCost - cost + 1, maxRank: maxCost + 1 };
}
