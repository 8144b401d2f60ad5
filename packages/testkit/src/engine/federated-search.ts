import { MeiliError, meiliError } from "@miroir/errors";
import type { Document } from "./document.js";
import type { EngineIndex } from "./engine-index.js";
import { type FacetDistribution, type FacetStats, facetAnswer, facetAttributes } from "./facets.js";
import { type RankedDocument, type RankedResult, rankedSearch } from "./ranked-search.js";
import {
  expectObject,
  insideQuery,
  invalidValueType,
  optionalBoolean,
  optionalCount,
  optionalStrings,
  rejectUnknownFields,
} from "./request-values.js";
import { formatHit, inInsertionOrder } from "./search.js";
import { parseSearchQuery, type SearchQuery } from "./search-query.js";

/** The answer of a federated multi-search, in Meilisearch's shape. */
export interface FederatedAnswer {
  hits: Document[];
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
  facetsByIndex?: Record<string, { distribution: FacetDistribution; stats: FacetStats }>;
}

interface FederatedQuery {
  index: EngineIndex;
  query: SearchQuery;
  weight: number;
  position: number;
}

interface FederatedHit {
  hit: RankedDocument;
  source: FederatedQuery;
  result: RankedResult;
  weighted: number;
}

const FEDERATION_FIELDS = [
  "offset",
  "limit",
  "page",
  "hitsPerPage",
  "facetsByIndex",
  "mergeFacets",
  "showPerformanceDetails",
];
const PAGINATION_FIELDS = ["offset", "limit", "page", "hitsPerPage"];

/**
 * Answers `POST /multi-search` with `federation`: every query's hits merged into one list
 * ordered by weighted ranking score, each hit carrying `_federation`.
 */
export function federatedSearch(
  lookup: (uid: string) => EngineIndex,
  raw: unknown,
): FederatedAnswer {
  const started = performance.now();
  const body = expectObject(raw, "bad_request");
  const federation = expectObject(body.federation, "bad_request", ".federation");
  rejectUnknownFields(federation, FEDERATION_FIELDS, "bad_request", " inside `.federation`");
  optionalBoolean(
    federation.showPerformanceDetails,
    "invalid_search_show_performance_details",
    ".federation.showPerformanceDetails",
  );
  if (!Array.isArray(body.queries))
    throw invalidValueType("bad_request", ".queries", "an array", body.queries);
  const queries = body.queries.map((entry, position) => {
    try {
      return federatedQuery(lookup, entry, position);
    } catch (error) {
      throw insideQuery(error, position);
    }
  });

  const merged = new Map<string, FederatedHit>();
  for (const source of queries) {
    let result: RankedResult;
    try {
      result = rankedSearch(source.index, source.query);
    } catch (error) {
      throw insideQuery(error, source.position);
    }
    for (const hit of result.ranked) {
      const id = `${source.index.uid}\u0000${hit.key}`;
      const candidate = { hit, source, result, weighted: hit.score * source.weight };
      const existing = merged.get(id);
      if (existing === undefined || compareFederated(candidate, existing) < 0)
        merged.set(id, candidate);
    }
  }
  const ordered = [...merged.values()].sort(compareFederated);
  const answer = paginate(ordered, federation);
  const facets = federatedFacets(federation, queries);
  const { hits, ...paging } = answer;
  const processingTimeMs = Math.round(performance.now() - started);
  return { hits, processingTimeMs, ...paging, ...facets };
}

