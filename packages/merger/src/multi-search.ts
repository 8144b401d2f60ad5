import { type DistinctCounts, distinctCountQuery, distinctCountsOf } from "./distinct-totals.js";
import {
  countedDistinctAttribute,
  mergeCheckedSearch,
  widerDistinctShardLimit,
} from "./merge-search.js";
import { checkSearchResponse, isRecord } from "./node-answer.js";
import { NodeAnswerError } from "./node-answer-error.js";
import { clientWindow } from "./pagination.js";
import { planShardQuery } from "./plan-shard-query.js";
import type {
  MergedSearchResponse,
  MergeSettings,
  NodeSearchAnswer,
  SearchQuery,
  SearchResponseBody,
} from "./types.js";

/** One query of a (non-federated) `POST /multi-search`. */
export interface MultiSearchQuery extends SearchQuery {
  indexUid: string;
}

export type MultiSearchResult = { indexUid: string } & MergedSearchResponse;

/** The settings of each index a multi-search touches. */
export type SettingsOf = (indexUid: string) => MergeSettings;

/**
 * How many hits each query asks of every shard, by position: the end of the client's
 * window, or more for a distinct query whose walk needs them (`widerMultiSearchShardLimits`).
 */
export type ShardLimits = readonly (number | undefined)[];

/** The positions of the queries whose distinct totals are counted, with their attribute. */
function countedQueries(
  queries: readonly MultiSearchQuery[],
  settingsOf: SettingsOf,
): { position: number; attribute: string }[] {
  const counted: { position: number; attribute: string }[] = [];
  queries.forEach((query, position) => {
    const attribute = countedDistinctAttribute(query, settingsOf(query.indexUid));
    if (attribute !== null) counted.push({ position, attribute });
  });
  return counted;
}

/** How many results a node's answer to `planMultiSearchShardQuery` holds. */
export function multiSearchResultCount(
  queries: readonly MultiSearchQuery[],
  settingsOf: SettingsOf,
): number {
  return queries.length + countedQueries(queries, settingsOf).length;
}

function defaultShardLimit(query: MultiSearchQuery, settingsOf: SettingsOf): number {
  const window = clientWindow(query, settingsOf(query.indexUid).pagination.maxTotalHits);
  return window.offset + window.limit;
}

/**
 * The multi-search one covering node receives: every query planned for `shards`, then a
 * hidden count query for each distinct query whose totals Miroir counts.
 */
export function planMultiSearchShardQuery(
  queries: readonly MultiSearchQuery[],
  settingsOf: SettingsOf,
  shards: readonly number[],
  shardLimits: ShardLimits = [],
): { queries: MultiSearchQuery[] } {
  const planned = queries.map((query, position) => {
    const shardQuery: MultiSearchQuery = {
      ...planShardQuery(query, settingsOf(query.indexUid), shards).query,
      indexUid: query.indexUid,
    };
    const limit = shardLimits[position];
    if (limit !== undefined && typeof shardQuery.limit === "number") shardQuery.limit = limit;
    return shardQuery;
  });
  const counts = countedQueries(queries, settingsOf).map(({ position, attribute }) => {
    const shardQuery = planned[position] as MultiSearchQuery;
    return { ...distinctCountQuery(shardQuery, attribute), indexUid: shardQuery.indexUid };
  });
  return { queries: [...planned, ...counts] };
}

/**
 * Larger shard limits for the distinct queries whose walk needs more hits than the shards
 * gave (see `widerDistinctShardLimit`), or null when every query is complete.
 */
export function widerMultiSearchShardLimits(
  queries: readonly MultiSearchQuery[],
  settingsOf: SettingsOf,
  perNode: readonly (readonly SearchResponseBody[])[],
  shardLimits: ShardLimits = [],
): (number | undefined)[] | null {
  let wider = false;
  const limits = queries.map((query, position) => {
    const current = shardLimits[position] ?? defaultShardLimit(query, settingsOf);
    const needed = widerDistinctShardLimit(
      query,
      settingsOf(query.indexUid),
      perNode.map((results) => results[position] as SearchResponseBody),
      current,
    );
    if (needed === null) return shardLimits[position];
    wider = true;
    return needed;
  });
  return wider ? limits : null;
}

/**
 * Merges node multi-search answers (`{results: [...]}`, one result per query, in order):
 * each query merges on its own, exactly like a single search.
 */
export function mergeMultiSearch(
  queries: readonly MultiSearchQuery[],
  settingsOf: SettingsOf,
  answers: readonly NodeSearchAnswer[],
): { results: MultiSearchResult[] } {
  const perNode = answers.map(({ node, body }) =>
    checkMultiSearchResponse(node, body, multiSearchResultCount(queries, settingsOf)),
  );
  return mergeCheckedMultiSearch(queries, settingsOf, perNode);
}

/**
 * Checks one node's multi-search answer: one search response per query, in order.
 * Anything malformed is that node's failure.
 */
export function checkMultiSearchResponse(
  node: string,
  body: unknown,
  queryCount: number,
): SearchResponseBody[] {
  if (!isRecord(body) || !Array.isArray(body.results)) {
    throw new NodeAnswerError(node, "`results` is not an array");
  }
  if (body.results.length !== queryCount) {
    throw new NodeAnswerError(node, `${body.results.length} results for ${queryCount} queries`);
  }
  return body.results.map((result: unknown) => checkSearchResponse(node, result));
}

/** `mergeMultiSearch` over answers already checked by `checkMultiSearchResponse`. */
export function mergeCheckedMultiSearch(
  queries: readonly MultiSearchQuery[],
  settingsOf: SettingsOf,
  perNode: readonly (readonly SearchResponseBody[])[],
  shardLimits: ShardLimits = [],
): { results: MultiSearchResult[] } {
  const counted = new Map<number, { at: number; attribute: string }>();
  countedQueries(queries, settingsOf).forEach(({ position, attribute }, at) => {
    counted.set(position, { at: queries.length + at, attribute });
  });
  return {
    results: queries.map((query, position) => {
      const count = counted.get(position);
      const counts: DistinctCounts[] | undefined =
        count === undefined
          ? undefined
          : perNode.map((results) =>
              distinctCountsOf(results[count.at] as SearchResponseBody, count.attribute),
            );
      return {
        indexUid: query.indexUid,
        ...mergeCheckedSearch(
          query,
          settingsOf(query.indexUid),
          perNode.map((results) => results[position] as (typeof results)[number]),
          counts === undefined
            ? undefined
            : {
                counts,
                shardLimit: shardLimits[position] ?? defaultShardLimit(query, settingsOf),
              },
        ),
      };
    }),
  };
}
