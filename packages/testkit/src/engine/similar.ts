import { type ErrorCode, MeiliError, meiliError } from "@miroir/errors";
import type { Document } from "./document.js";
import { embeddingsOf, withVectors } from "./document-vectors.js";
import { embedderNamed } from "./embedders.js";
import type { EngineIndex } from "./engine-index.js";
import type { Filter, FilterArray } from "./filter.js";
import { containsFilterCheck, filterableCheck, matchFilter } from "./filter-match.js";
import { parseFilter } from "./filter-parser.js";
import {
  expectObject,
  invalidValueType,
  optionalBoolean,
  optionalCount,
  optionalStrings,
  rejectUnknownFields,
} from "./request-values.js";
import { selectFields } from "./select-fields.js";
import { type SemanticHit, semanticRanking } from "./semantic-ranking.js";

/** A validated `/similar` request. */
export interface SimilarQuery {
  id: string;
  embedder: string;
  offset?: number;
  limit?: number;
  filter?: string | FilterArray;
  attributesToRetrieve?: string[];
  retrieveVectors?: boolean;
  showRankingScore?: boolean;
  showRankingScoreDetails?: boolean;
  showPerformanceDetails?: boolean;
  rankingScoreThreshold?: number;
}

/** `/similar`'s answer in Meilisearch's key order. */
export interface SimilarAnswer {
  hits: Document[];
  id: string;
  processingTimeMs: number;
  limit: number;
  offset: number;
  estimatedTotalHits: number;
}

const SIMILAR_FIELDS = [
  "id",
  "offset",
  "limit",
  "filter",
  "embedder",
  "attributesToRetrieve",
  "retrieveVectors",
  "showRankingScore",
  "showRankingScoreDetails",
  "showPerformanceDetails",
  "rankingScoreThreshold",
];
const DOCUMENT_ID = /^[a-zA-Z0-9_-]{1,511}$/;
const DEFAULT_LIMIT = 20;

/** Validates a `POST /similar` body with Meilisearch's codes and wording. */
export function parseSimilarQuery(raw: unknown): SimilarQuery {
  const body = expectObject(raw, "bad_request");
  rejectUnknownFields(body, SIMILAR_FIELDS, "bad_request");
  if (body.id === undefined) throw meiliError("bad_request", "Missing field `id`");
  if (body.embedder === undefined) throw meiliError("bad_request", "Missing field `embedder`");
  if (typeof body.embedder !== "string") {
    throw invalidValueType("invalid_similar_embedder", ".embedder", "a string", body.embedder);
  }
  const query: SimilarQuery = { id: similarId(body.id), embedder: body.embedder };
  const set = <K extends keyof SimilarQuery>(key: K, value: SimilarQuery[K] | undefined) => {
    if (value !== undefined) query[key] = value;
  };
  set("offset", optionalCount(body.offset, "invalid_similar_offset", ".offset"));
  set("limit", optionalCount(body.limit, "invalid_similar_limit", ".limit"));
  set("filter", similarFilter(body.filter));
  set(
    "attributesToRetrieve",
    optionalStrings(
      body.attributesToRetrieve,
      "invalid_similar_attributes_to_retrieve",
      ".attributesToRetrieve",
    ),
  );
  for (const [field, code] of [
    ["retrieveVectors", "invalid_similar_retrieve_vectors"],
    ["showRankingScore", "invalid_similar_show_ranking_score"],
    ["showRankingScoreDetails", "invalid_similar_show_ranking_score_details"],
    ["showPerformanceDetails", "invalid_similar_show_performance_details"],
  ] as const) {
    set(field, optionalBoolean(body[field], code, `.${field}`));
  }
  set("rankingScoreThreshold", similarThreshold(body.rankingScoreThreshold));
  return query;
}

