import type { SearchQuery } from "@miroir/merger";
import {
  bodyOfParams,
  booleanParam,
  countParam,
  filterParam,
  floatParam,
  listParam,
  type ParamReader,
  textParam,
} from "../query-params.js";

const floatsParam: ParamReader = (text) => {
  const values = text.split(",").map((item) => Number(item));
  return values.every(Number.isFinite) ? values : undefined;
};

/** How `GET /indexes/{uid}/search` spells each parameter of the POST body. */
const SEARCH_PARAMS: Readonly<Record<string, ParamReader>> = {
  q: textParam,
  vector: floatsParam,
  offset: countParam,
  limit: countParam,
  page: countParam,
  hitsPerPage: countParam,
  attributesToRetrieve: listParam,
  retrieveVectors: booleanParam,
  attributesToCrop: listParam,
  cropLength: countParam,
  attributesToHighlight: listParam,
  filter: filterParam,
  sort: sortOfParam,
  distinct: textParam,
  showMatchesPosition: booleanParam,
  showRankingScore: booleanParam,
  showRankingScoreDetails: booleanParam,
  showPerformanceDetails: booleanParam,
  facets: listParam,
  highlightPreTag: textParam,
  highlightPostTag: textParam,
  cropMarker: textParam,
  matchingStrategy: textParam,
  attributesToSearchOn: listParam,
  rankingScoreThreshold: floatParam,
  locales: listParam,
  // Both become `hybrid: { embedder, semanticRatio }`.
  hybridEmbedder: textParam,
  hybridSemanticRatio: floatParam,
};

/**
 * The POST body equivalent to a GET search's query string, or null when some parameter
 * is unknown or does not parse: Meilisearch's own answer to the GET is then the error.
 */
export function searchQueryOfParams(params: URLSearchParams): SearchQuery | null {
  const body = bodyOfParams(params, SEARCH_PARAMS);
  if (body === null) return null;
  const { hybridEmbedder, hybridSemanticRatio, ...query } = body;
  if (hybridEmbedder !== undefined) {
    query.hybrid = {
      embedder: hybridEmbedder,
      ...(hybridSemanticRatio === undefined ? {} : { semanticRatio: hybridSemanticRatio }),
    };
  } else if (hybridSemanticRatio !== undefined) {
    return null;
  }
  return query as SearchQuery;
}

/** Splits `sort` on commas, except the commas inside `_geoPoint(lat, lng)`. */
function sortOfParam(text: string): string[] {
  const entries: string[] = [];
  for (const piece of text.split(",")) {
    const last = entries.at(-1);
    if (last?.startsWith("_geoPoint(") && !last.includes(")")) {
      entries[entries.length - 1] = `${last},${piece}`;
    } else {
      entries.push(piece);
    }
  }
  return entries.map((entry) => entry.trim());
}
