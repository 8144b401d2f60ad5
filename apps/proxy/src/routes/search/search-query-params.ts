import type { SearchQuery } from "@miroir/merger";
import { booleanOfParam, countOfParam, filterOfParam } from "../query-params.js";

type ParamKind = "text" | "integer" | "float" | "boolean" | "list" | "sort" | "floats" | "filter";

/** How `GET /indexes/{uid}/search` spells each parameter of the POST body. */
const PARAM_KINDS: Readonly<Record<string, ParamKind>> = {
  q: "text",
  vector: "floats",
  offset: "integer",
  limit: "integer",
  page: "integer",
  hitsPerPage: "integer",
  attributesToRetrieve: "list",
  retrieveVectors: "boolean",
  attributesToCrop: "list",
  cropLength: "integer",
  attributesToHighlight: "list",
  filter: "filter",
  sort: "sort",
  distinct: "text",
  showMatchesPosition: "boolean",
  showRankingScore: "boolean",
  showRankingScoreDetails: "boolean",
  showPerformanceDetails: "boolean",
  facets: "list",
  highlightPreTag: "text",
  highlightPostTag: "text",
  cropMarker: "text",
  matchingStrategy: "text",
  attributesToSearchOn: "list",
  rankingScoreThreshold: "float",
  locales: "list",
};

/**
 * The POST body equivalent to a GET search's query string, or null when some parameter
 * is unknown or does not parse: Meilisearch's own answer to the GET is then the error.
 */
export function searchQueryOfParams(params: URLSearchParams): SearchQuery | null {
  const query: SearchQuery = {};
  let hybridEmbedder: string | undefined;
  let semanticRatio: number | undefined;
  for (const [name, text] of params) {
    if (name === "hybridEmbedder") {
      hybridEmbedder = text;
      continue;
    }
    if (name === "hybridSemanticRatio") {
      semanticRatio = Number(text);
      if (text.trim() === "" || !Number.isFinite(semanticRatio)) return null;
      continue;
    }
    const kind = PARAM_KINDS[name];
    if (kind === undefined) return null;
    const value = paramValue(kind, text);
    if (value === undefined) return null;
    query[name] = value;
  }
  if (hybridEmbedder !== undefined) {
    query.hybrid = {
      embedder: hybridEmbedder,
      ...(semanticRatio === undefined ? {} : { semanticRatio }),
    };
  } else if (semanticRatio !== undefined) {
    return null;
  }
  return query;
}

function paramValue(kind: ParamKind, text: string): unknown {
  switch (kind) {
    case "text":
      return text;
    case "integer":
      return countOfParam(text);
    case "float": {
      const value = Number(text);
      return text.trim() !== "" && Number.isFinite(value) ? value : undefined;
    }
    case "boolean":
      return booleanOfParam(text);
    case "list":
      return text.split(",").map((item) => item.trim());
    case "sort":
      return sortOfParam(text);
    case "floats": {
      const values = text.split(",").map((item) => Number(item));
      return values.every(Number.isFinite) ? values : undefined;
    }
    case "filter":
      return filterOfParam(text);
  }
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
