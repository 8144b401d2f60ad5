import { type ErrorCode, meiliError } from "@miroir/errors";
import type { FilterArray } from "./filter.js";
import {
  expectObject,
  invalidValueType,
  optionalBoolean,
  optionalCount,
  optionalString,
  optionalStrings,
  rejectUnknownFields,
} from "./request-values.js";

export type MatchingStrategy = "last" | "all" | "frequency";

/** A validated search request, as the search routes and multi-search accept it. */
export interface SearchQuery {
  q?: string;
  offset?: number;
  limit?: number;
  page?: number;
  hitsPerPage?: number;
  attributesToRetrieve?: string[];
  attributesToCrop?: string[];
  cropLength?: number;
  cropMarker?: string;
  attributesToHighlight?: string[];
  highlightPreTag?: string;
  highlightPostTag?: string;
  showMatchesPosition?: boolean;
  showRankingScore?: boolean;
  showRankingScoreDetails?: boolean;
  showPerformanceDetails?: boolean;
  retrieveVectors?: boolean;
  filter?: string | FilterArray;
  sort?: string[];
  distinct?: string;
  facets?: string[];
  matchingStrategy?: MatchingStrategy;
  attributesToSearchOn?: string[];
  rankingScoreThreshold?: number;
  locales?: string[];
  /** The query vector of a semantic search (the embedder's dimensions). */
  vector?: number[];
  hybrid?: HybridQuery;
}

/** `hybrid`: which embedder, and how much of the ranking is semantic (1.0: all of it). */
export interface HybridQuery {
  embedder: string;
  semanticRatio: number;
}

export const SEARCH_FIELDS = [
  "q",
  "vector",
  "media",
  "hybrid",
  "offset",
  "limit",
  "page",
  "hitsPerPage",
  "attributesToRetrieve",
  "retrieveVectors",
  "attributesToCrop",
  "cropLength",
  "attributesToHighlight",
  "showMatchesPosition",
  "showRankingScore",
  "showRankingScoreDetails",
  "showPerformanceDetails",
  "filter",
  "sort",
  "distinct",
  "facets",
  "highlightPreTag",
  "highlightPostTag",
  "cropMarker",
  "matchingStrategy",
  "attributesToSearchOn",
  "rankingScoreThreshold",
  "locales",
  "personalize",
  "useNetwork",
] as const;

const STRATEGIES: readonly MatchingStrategy[] = ["last", "all", "frequency"];

/** Validates a POST search body with Meilisearch's error codes and wording. */
export function parseSearchQuery(raw: unknown, extraFields: readonly string[] = []): SearchQuery {
  const body = expectObject(raw, "bad_request");
  rejectUnknownFields(body, [...SEARCH_FIELDS, ...extraFields], "bad_request");
  rejectMediaSearch(body);
  const query: SearchQuery = {};
  assign(query, "vector", parseVector(body.vector));
  assign(query, "hybrid", parseHybrid(body.hybrid));
  if (query.vector !== undefined && query.hybrid === undefined) {
    throw meiliError(
      "missing_search_hybrid",
      "Invalid request: missing `hybrid` parameter when `vector` is present.",
    );
  }
  assign(query, "q", optionalString(body.q, "invalid_search_q", ".q"));
  assign(query, "offset", optionalCount(body.offset, "invalid_search_offset", ".offset"));
  assign(query, "limit", optionalCount(body.limit, "invalid_search_limit", ".limit"));
  assign(query, "page", optionalCount(body.page, "invalid_search_page", ".page"));
  assign(
    query,
    "hitsPerPage",
    optionalCount(body.hitsPerPage, "invalid_search_hits_per_page", ".hitsPerPage"),
  );
  assign(
    query,
    "attributesToRetrieve",
    optionalStrings(
      body.attributesToRetrieve,
      "invalid_search_attributes_to_retrieve",
      ".attributesToRetrieve",
    ),
  );
  assign(
    query,
    "attributesToCrop",
    optionalStrings(
      body.attributesToCrop,
      "invalid_search_attributes_to_crop",
      ".attributesToCrop",
    ),
  );
  assign(
    query,
    "cropLength",
    optionalCount(body.cropLength, "invalid_search_crop_length", ".cropLength"),
  );
  assign(
    query,
    "cropMarker",
    optionalString(body.cropMarker, "invalid_search_crop_marker", ".cropMarker"),
  );
  assign(
    query,
    "attributesToHighlight",
    optionalStrings(
      body.attributesToHighlight,
      "invalid_search_attributes_to_highlight",
      ".attributesToHighlight",
    ),
  );
  assign(
    query,
    "highlightPreTag",
    optionalString(body.highlightPreTag, "invalid_search_highlight_pre_tag", ".highlightPreTag"),
  );
  assign(
    query,
    "highlightPostTag",
    optionalString(body.highlightPostTag, "invalid_search_highlight_post_tag", ".highlightPostTag"),
  );
  for (const [field, code] of [
    ["showMatchesPosition", "invalid_search_show_matches_position"],
    ["showRankingScore", "invalid_search_show_ranking_score"],
    ["showRankingScoreDetails", "invalid_search_show_ranking_score_details"],
    ["showPerformanceDetails", "invalid_search_show_performance_details"],
    ["retrieveVectors", "invalid_search_retrieve_vectors"],
  ] as const) {
    assign(query, field, optionalBoolean(body[field], code, `.${field}`));
  }
  assign(query, "filter", parseFilterValue(body.filter));
  assign(query, "sort", optionalStrings(body.sort, "invalid_search_sort", ".sort"));
  assign(query, "distinct", optionalString(body.distinct, "invalid_search_distinct", ".distinct"));
  assign(query, "facets", optionalStrings(body.facets, "invalid_search_facets", ".facets"));
  assign(query, "matchingStrategy", parseStrategy(body.matchingStrategy));
  assign(
    query,
    "attributesToSearchOn",
    optionalStrings(
      body.attributesToSearchOn,
      "invalid_search_attributes_to_search_on",
      ".attributesToSearchOn",
    ),
  );
  assign(query, "rankingScoreThreshold", parseThreshold(body.rankingScoreThreshold));
  assign(query, "locales", optionalStrings(body.locales, "invalid_search_locales", ".locales"));
  return query;
}

