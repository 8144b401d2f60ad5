import { mergeCheckedSearch } from "./merge-search.js";
import { checkSearchResponse, isRecord } from "./node-answer.js";
import { NodeAnswerError } from "./node-answer-error.js";
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

/** The multi-search one covering node receives: every query planned for `shards`. */
export function planMultiSearchShardQuery(
  queries: readonly MultiSearchQuery[],
  settingsOf: SettingsOf,
  shards: readonly number[],
): { queries: MultiSearchQuery[] } {
  return {
    queries: queries.map((query) => ({
      ...planShardQuery(query, settingsOf(query.indexUid), shards).query,
      indexUid: query.indexUid,
    })),
  };
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
    checkMultiSearchResponse(node, body, queries.length),
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
): { results: MultiSearchResult[] } {
  return {
    results: queries.map((query, position) => ({
      indexUid: query.indexUid,
      ...mergeCheckedSearch(
        query,
        settingsOf(query.indexUid),
        perNode.map((results) => results[position] as (typeof results)[number]),
      ),
    })),
  };
}
