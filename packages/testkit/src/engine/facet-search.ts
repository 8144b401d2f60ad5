import { meiliError } from "@miroir/errors";
import { anyPatternCovers, facetSearchablePatterns } from "./attribute-pattern.js";
import type { EngineIndex } from "./engine-index.js";
import { countFacetValues, orderFacetValues } from "./facets.js";
import { allowedTypos, type QueryTerm, termCost } from "./query-terms.js";
import { rankedSearch } from "./ranked-search.js";
import { expectObject, optionalString } from "./request-values.js";
import { inInsertionOrder } from "./search.js";
import { parseSearchQuery } from "./search-query.js";
import type { Settings } from "./settings.js";
import { normalizeText } from "./text.js";

/** The answer of `POST /indexes/{uid}/facet-search`. */
export interface FacetSearchAnswer {
  facetHits: Array<{ value: string; count: number }>;
  facetQuery: string | null;
  processingTimeMs: number;
}

const FACET_SEARCH_FIELDS = [
  "facetQuery",
  "facetName",
  "q",
  "vector",
  "hybrid",
  "filter",
  "matchingStrategy",
  "attributesToSearchOn",
  "rankingScoreThreshold",
  "locales",
  "exhaustiveFacetCount",
];

/**
 * Validates and answers a facet search: the values of `facetName` among the documents that
 * `q` and `filter` select, whose text starts with `facetQuery`, with their counts.
 */
export function facetSearch(index: EngineIndex, raw: unknown): FacetSearchAnswer {
  const started = performance.now();
  // Meilisearch's facet search ignores the fields it does not know, unlike search
  const body = Object.fromEntries(
    Object.entries(expectObject(raw, "bad_request")).filter(([field]) =>
      FACET_SEARCH_FIELDS.includes(field),
    ),
  );
  if (body.facetName === undefined) {
    throw meiliError("missing_facet_search_facet_name", "Missing field `facetName`");
  }
  const facetName = optionalString(body.facetName, "invalid_facet_search_facet_name", ".facetName");
  const facetQuery = optionalString(body.facetQuery, "invalid_facet_search_query", ".facetQuery");
  const {
    facetName: _name,
    facetQuery: _query,
    exhaustiveFacetCount: _exhaustive,
    ...searchBody
  } = body;
  const query = parseSearchQuery(searchBody);
  const settings = index.settings;
  if (!settings.facetSearch) {
    throw meiliError(
      "facet_search_disabled",
      "The facet search is disabled for this index, please enable it before using it.",
    );
  }
  const patterns = facetSearchablePatterns(settings.filterableAttributes);
  if (facetName === undefined || !anyPatternCovers(patterns, facetName)) {
    const hint = "To make it facet-searchable add it to the `filterableAttributes` index settings.";
    const available =
      patterns.length === 0
        ? `This index does not have configured facet-searchable attributes. ${hint}`
        : `Available facet-searchable attributes patterns are: \`${[...new Set(patterns)].sort().join(", ")}\`. ${hint}`;
    throw meiliError(
      "invalid_facet_search_facet_name",
      `Attribute \`${facetName}\` is not facet-searchable. ${available}`,
    );
  }
  const documents = inInsertionOrder(rankedSearch(index, query).candidates);
  const matches = facetQueryMatcher(normalizeText(facetQuery ?? "").trim(), settings);
  const values = countFacetValues(documents, facetName).filter(
    (value) => value.numeric === undefined && matches(normalizeText(value.normalized)),
  );
  return {
    facetHits: orderFacetValues(values, facetName, settings).map(({ value, count }) => ({
      value,
      count,
    })),
    facetQuery: facetQuery ?? null,
    processingTimeMs: Math.round(performance.now() - started),
  };
}

/**
 * Whether a facet value starts with the facet query, forgiving typos by the query's length
 * under the index's typo tolerance, as Meilisearch's facet search does.
 */
function facetQueryMatcher(wanted: string, settings: Settings): (value: string) => boolean {
  const term: QueryTerm = {
    text: wanted,
    index: 0,
    prefix: true,
    maxTypos: allowedTypos(wanted, settings),
    synonyms: new Set(),
  };
  return (value) => wanted === "" || value.startsWith(wanted) || termCost(term, value) >= 0;
}