function federatedQuery(
  lookup: (uid: string) => EngineIndex,
  entry: unknown,
  position: number,
): FederatedQuery {
  const object = expectObject(entry, "bad_request");
  const { indexUid, federationOptions, ...rest } = object;
  if (typeof indexUid !== "string")
    throw meiliError("missing_index_uid", "Missing field `indexUid`");
  for (const field of PAGINATION_FIELDS) {
    if (rest[field] !== undefined) {
      throw meiliError(
        "invalid_multi_search_query_pagination",
        `Using pagination options is not allowed in federated queries.\n - Hint: remove \`${field}\` from query #${position} or remove \`federation\` from the request\n - Hint: pass \`federation.limit\` and \`federation.offset\` for pagination in federated search`,
      );
    }
  }
  if (rest.facets !== undefined) {
    throw meiliError(
      "invalid_multi_search_query_facets",
      `Using facets is not allowed in federated queries.\n - Hint: remove \`facets\` from query #${position} or remove \`federation\` from the request\n - Hint: pass \`federation.facetsByIndex.${indexUid}: ${JSON.stringify(rest.facets)}\` for facets in federated search`,
    );
  }
  let weight = 1;
  if (federationOptions !== undefined && federationOptions !== null) {
    const options = expectObject(
      federationOptions,
      "invalid_multi_search_federation_options",
      ".federationOptions",
    );
    if (options.weight !== undefined) {
      if (typeof options.weight !== "number" || options.weight < 0) {
        throw invalidValueType(
          "invalid_multi_search_weight",
          ".federationOptions.weight",
          "a positive number",
          options.weight,
        );
      }
      weight = options.weight;
    }
  }
  return { index: lookup(indexUid), query: parseSearchQuery(rest), weight, position };
}

/** Higher weighted score first; equal scores by query position, then by each query's own order. */
function compareFederated(a: FederatedHit, b: FederatedHit): number {
  if (a.source === b.source)
    return a.result.plan.compare(a.hit, b.hit) || a.hit.order - b.hit.order;
  if (a.weighted !== b.weighted) return b.weighted - a.weighted;
  return a.source.position - b.source.position || a.hit.order - b.hit.order;
}

function paginate(
  ordered: FederatedHit[],
  federation: Record<string, unknown>,
): Omit<FederatedAnswer, "processingTimeMs"> {
  const toHit = ({ hit, source, result, weighted }: FederatedHit): Document => ({
    ...formatHit(hit, source.query, source.index, result),
    _federation: {
      indexUid: source.index.uid,
      queriesPosition: source.position,
      weightedRankingScore: weighted,
    },
  });
  const page = optionalCount(federation.page, "invalid_multi_search_federated", ".federation.page");
  const hitsPerPage = optionalCount(
    federation.hitsPerPage,
    "invalid_multi_search_federated",
    ".federation.hitsPerPage",
  );
  if (page !== undefined || hitsPerPage !== undefined) {
    const p = page ?? 1;
    const size = hitsPerPage ?? 20;
    return {
      hits: p === 0 ? [] : ordered.slice((p - 1) * size, p * size).map(toHit),
      hitsPerPage: size,
      page: p,
      totalPages: size === 0 ? 0 : Math.ceil(ordered.length / size),
      totalHits: ordered.length,
    };
  }
  const offset =
    optionalCount(federation.offset, "invalid_multi_search_federated", ".federation.offset") ?? 0;
  const limit =
    optionalCount(federation.limit, "invalid_multi_search_federated", ".federation.limit") ?? 20;
  return {
    hits: ordered.slice(offset, offset + limit).map(toHit),
    limit,
    offset,
    estimatedTotalHits: ordered.length,
  };
}