function assign<K extends keyof SearchQuery>(
  query: SearchQuery,
  key: K,
  value: SearchQuery[K] | undefined,
): void {
  if (value !== undefined) query[key] = value;
}

function parseFilterValue(value: unknown): string | FilterArray | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value as FilterArray;
  throw meiliError(
    "invalid_search_filter",
    `Invalid syntax for the filter parameter: \`expected String, Array, found: ${JSON.stringify(value)}\`.`,
  );
}

function parseStrategy(value: unknown): MatchingStrategy | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") {
    throw invalidValueType(
      "invalid_search_matching_strategy",
      ".matchingStrategy",
      "a string",
      value,
    );
  }
  if (!STRATEGIES.includes(value as MatchingStrategy)) {
    throw meiliError(
      "invalid_search_matching_strategy",
      `Unknown value \`${value}\` at \`.matchingStrategy\`: expected one of \`last\`, \`all\`, \`frequency\``,
    );
  }
  return value as MatchingStrategy;
}

function parseThreshold(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number") {
    throw invalidValueType(
      "invalid_search_ranking_score_threshold",
      ".rankingScoreThreshold",
      "a number",
      value,
    );
  }
  if (value < 0 || value > 1) {
    throw meiliError(
      "invalid_search_ranking_score_threshold",
      "Invalid value at `.rankingScoreThreshold`: the value of `rankingScoreThreshold` is invalid, expected a float between `0.0` and `1.0`.",
    );
  }
  return value;
}

function rejectMediaSearch(body: Record<string, unknown>): void {
  for (const [field, code] of [
    ["media", "invalid_search_media"],
    ["personalize", "invalid_search_personalize"],
  ] as const) {
    if (body[field] !== undefined && body[field] !== null) {
      throw meiliError(
        code as ErrorCode,
        `Invalid value at \`.${field}\`: this index has no embedders configured.`,
      );
    }
  }
}

function parseVector(value: unknown): number[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value))
    throw invalidValueType("invalid_search_vector", ".vector", "an array", value);
  value.forEach((item, i) => {
    if (typeof item !== "number" || !Number.isFinite(item)) {
      throw invalidValueType("invalid_search_vector", `.vector[${i}]`, "a number", item);
    }
  });
  return value as number[];
}

function parseHybrid(value: unknown): HybridQuery | undefined {
  if (value === undefined || value === null) return undefined;
  const hybrid = expectObject(value, "invalid_search_hybrid_query", ".hybrid");
  rejectUnknownFields(
    hybrid,
    ["semanticRatio", "embedder"],
    "invalid_search_hybrid_query",
    " inside `.hybrid`",
  );
  if (hybrid.embedder === undefined) {
    throw meiliError("invalid_search_hybrid_query", "Missing field `embedder` inside `.hybrid`");
  }
  if (typeof hybrid.embedder !== "string") {
    throw invalidValueType(
      "invalid_search_embedder",
      ".hybrid.embedder",
      "a string",
      hybrid.embedder,
    );
  }
  const ratio = hybrid.semanticRatio ?? 0.5;
  if (typeof ratio !== "number") {
    throw invalidValueType(
      "invalid_search_semantic_ratio",
      ".hybrid.semanticRatio",
      "a number",
      ratio,
    );
  }
  if (ratio < 0 || ratio > 1) {
    throw meiliError(
      "invalid_search_semantic_ratio",
      "Invalid value at `.hybrid.semanticRatio`: the value of `semanticRatio` is invalid, expected a float between `0.0` and `1.0`.",
    );
  }
  return { embedder: hybrid.embedder, semanticRatio: ratio };
}

