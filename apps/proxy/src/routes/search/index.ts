import { Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import type { OriginalRequest } from "../../scatter/original-request.js";
import { readResponse } from "../../scatter/read-answer.js";
import { indexPath } from "../index-uid.js";
import { searchQueryOfParams } from "./search-query-params.js";
import { shardedFacetSearch } from "./sharded-facet-search.js";
import { shardedMultiSearch } from "./sharded-multi-search.js";
import { shardedSearch } from "./sharded-search.js";

/** Scatter-gather searches: search (GET, POST), facet search and multi-search. */
export function searchRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;
  const postOriginal =
    (path: string, body: unknown): OriginalRequest =>
    (nodeId) =>
      ctx.nodes.call(nodeId, { method: "POST", path, json: body });

  routes.get("/indexes/:indexUid/search", async (c) => {
    const indexUid = c.req.param("indexUid");
    const path = `${indexPath(indexUid)}/search`;
    const params = new URL(c.req.url).searchParams;
    const original: OriginalRequest = (nodeId) =>
      ctx.nodes.call(nodeId, { method: "GET", path, query: Object.fromEntries(params) });
    return readResponse(await shardedSearch(ctx, indexUid, searchQueryOfParams(params), original));
  });

  routes.post("/indexes/:indexUid/search", async (c) => {
    const indexUid = c.req.param("indexUid");
    const body = await readJsonBody(c, limit);
    const original = postOriginal(`${indexPath(indexUid)}/search`, body);
    return readResponse(await shardedSearch(ctx, indexUid, body, original));
  });

  routes.post("/indexes/:indexUid/facet-search", async (c) => {
    const indexUid = c.req.param("indexUid");
    const body = await readJsonBody(c, limit);
    const original = postOriginal(`${indexPath(indexUid)}/facet-search`, body);
    return readResponse(await shardedFacetSearch(ctx, indexUid, body, original));
  });

  routes.post("/multi-search", async (c) => {
    const body = await readJsonBody(c, limit);
    return readResponse(await shardedMultiSearch(ctx, body, postOriginal("/multi-search", body)));
  });

  return routes;
}
