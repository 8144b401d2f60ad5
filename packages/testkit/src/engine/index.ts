export type { Document } from "./document.js";
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
export { type SearchAnswer, search } from "./search.js";
export {
  type MatchingStrategy,
  parseSearchQuery,
  type SearchQuery,
  searchQueryFromParams,
} from "./search-query.js";
export { selectFields } from "./select-fields.js";
export {
  DEFAULT_RANKING_RULES,
  defaultSettings,
  type Faceting,
  type FilterableAttributeRule,
  type Settings,
  type TypoTolerance,
} from "./settings.js";
