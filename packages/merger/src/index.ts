export {
  type DocumentsBrowseQuery,
  type MergedDocumentsBrowse,
  mergeDocumentsBrowse,
  planDocumentsBrowseQuery,
} from "./documents-browse.js";
export {
  type FacetSearchQuery,
  type MergedFacetSearchResponse,
  mergeFacetSearch,
} from "./facet-search.js";
export {
  type FacetsOfIndex,
  type FederatedQuery,
  type FederatedSearchRequest,
  type Federation,
  type MergedFederatedResponse,
  mergeFederated,
  planFederatedShardQuery,
} from "./federated-search.js";
export { mergeSearch } from "./merge-search.js";
export {
  type MultiSearchQuery,
  type MultiSearchResult,
  mergeMultiSearch,
  planMultiSearchShardQuery,
  type SettingsOf,
} from "./multi-search.js";
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