const LIST_PARAMS = [
  "attributesToRetrieve",
  "attributesToCrop",
  "attributesToHighlight",
  "facets",
  "attributesToSearchOn",
  "locales",
];
const COUNT_PARAMS = ["offset", "limit", "page", "hitsPerPage", "cropLength"];
const BOOLEAN_PARAMS = [
  "showMatchesPosition",
  "showRankingScore",
  "showRankingScoreDetails",
  "showPerformanceDetails",
  "retrieveVectors",
];
const GET_CODES: Record<string, ErrorCode> = {
  offset: "invalid_search_offset",
  limit: "invalid_search_limit",
  page: "invalid_search_page",
  hitsPerPage: "invalid_search_hits_per_page",
  cropLength: "invalid_search_crop_length",
  showMatchesPosition: "invalid_search_show_matches_position",
  showRankingScore: "invalid_search_show_ranking_score",
  showRankingScoreDetails: "invalid_search_show_ranking_score_details",
  showPerformanceDetails: "invalid_search_show_performance_details",
  retrieveVectors: "invalid_search_retrieve_vectors",
  rankingScoreThreshold: "invalid_search_ranking_score_threshold",
};
const GET_PARAMS = [
  "q",
  "offset",
  "limit",
  "page",
  "hitsPerPage",
  "attributesToRetrieve",
  "retrieveVectors",
  "attributesToCrop",
  "cropLength",
  "attributesToHighlight",
  "filter",
  "sort",
  "distinct",
  "showMatchesPosition",
  "showRankingScore",
  "showRankingScoreDetails",
  "showPerformanceDetails",
  "facets",
  "highlightPreTag",
  "highlightPostTag",
  "cropMarker",
  "matchingStrategy",
  "attributesToSearchOn",
  "rankingScoreThreshold",
  "locales",
  "vector",
  "hybridEmbedder",
  "hybridSemanticRatio",
];

/** Reads the `GET /search` query string (comma lists, numbers, booleans) like Meilisearch. */
export function searchQueryFromParams(params: URLSearchParams): SearchQuery {
  const raw: Record<string, unknown> = {};
  for (const [name, value] of params) {
    if (!GET_PARAMS.includes(name)) {
      throw meiliError(
        "bad_request",
        `Unknown parameter \`${name}\`: expected one of ${GET_PARAMS.map((param) => `\`${param}\``).join(", ")}`,
      );
    }
    raw[name] = paramValue(name, value);
  }
  const { hybridEmbedder, hybridSemanticRatio, ...rest } = raw;
  if (hybridEmbedder !== undefined || hybridSemanticRatio !== undefined) {
    rest.hybrid = { embedder: hybridEmbedder, semanticRatio: hybridSemanticRatio };
  }
  return parseSearchQuery(rest);
}

function paramValue(name: string, value: string): unknown {
  if (LIST_PARAMS.includes(name)) return splitList(value);
  if (name === "sort") return splitList(value);
  if (COUNT_PARAMS.includes(name)) {
    if (!/^\d+$/.test(value)) throw invalidParam(name, value, "a positive integer");
    return Number(value);
  }
  if (BOOLEAN_PARAMS.includes(name)) {
    if (value !== "true" && value !== "false") {
      throw invalidParam(name, value, "a boolean, expected either `true` or `false`");
    }
    return value === "true";
  }
  if (name === "rankingScoreThreshold") {
    const number = Number(value);
    if (value.trim() === "" || !Number.isFinite(number)) throw invalidParam(name, value, "a float");
    return number;
  }
  if (name === "filter") return filterParam(value);
  if (name === "vector") return splitList(value).map(Number);
  if (name === "hybridSemanticRatio") {
    const number = Number(value);
    if (value.trim() === "" || !Number.isFinite(number)) {
      throw meiliError(
        "invalid_search_semantic_ratio",
        `Invalid value in parameter \`${name}\`: could not parse \`${value}\` as a float`,
      );
    }
    return number;
  }
  return value;
}

function invalidParam(name: string, value: string, expected: string) {
  return meiliError(
    GET_CODES[name] ?? "bad_request",
    `Invalid value in parameter \`${name}\`: could not parse \`${value}\` as ${expected}`,
  );
}

/**
 * Meilisearch reads a GET filter as JSON when it is JSON (any value), else as text; a
 * JSON `null` is refused there, unlike a POST `null`, which is no filter.
 */
function filterParam(value: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return value;
  }
  if (parsed === null) {
    throw meiliError(
      "invalid_search_filter",
      "Invalid syntax for the filter parameter: `expected String, Array, found: null`.",
    );
  }
  return parsed;
}

/** Splits a comma list, leaving commas inside parentheses (`_geoPoint(1, 2):asc`) alone. */
function splitList(value: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of value) {
    if (char === "(") depth++;
    if (char === ")") depth = Math.max(0, depth - 1);
    if (char === "," && depth === 0) {
      items.push(current.trim());
      current = "";
    } else {
      current += char;
    }
  }
  items.push(current.trim());
  return items.filter((item) => item !== "");
}