function federatedFacets(
  federation: Record<string, unknown>,
  queries: readonly FederatedQuery[],
): Pick<FederatedAnswer, "facetsByIndex" | "facetDistribution" | "facetStats"> {
  if (federation.facetsByIndex === undefined || federation.facetsByIndex === null) return {};
  const byIndex = expectObject(
    federation.facetsByIndex,
    "invalid_multi_search_facets_by_index",
    ".federation.facetsByIndex",
  );
  const facetsByIndex: NonNullable<FederatedAnswer["facetsByIndex"]> = {};
  for (const [uid, raw] of Object.entries(byIndex)) {
    const facets =
      optionalStrings(
        raw,
        "invalid_multi_search_facets_by_index",
        `.federation.facetsByIndex.${uid}`,
      ) ?? [];
    const sources = queries.filter((query) => query.index.uid === uid);
    const first = sources[0];
    if (first === undefined) {
      throw meiliError(
        "invalid_multi_search_facets_by_index",
        `Inside \`.federation.facetsByIndex.${uid}\`: Index \`${uid}\` is not used in queries.`,
      );
    }
    const attributes = withFacetCode(() =>
      facetAttributes(facets, first.index.settings, first.index.documents.values(), uid),
    );
    const documents = new Map<string, RankedDocument>();
    for (const source of sources) {
      for (const hit of rankedSearch(source.index, source.query).candidates) {
        documents.set(hit.key, hit);
      }
    }
    const { facetDistribution, facetStats } = facetAnswer(
      inInsertionOrder([...documents.values()]),
      attributes,
      first.index.settings,
    );
    facetsByIndex[uid] = { distribution: facetDistribution, stats: facetStats };
  }
  if (federation.mergeFacets === undefined || federation.mergeFacets === null)
    return { facetsByIndex };
  const orderOf = (attribute: string): "alpha" | "count" => {
    for (const uid of Object.keys(facetsByIndex)) {
      if (facetsByIndex[uid]?.distribution[attribute] === undefined) continue;
      const by = queries.find((query) => query.index.uid === uid)?.index.settings.faceting
        .sortFacetValuesBy;
      return by?.[attribute] ?? by?.["*"] ?? "alpha";
    }
    return "alpha";
  };
  const { maxValuesPerFacet } = federation.mergeFacets as { maxValuesPerFacet?: unknown };
  return mergeFacets(
    facetsByIndex,
    orderOf,
    typeof maxValuesPerFacet === "number" ? maxValuesPerFacet : undefined,
  );
}

function withFacetCode<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (!(error instanceof MeiliError)) throw error;
    throw new MeiliError(
      {
        ...error.toBody(),
        code: "invalid_multi_search_facets",
        link: "https://docs.meilisearch.com/errors#invalid_multi_search_facets",
      },
      error.status,
    );
  }
}

/**
 * Meilisearch's `mergeFacets`: the indexes' distributions (each already cut to its index's
 * `maxValuesPerFacet`) summed value by value, ordered by the facet's order in the first
 * index that has it (alphabetical by the written value, or most frequent first) and cut
 * to `maxValuesPerFacet` when given.
 */
function mergeFacets(
  byIndex: NonNullable<FederatedAnswer["facetsByIndex"]>,
  orderOf: (attribute: string) => "alpha" | "count",
  maxValuesPerFacet: number | undefined,
): Pick<FederatedAnswer, "facetDistribution" | "facetStats"> {
  const facetDistribution: FacetDistribution = {};
  const facetStats: FacetStats = {};
  for (const { distribution, stats } of Object.values(byIndex)) {
    for (const [attribute, values] of Object.entries(distribution)) {
      const target = facetDistribution[attribute] ?? {};
      facetDistribution[attribute] = target;
      for (const [value, count] of Object.entries(values))
        target[value] = (target[value] ?? 0) + count;
    }
    for (const [attribute, { min, max }] of Object.entries(stats)) {
      const current = facetStats[attribute];
      facetStats[attribute] =
        current === undefined
          ? { min, max }
          : { min: Math.min(current.min, min), max: Math.max(current.max, max) };
    }
  }
  for (const [attribute, values] of Object.entries(facetDistribution)) {
    const entries = Object.entries(values);
    if (orderOf(attribute) === "count") entries.sort((a, b) => b[1] - a[1]);
    else entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    facetDistribution[attribute] = Object.fromEntries(
      maxValuesPerFacet === undefined ? entries : entries.slice(0, maxValuesPerFacet),
    );
  }
  return { facetDistribution, facetStats };
}
