export type { Document } from "./document.js";
export type { EngineIndex } from "./engine-index.js";
export type {
  ComparisonOperator,
  Filter,
  FilterArray,
  FilterToken,
} from "./filter.js";
export { filterableCheck, matchFilter } from "./filter-match.js";
export { parseFilter } from "./filter-parser.js";
export {
  DEFAULT_RANKING_RULES,
  defaultSettings,
  type Faceting,
  type FilterableAttributeRule,
  type Settings,
  type TypoTolerance,
} from "./settings.js";
