import { MeiliError, meiliError } from "@miroir/errors";
import { Hono } from "hono";
import {
  type Filter,
  type FilterArray,
  facetSearch,
  federatedSearch,
  parseFilter,
  parseSearchQuery,
  parseSimilarQuery,
  search,
  searchQueryFromParams,
  similarDocuments,
  similarQueryFromParams,
} from "../../../engine/index.js";
import { type Access, type AccessEnv, authorize, invalidApiKey } from "../../auth/access.js";
import type { SearchFilter } from "../../auth/tenant-token.js";
import { checkIndexUid, type IndexRegistry, indexNotFound } from "../../index-registry.js";
import type { NodeState } from "../../node-state.js";
import {
  checkKnownFields,
  expectObject,
  invalidType,
  missingField,
  readJson,
} from "../../request-body.js";
import { pinsFor, type SearchRule } from "../dynamic-search-rules/search-rules.js";
import { requestUid, withRequestInfo } from "./request-info.js";
import { withRuleFilter, withRuleFilterParam } from "./tenant-filter.js";

/** An error of one query of a multi-search, located as Meilisearch locates it. */
function insideQuery(error: unknown, position: number): unknown {
  if (!(error instanceof MeiliError)) return error;
  const status = error.code === "index_not_found" ? 400 : error.status;
  return new MeiliError(
    {
      message: `Inside \`.queries[${position}]\`: ${error.message}`,
      code: error.code,
      type: error.type,
      link: error.link,
    },
    status,
  );
}

function multiSearch(
  indexes: IndexRegistry,
  rules: Map<string, SearchRule>,
  access: Access,
  raw: unknown,
) {
  const startedAt = performance.now();
  const uid = requestUid();
  const body = expectObject(raw);
  checkKnownFields(body, ["queries", "federation"]);
  if (body.queries === undefined) throw missingField("bad_request", "queries");
  if (!Array.isArray(body.queries)) {
    throw invalidType("bad_request", ".queries", "an array", body.queries);
  }
  const queries = body.queries.map((query, i) => {
    const object = expectObject(query, "bad_request");
    if (typeof object.indexUid !== "string") {
      throw meiliError("missing_index_uid", `Missing field \`indexUid\` inside \`.queries[${i}]\``);
    }
    checkIndexUid(object.indexUid, `Invalid value at \`.queries[${i}].indexUid\`: `);
    if (!access.allows(object.indexUid)) throw invalidApiKey();
    return withRuleFilter(object, access.searchFilter(object.indexUid)) as Record<string, unknown>;
  });
  if (body.federation !== undefined && body.federation !== null) {
    queries.forEach((query, i) => {
      if ("showPerformanceDetails" in query) {
        throw meiliError(
          "invalid_multi_search_query_show_performance_details",
          `Inside \`.queries[${i}]\`: Using \`.showPerformanceDetails\` is not allowed in federated queries.\n - Hint: remove \`showPerformanceDetails\` from the query or remove \`federation\` from the request`,
        );
      }
    });
    const answer = federatedSearch(
      (indexUid) => {
        const index = indexes.find(indexUid);
        if (index === undefined) throw new MeiliError(indexNotFound(indexUid).toBody(), 400);
        return index;
      },
      { ...body, queries },
    );
    const { showPerformanceDetails } = body.federation as { showPerformanceDetails?: boolean };
    return withRequestInfo(answer, { uid, startedAt, showPerformanceDetails });
  }
  const results = queries.map((query, i) => {
    const { indexUid, ...rest } = query;
    try {
      if ("federationOptions" in rest) {
        throw meiliError(
          "invalid_multi_search_federation_options",
          `Using \`federationOptions\` is not allowed in a non-federated search.\n - Hint: remove \`federationOptions\` from query #${i} or add \`federation\` to the request.`,
        );
      }
      const index = indexes.get(checkIndexUid(indexUid));
      const query = parseSearchQuery(rest);
      const started = performance.now();
      const pins = pinsFor(rules.values(), index.uid, query.q ?? "");
      return withRequestInfo(
        { indexUid, ...search(index, query, pins) },
        { uid, startedAt: started, showPerformanceDetails: query.showPerformanceDetails },
      );
    } catch (error) {
      throw insideQuery(error, i);
    }
  });
  return { results };
}

/** The documents a tenant token's rule lets the caller see, parsed; undefined without a rule. */
function visibleTo(rule: SearchFilter | null): Filter | undefined {
  return rule === null ? undefined : parseFilter(rule as string | FilterArray);
}

/** Search, facet search, similar documents and multi-search, each answered by the engine. */
export function searchRoutes(state: NodeState): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  const { indexes, keys, searchRules } = state;

  app.post("/indexes/:uid/search", authorize(keys, "search"), async (c) => {
    const uid = checkIndexUid(c.req.param("uid"));
    const raw = withRuleFilter(
      await readJson(c, state.payloadLimit),
      c.var.access.searchFilter(uid),
    );
    const startedAt = performance.now();
    const query = parseSearchQuery(raw);
    return c.json(
      withRequestInfo(
        search(indexes.get(uid), query, pinsFor(searchRules.values(), uid, query.q ?? "")),
        {
          uid: requestUid(),
          startedAt,
          showPerformanceDetails: query.showPerformanceDetails,
        },
      ),
    );
  });

  app.get("/indexes/:uid/search", authorize(keys, "search"), (c) => {
    const uid = checkIndexUid(c.req.param("uid"));
    const params = new URL(c.req.url).searchParams;
    withRuleFilterParam(params, c.var.access.searchFilter(uid));
    const startedAt = performance.now();
    const query = searchQueryFromParams(params);
    return c.json(
      withRequestInfo(
        search(indexes.get(uid), query, pinsFor(searchRules.values(), uid, query.q ?? "")),
        {
          uid: requestUid(),
          startedAt,
          showPerformanceDetails: query.showPerformanceDetails,
        },
      ),
    );
  });

  app.post("/indexes/:uid/facet-search", authorize(keys, "search"), async (c) => {
    const uid = checkIndexUid(c.req.param("uid"));
    const raw = withRuleFilter(
      await readJson(c, state.payloadLimit),
      c.var.access.searchFilter(uid),
    );
    return c.json(facetSearch(indexes.get(uid), raw));
  });

  app.post("/indexes/:uid/similar", authorize(keys, "search"), async (c) => {
    const uid = checkIndexUid(c.req.param("uid"));
    const rule = c.var.access.searchFilter(uid);
    const raw = withRuleFilter(await readJson(c, state.payloadLimit), rule);
    const startedAt = performance.now();
    const query = parseSimilarQuery(raw);
    return c.json(
      withRequestInfo(similarDocuments(indexes.get(uid), query, visibleTo(rule)), {
        startedAt,
        showPerformanceDetails: query.showPerformanceDetails,
      }),
    );
  });

  app.get("/indexes/:uid/similar", authorize(keys, "search"), (c) => {
    const uid = checkIndexUid(c.req.param("uid"));
    const params = new URL(c.req.url).searchParams;
    const rule = c.var.access.searchFilter(uid);
    withRuleFilterParam(params, rule);
    const startedAt = performance.now();
    const query = similarQueryFromParams(params);
    return c.json(
      withRequestInfo(similarDocuments(indexes.get(uid), query, visibleTo(rule)), {
        startedAt,
        showPerformanceDetails: query.showPerformanceDetails,
      }),
    );
  });

  app.post("/multi-search", authorize(keys, "search"), async (c) => {
    const body = await readJson(c, state.payloadLimit);
    return c.json(multiSearch(indexes, state.searchRules, c.var.access, body));
  });

  return app;
}
