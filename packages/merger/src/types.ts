/** Meilisearch's two filter forms: one expression, or an AND of expressions and OR-groups. */
export type Filter = string | ReadonlyArray<string | ReadonlyArray<string>>;

/** A search query as a client sends it to `POST /indexes/{uid}/search`. */
export interface SearchQuery {
  q?: string | null;
  offset?: number | null;
  limit?: number | null;
  page?: number | null;
  hitsPerPage?: number | null;
  filter?: Filter | null;
  sort?: readonly string[] | null;
  distinct?: string | null;
  facets?: readonly string[] | null;
  attributesToRetrieve?: readonly string[] | null;
  showRankingScore?: boolean | null;
  showRankingScoreDetails?: boolean | null;
  [parameter: string]: unknown;
}

export type FacetValueOrder = "alpha" | "count";

/** The index settings a merge depends on; they must be identical on every node. */
export interface MergeSettings {
  primaryKey: string | null;
  /**
   * The index's ranking rules. Hits are compared in the `order` their score details carry,
   * which the nodes derive from these same rules; kept so the type mirrors the settings.
   */
  rankingRules: readonly string[];
  distinctAttribute: string | null;
  /** Whether the index's `distinctAttribute` is filterable (a facet every shard can count). */
  distinctAttributeFilterable?: boolean;
  faceting: {
    /** What the client may see; nodes may be configured higher (over-fetch for count order). */
    maxValuesPerFacet: number;
    sortFacetValuesBy: Readonly<Record<string, FacetValueOrder>>;
  };
  pagination: { maxTotalHits: number };
}

/** One document of a search answer, with Meilisearch's `_` fields. */
export type Hit = Record<string, unknown>;

export type FacetDistribution = Record<string, Record<string, number>>;
export type FacetStats = Record<string, { min: number; max: number }>;

/** What one covering node answered, before it is checked. */
export interface NodeSearchAnswer {
  /** The node's id, named in the error when its answer cannot be merged. */
  node: string;
  body: unknown;
}

/** A search response body once it is known to be well formed. */
export interface SearchResponseBody {
  hits: Hit[];
  processingTimeMs: number;
  estimatedTotalHits?: number;
  totalHits?: number;
  facetDistribution?: FacetDistribution;
  facetStats?: FacetStats;
  semanticHitCount?: number;
  queryVector?: unknown;
  /** The uid the node gave this search request (Meilisearch 1.50 names every search). */
  requestUid?: string;
  performanceDetails?: unknown;
}

/** The merged answer, keys in Meilisearch's order. */
export interface MergedSearchResponse {
  hits: Hit[];
  query: string;
  queryVector?: unknown;
  processingTimeMs: number;
  limit?: number;
  offset?: number;
  estimatedTotalHits?: number;
  hitsPerPage?: number;
  page?: number;
  totalPages?: number;
  totalHits?: number;
  facetDistribution?: FacetDistribution;
  facetStats?: FacetStats;
  requestUid?: string;
  performanceDetails?: unknown;
  semanticHitCount?: number;
}