const GET_PARAMS: Record<string, ErrorCode> = {
  id: "invalid_similar_id",
  embedder: "invalid_similar_embedder",
  offset: "invalid_similar_offset",
  limit: "invalid_similar_limit",
  filter: "invalid_similar_filter",
  attributesToRetrieve: "invalid_similar_attributes_to_retrieve",
  retrieveVectors: "invalid_similar_retrieve_vectors",
  showRankingScore: "invalid_similar_show_ranking_score",
  showRankingScoreDetails: "invalid_similar_show_ranking_score_details",
  showPerformanceDetails: "invalid_similar_show_performance_details",
  rankingScoreThreshold: "invalid_similar_ranking_score_threshold",
};

/** Reads the `GET /similar` query string (comma lists, numbers, booleans) like Meilisearch. */
export function similarQueryFromParams(params: URLSearchParams): SimilarQuery {
  const raw: Record<string, unknown> = {};
  for (const [name, value] of params) {
    const code = GET_PARAMS[name];
    if (code === undefined) {
      throw meiliError(
        "bad_request",
        `Unknown parameter \`${name}\`: expected one of ${Object.keys(GET_PARAMS)
          .map((param) => `\`${param}\``)
          .join(", ")}`,
      );
    }
    const invalid = (expected: string) =>
      meiliError(
        code,
        `Invalid value in parameter \`${name}\`: could not parse \`${value}\` as ${expected}`,
      );
    if (name === "offset" || name === "limit") {
      if (!/^\d+$/.test(value)) throw invalid("a positive integer");
      raw[name] = Number(value);
    } else if (name.startsWith("show") || name === "retrieveVectors") {
      if (value !== "true" && value !== "false") {
        throw invalid("a boolean, expected either `true` or `false`");
      }
      raw[name] = value === "true";
    } else if (name === "rankingScoreThreshold") {
      if (value.trim() === "" || !Number.isFinite(Number(value))) throw invalid("a float");
      raw[name] = Number(value);
    } else if (name === "attributesToRetrieve") {
      raw[name] = value
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== "");
    } else if (name === "filter") {
      raw[name] = similarFilterParam(value);
    } else raw[name] = value;
  }
  return parseSimilarQuery(raw);
}

/**
 * Meilisearch reads a GET filter as JSON when it is JSON (any value), else as text; a
 * JSON `null` is refused there, unlike a POST `null`, which is no filter.
 */
function similarFilterParam(value: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return value;
  }
  if (parsed === null) {
    throw meiliError(
      "invalid_similar_filter",
      "Invalid syntax for the filter parameter: `expected String, Array, found: null`.",
    );
  }
  return parsed;
}

function similarId(value: unknown): string {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === "string" && DOCUMENT_ID.test(value)) return value;
  throw meiliError(
    "invalid_similar_id",
    `Invalid value at \`.id\`: the value of \`id\` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.`,
  );
}

function similarFilter(value: unknown): string | FilterArray | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value as FilterArray;
  throw meiliError(
    "invalid_similar_filter",
    `Invalid syntax for the filter parameter: \`expected String, Array, found: ${JSON.stringify(value)}\`.`,
  );
}

function similarThreshold(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number") {
    throw invalidValueType(
      "invalid_similar_ranking_score_threshold",
      ".rankingScoreThreshold",
      "a number",
      value,
    );
  }
  if (value < 0 || value > 1) {
    throw meiliError(
      "invalid_similar_ranking_score_threshold",
      "Invalid value at `.rankingScoreThreshold`: the value of `rankingScoreThreshold` is invalid, expected a float between `0.0` and `1.0`.",
    );
  }
  return value;
}

/** The filter of a `/similar` request, its errors under `invalid_similar_filter`. */
/** The filter parsed; its syntax is checked before the target is looked up, as Meilisearch does. */
function parsedFilter(filter: string | FilterArray | undefined): Filter {
  if (filter === undefined) return { kind: "all" };
  return asSimilarError(() => parseFilter(filter));
}

