export { anyPatternCovers, patternCovers } from "./attribute-pattern.js";
export type { Document } from "./document.js";
export { sortListing } from "./document-sort.js";
export { embeddingsOf, VECTORS_FIELD, withVectors } from "./document-vectors.js";
export { readEmbedder, type UserProvidedEmbedder } from "./embedders.js";
export type { EngineIndex } from "./engine-index.js";
export { type FacetSearchAnswer, facetSearch } from "./facet-search.js";
export type { FacetDistribution, FacetStats } from "./facets.js";
export { type FederatedAnswer, federatedSearch } from "./federated-search.js";
export type {
  ComparisonOperator,
  Filter,
  FilterArray,
  FilterToken,
} from "./filter.js";
export { containsFilterCheck, filterableCheck, matchFilter } from "./filter-match.js";
export { parseFilter } from "./filter-parser.js";
export type { SearchPin } from "./pins.js";
export { type SearchAnswer, search } from "./search.js";
export {
  type HybridQuery,
  type MatchingStrategy,
  parseSearchQuery,
  type SearchQuery,
  searchQueryFromParams,
} from "./search-query.js";
export { selectFields } from "./select-fields.js";
export { similarity } from "./semantic-ranking.js";
export {
  DEFAULT_RANKING_RULES,
  defaultSettings,
  type Faceting,
  type FilterableAttributeRule,
  type Settings,
  type TypoTolerance,
} from "./settings.js";
export {
  parseSimilarQuery,
  type SimilarAnswer,
  type SimilarQuery,
  similarDocuments,
  similarQueryFromParams,
} from "./similar.js";
export { checkDocumentVectors, checkProvidedVectors, serdeUnexpected } from "./vector-checks.js";
