import { isRetrieved } from "./attribute-path.js";
import { clientWindow, widenedPagination } from "./pagination.js";
import { withShardFilter } from "./shard-filter.js";
import type { MergeSettings, SearchQuery } from "./types.js";

/** What the merge must take back out of the node answers before the client sees them. */
export interface MergeUndo {
  /** Attributes Miroir added to `attributesToRetrieve`; stripped from every hit. */
  addedAttributes: string[];
  keepRankingScore: boolean;
  keepRankingScoreDetails: boolean;
}

export interface ShardQueryPlan {
  /** The query to send to the node covering `shards`. */
  query: SearchQuery;
  undo: MergeUndo;
}

/** The attribute a `sort` entry sorts on, or null for geo sorts (their distance is in the details). */
function sortAttribute(sortEntry: string): string | null {
  if (sortEntry.startsWith("_geoPoint(")) return null;
  const colon = sortEntry.lastIndexOf(":");
  return colon < 0 ? sortEntry : sortEntry.slice(0, colon);
}

/** The distinct attribute in force: the query's, else the index's. */
export function distinctAttributeOf(query: SearchQuery, settings: MergeSettings): string | null {
  return query.distinct ?? settings.distinctAttribute;
}

/** Pure: derived from the client query and settings alone, so the merge can recompute it. */
export function mergeUndoFor(query: SearchQuery, settings: MergeSettings): MergeUndo {
  const undo: MergeUndo = {
    addedAttributes: [],
    keepRankingScore: query.showRankingScore === true,
    keepRankingScoreDetails: query.showRankingScoreDetails === true,
  };
  const retrieved = query.attributesToRetrieve;
  if (retrieved === null || retrieved === undefined) return undo;
  const needed = [
    ...(query.sort ?? []).map(sortAttribute),
    distinctAttributeOf(query, settings),
    settings.primaryKey,
  ];
  for (const attribute of needed) {
    if (attribute === null || isRetrieved(retrieved, attribute)) continue;
    if (!undo.addedAttributes.includes(attribute)) undo.addedAttributes.push(attribute);
  }
  return undo;
}

/**
 * The query one covering node receives for the shards it answers for: the whole window up
 * to the client's last hit, scores and score details on, the attributes the merge needs,
 * and the client's filter restricted to those shards.
 */
export function planShardQuery(
  clientQuery: SearchQuery,
  settings: MergeSettings,
  shards: readonly number[],
): ShardQueryPlan {
  const undo = mergeUndoFor(clientQuery, settings);
  const window = clientWindow(clientQuery, settings.pagination.maxTotalHits);
  // Copied key by key without the client's window (deleting keys would slow the object down).
  const query: SearchQuery = {};
  for (const key in clientQuery) {
    if (key === "offset" || key === "limit" || key === "page" || key === "hitsPerPage") continue;
    query[key] = clientQuery[key];
  }
  Object.assign(query, widenedPagination(window));
  query.showRankingScore = true;
  query.showRankingScoreDetails = true;
  query.filter = withShardFilter(clientQuery.filter, shards);
  if (clientQuery.attributesToRetrieve && undo.addedAttributes.length > 0) {
    query.attributesToRetrieve = [...clientQuery.attributesToRetrieve, ...undo.addedAttributes];
  }
  return { query, undo };
}
