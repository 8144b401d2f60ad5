export { mergeSearch } from "./merge-search.js";
export { NodeAnswerError } from "./node-answer-error.js";
export {
  type MergeUndo,
  planShardQuery,
  type ShardQueryPlan,
} from "./plan-shard-query.js";
export { SHARD_FIELD, withShardFilter } from "./shard-filter.js";
export type {
  FacetDistribution,
  FacetStats,
  FacetValueOrder,
  Filter,
  Hit,
  MergedSearchResponse,
  MergeSettings,
  NodeSearchAnswer,
  SearchQuery,
} from "./types.js";