/** What the filter may use, checked once the target is known. */
function checkFilterable(index: EngineIndex, filter: Filter): void {
  asSimilarError(() => {
    if (index.features?.containsFilter !== true) containsFilterCheck(filter);
    filterableCheck(filter, index.settings, "invalid_similar_filter", index.uid);
  });
}

function asSimilarError<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof MeiliError && error.code === "invalid_search_filter") {
      throw meiliError("invalid_similar_filter", error.message);
    }
    throw error;
  }
}

/**
 * Documents similar to the one named by `id`, as Meilisearch's `/similar` answers: ranked by
 * the similarity of their embedding to the target's (its first embedding), the target
 * itself left out. `visibleTo` (a tenant token's rule) makes a target outside it unknown.
 * A target without an embedding has no similar documents, though its total still counts
 * every candidate the filter lets through. Like a search, the ranking is cut at
 * `pagination.maxTotalHits`. Candidates without an embedding count in
 * `estimatedTotalHits` but are not returned, as on Meilisearch.
 */
export function similarDocuments(
  index: EngineIndex,
  query: SimilarQuery,
  visibleTo?: Filter,
): SimilarAnswer {
  const started = performance.now();
  embedderNamed(index.settings, query.embedder, "invalid_similar_embedder");
  const filter = parsedFilter(query.filter);
  const target = index.documents.get(query.id);
  // A tenant token's rule hides the documents outside it, the target included.
  if (target === undefined || (visibleTo !== undefined && !matchFilter(target, visibleTo))) {
    throw meiliError("not_found_similar_id", `Document \`${query.id}\` not found.`);
  }
  checkFilterable(index, filter);
  const offset = query.offset ?? 0;
  const limit = query.limit ?? DEFAULT_LIMIT;
  const vector = firstEmbedding(target, query.embedder);
  const ranking =
    vector === undefined
      ? undefined
      : semanticRanking(index, {
          embedder: query.embedder,
          target: vector,
          filter,
          sort: [],
          exclude: query.id,
        });
  const threshold = query.rankingScoreThreshold;
  const ranked = (ranking?.hits ?? [])
    .filter((hit) => threshold === undefined || (hit.similarity ?? 0) >= threshold)
    .slice(0, index.settings.pagination.maxTotalHits);
  // documents without a vector count among the candidates but are never returned
  const withVector = ranked.filter((hit) => hit.similarity !== null);
  const hits = withVector.slice(offset, offset + limit).map((hit) => {
    const shown = withVectors(
      selectFields(hit.doc, query.attributesToRetrieve, index.settings.displayedAttributes),
      hit.doc,
      index.settings,
      query.retrieveVectors,
    );
    return withScores(shown, hit, query, ranking?.details(hit) ?? {});
  });
  return {
    hits,
    id: query.id,
    processingTimeMs: Math.round(performance.now() - started),
    limit,
    offset,
    estimatedTotalHits:
      vector === undefined ? candidateCount(index, filter, query.id) : ranked.length,
  };
}

/** The documents `filter` lets through, `exclude` left out, cut at `maxTotalHits`. */
function candidateCount(index: EngineIndex, filter: Filter, exclude: string): number {
  let count = 0;
  for (const [id, doc] of index.documents) {
    if (id !== exclude && (filter.kind === "all" || matchFilter(doc, filter))) count++;
  }
  return Math.min(count, index.settings.pagination.maxTotalHits);
}

function firstEmbedding(doc: Document, embedder: string): number[] | undefined {
  return embeddingsOf(doc, embedder)[0];
}

function withScores(
  shown: Document,
  hit: SemanticHit,
  query: { showRankingScore?: boolean; showRankingScoreDetails?: boolean },
  details: Record<string, unknown>,
): Document {
  if (query.showRankingScore === true) shown._rankingScore = hit.similarity ?? 0;
  if (query.showRankingScoreDetails === true) shown._rankingScoreDetails = details;
  return shown;
}
