export {
  type DistinctCounts,
  distinctCountQuery,
  distinctCountsOf,
} from "./distinct-totals.js";
export {
  checkDocumentsListing,
  type DocumentsBrowseQuery,
  type DocumentsListing,
  type MergedDocumentsBrowse,
  mergeCheckedDocumentsBrowse,
  mergeDocumentsBrowse,
  planDocumentsBrowseQuery,
} from "./documents-browse.js";
export {
  type CheckedFacetSearch,
  checkFacetSearchResponse,
  type FacetSearchQuery,
  type MergedFacetSearchResponse,
  mergeCheckedFacetSearch,
  mergeFacetSearch,
} from "./facet-search.js";
export {
  checkFederatedResponse,
  type FacetsOfIndex,
  type FederatedBody,
  type FederatedQuery,
  type FederatedSearchRequest,
  type Federation,
  type MergedFederatedResponse,
  mergeCheckedFederated,
  mergeFederated,
  planFederatedShardQuery,
} from "./federated-search.js";
export { type IndexField, mergeIndexFields } from "./index-fields.js";
export { type IndexObject, mergeIndexObjects } from "./index-objects.js";
export { type IndexStats, mergeIndexStats } from "./index-stats.js";
export {
  countedDistinctAttribute,
  type DistinctCounting,
  mergeCheckedSearch,
  mergeSearch,
  widerDistinctShardLimit,
} from "./merge-search.js";
export {
  checkMultiSearchResponse,
  type MultiSearchQuery,
  type MultiSearchResult,
  mergeCheckedMultiSearch,
  mergeMultiSearch,
  multiSearchResultCount,
  planMultiSearchShardQuery,
  type SettingsOf,
  type ShardLimits,
  widerMultiSearchShardLimits,
} from "./multi-search.js";
export { checkSearchResponse } from "./node-answer.js";
export { NodeAnswerError } from "./node-answer-error.js";
export {
  type MergeUndo,
  planShardQuery,
  type ShardQueryPlan,
} from "./plan-shard-query.js";
export { SHARD_FIELD, withShardFilter } from "./shard-filter.js";
export {
  clientDocument,
  mergeShardWindowListing,
  type ShardRange,
  shardRanges,
} from "./shard-window-listing.js";
export {
  type MergedSimilarResponse,
  mergeCheckedSimilar,
  planSimilarSearch,
  type SimilarQuery,
  type SimilarSearchPlan,
} from "./similar-documents.js";
export {
  type ListingSort,
  listingSortOf,
  mergeCheckedSortedListing,
  planSortedDocumentsListing,
} from "./sorted-documents-listing.js";
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
  SearchResponseBody,
} from "./types.js";
