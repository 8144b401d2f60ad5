/** One entry of `filterableAttributes`: a plain pattern, or Meilisearch's granular form. */
export type FilterableAttributeRule =
  | string
  | {
      attributePatterns: string[];
      features?: {
        facetSearch?: boolean;
        filter?: { equality?: boolean; comparison?: boolean };
      };
    };

export interface TypoTolerance {
  enabled: boolean;
  minWordSizeForTypos: { oneTypo: number; twoTypos: number };
  disableOnWords: string[];
  disableOnAttributes: string[];
  disableOnNumbers: boolean;
}

export interface Faceting {
  maxValuesPerFacet: number;
  sortFacetValuesBy: Record<string, "alpha" | "count">;
}

/** A link from a field of the index to the documents of another index. */
export interface ForeignKey {
  foreignIndexUid: string;
  fieldName: string;
}

/** How a chat workspace describes and searches the index. */
export interface ChatSettings {
  description: string;
  documentTemplate: string;
  documentTemplateMaxBytes: number;
  searchParameters: Record<string, unknown>;
}

/**
 * Every index setting of Meilisearch, in the shape `GET /indexes/{uid}/settings` answers
 * (which shows `foreignKeys` and `chat` only while their experimental feature is on).
 */
export interface Settings {
  displayedAttributes: string[];
  searchableAttributes: string[];
  filterableAttributes: FilterableAttributeRule[];
  sortableAttributes: string[];
  foreignKeys: ForeignKey[];
  rankingRules: string[];
  stopWords: string[];
  nonSeparatorTokens: string[];
  separatorTokens: string[];
  dictionary: string[];
  synonyms: Record<string, string[]>;
  distinctAttribute: string | null;
  proximityPrecision: "byWord" | "byAttribute";
  typoTolerance: TypoTolerance;
  faceting: Faceting;
  pagination: { maxTotalHits: number };
  embedders: Record<string, unknown>;
  searchCutoffMs: number | null;
  localizedAttributes: unknown[] | null;
  facetSearch: boolean;
  prefixSearch: "indexingTime" | "disabled";
  chat: ChatSettings;
}

export const DEFAULT_RANKING_RULES: readonly string[] = [
  "words",
  "typo",
  "proximity",
  "attributeRank",
  "sort",
  "wordPosition",
  "exactness",
];

/** The settings of a freshly created index, exactly as Meilisearch reports them. */
export function defaultSettings(): Settings {
  return {
    displayedAttributes: ["*"],
    searchableAttributes: ["*"],
    filterableAttributes: [],
    sortableAttributes: [],
    foreignKeys: [],
    rankingRules: [...DEFAULT_RANKING_RULES],
    stopWords: [],
    nonSeparatorTokens: [],
    separatorTokens: [],
    dictionary: [],
    synonyms: {},
    distinctAttribute: null,
    proximityPrecision: "byWord",
    typoTolerance: {
      enabled: true,
      minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
      disableOnWords: [],
      disableOnAttributes: [],
      disableOnNumbers: false,
    },
    faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "alpha" } },
    pagination: { maxTotalHits: 1000 },
    embedders: {},
    searchCutoffMs: null,
    localizedAttributes: null,
    facetSearch: true,
    prefixSearch: "indexingTime",
    chat: {
      description: "",
      documentTemplate:
        "{% for field in fields %}{% if field.is_searchable and field.value != nil %}{{ field.name }}: {{ field.value }}\n{% endif %}{% endfor %}",
      documentTemplateMaxBytes: 400,
      searchParameters: {},
    },
  };
}
