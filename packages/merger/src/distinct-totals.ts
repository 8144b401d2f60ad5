import { valueAt } from "./attribute-path.js";
import { countedFacetValue } from "./facet-value-order.js";
import { KWayMerge } from "./k-way-merge.js";
import type { ClientWindow } from "./pagination.js";
import type { RankingKey } from "./ranking-key.js";
import { compareRankingKeys } from "./ranking-order.js";
import type { Hit, SearchQuery, SearchResponseBody } from "./types.js";

/**
 * How a Meilisearch node counts the hits of a search with a distinct attribute, and how
 * Miroir gets the same figure from shards.
 *
 * The node walks its ranking buckets, best first. In each bucket it keeps the first
 * document of every value not seen yet and removes from its candidates every other document
 * holding that value; it stops after the bucket in which it has kept `offset + limit`
 * documents (or, with no ranking rule at all, right at that document). Its
 * `estimatedTotalHits` is what is left of the candidates: every candidate, minus the
 * documents of each value the walk saw, plus the one document kept for each of them. With
 * `page`/`hitsPerPage` it counts exhaustively: one document per value, plus every candidate
 * without the attribute.
 *
 * A shard cannot count that on its own (its walk sees other values). So every shard is also
 * asked, in the same round, the query without `distinct`, with no hits and a facet
 * distribution of the attribute: its candidates and the candidates of each value. Miroir
 * walks the merged hits as the node would, and counts with the shards' figures. Exact when
 * each document holds at most one value of the attribute.
 */

/** What one shard counts for the query without `distinct`. */
export interface DistinctCounts {
  readonly candidates: number;
  /** Candidates per value, keyed by the value's normalised form. */
  readonly values: ReadonlyMap<string, number>;
}

/** The key a value of the distinct attribute is grouped by, as Meilisearch's facets group it. */
export function distinctValueKey(value: unknown): string {
  return countedFacetValue(typeof value === "string" ? value : String(value), 0).normalised;
}

/** The values of the distinct attribute in a hit, keyed; empty when it holds none. */
export function distinctValuesOf(hit: Hit, attribute: string): string[] {
  const raw = valueAt(hit, attribute);
  if (raw === undefined || raw === null) return [];
  return (Array.isArray(raw) ? raw : [raw])
    .filter((value) => value !== null && typeof value !== "object")
    .map(distinctValueKey);
}

/**
 * The hidden query that counts a distinct search's candidates on one shard: the shard's
 * query without `distinct`, no hits, and a facet distribution of the attribute.
 */
export function distinctCountQuery(shardQuery: SearchQuery, attribute: string): SearchQuery {
  const {
    distinct: _distinct,
    page: _page,
    hitsPerPage: _hitsPerPage,
    attributesToRetrieve: _retrieve,
    attributesToHighlight: _highlight,
    attributesToCrop: _crop,
    showMatchesPosition: _matches,
    showRankingScore: _score,
    showRankingScoreDetails: _details,
    showPerformanceDetails: _performance,
    ...rest
  } = shardQuery;
  return { ...rest, offset: 0, limit: 0, facets: [attribute] };
}

/** Reads a shard's answer to `distinctCountQuery`. */
export function distinctCountsOf(answer: SearchResponseBody, attribute: string): DistinctCounts {
  const values = new Map<string, number>();
  const counts = answer.facetDistribution?.[attribute] ?? {};
  for (const value in counts) {
    const key = distinctValueKey(value);
    values.set(key, (values.get(key) ?? 0) + (counts[value] as number));
  }
  return { candidates: answer.estimatedTotalHits ?? answer.totalHits ?? 0, values };
}

/** What Miroir's walk over the merged hits saw. */
export interface DistinctWalk {
  /** The values whose documents the node's walk removed (one of each kept). */
  readonly seen: ReadonlySet<string>;
  /**
   * Larger shard windows the walk needs: a shard's list ended inside the last bucket
   * walked, so that bucket may hold values the list did not reach. Null when complete.
   */
  readonly widerShardLimit: number | null;
}

function sameBucket(a: RankingKey, b: RankingKey): boolean {
  return compareRankingKeys({ ...a, primaryKey: null }, { ...b, primaryKey: null }) === 0;
}

/**
 * Walks the merged shard lists (each a shard's distinct hits, best first, `shardLimit`
 * asked) as one node walks its buckets for `kept` documents: which values it sees.
 */
export function walkDistinct(
  lists: readonly (readonly Hit[])[],
  keyOf: (hit: Hit, list: number) => RankingKey,
  attribute: string,
  kept: number,
  shardLimit: number,
  maxShardLimit: number,
): DistinctWalk {
  const seen = new Set<string>();
  if (kept <= 0) return { seen, widerShardLimit: null };
  const merge = new KWayMerge(
    lists.map((hits, list) => hits.map((hit) => ({ hit, list }))),
    (item) => keyOf(item.hit, item.list),
    compareRankingKeys,
  );
  let count = 0;
  let boundary: RankingKey | undefined;
  for (let item = merge.next(); item !== undefined; item = merge.next()) {
    const key = keyOf(item.hit, item.list);
    // After the kept-th document the node finishes its bucket; with no rule it stops at once.
    if (boundary !== undefined && (boundary.rules.length === 0 || !sameBucket(key, boundary))) {
      break;
    }
    const values = distinctValuesOf(item.hit, attribute);
    if (values.some((value) => seen.has(value))) continue;
    for (const value of values) seen.add(value);
    count++;
    if (count === kept) boundary = key;
  }
  if (boundary === undefined || boundary.rules.length === 0) {
    return { seen, widerShardLimit: null };
  }
  const cut = lists.some((hits, list) => {
    const last = hits[hits.length - 1];
    return (
      hits.length >= shardLimit && last !== undefined && sameBucket(keyOf(last, list), boundary)
    );
  });
  const wider = Math.min(maxShardLimit, Math.max(shardLimit * 4, shardLimit + 100));
  return { seen, widerShardLimit: cut && wider > shardLimit ? wider : null };
}

/**
 * The total one node holding every document reports for a distinct search: exhaustive for
 * `page`/`hitsPerPage`, else what its walk (`seen`) left of the candidates.
 */
export function distinctTotal(
  window: ClientWindow,
  counts: readonly DistinctCounts[],
  seen: ReadonlySet<string>,
): number {
  let candidates = 0;
  const perValue = new Map<string, number>();
  for (const shard of counts) {
    candidates += shard.candidates;
    for (const [value, count] of shard.values) {
      perValue.set(value, (perValue.get(value) ?? 0) + count);
    }
  }
  const kept = window.offset + window.limit;
  // An empty window is the one a node answers without walking.
  if (window.mode === "offsetLimit" && kept === 0) return candidates;
  let total = candidates;
  for (const [value, count] of perValue) {
    if (window.mode === "page" || seen.has(value)) total -= count - 1;
  }
  return total;
}
