import { Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import { indexPath } from "../../node-client/index.js";
import { facetSearchIndex } from "../../reads/facet-search.js";
import { multiSearch } from "../../reads/multi-search.js";
import { searchIndex } from "../../reads/search.js";
import { readResponse } from "../answers.js";
import { clientRequest } from "../client-request.js";
import { searchQueryOfParams } from "./search-query-params.js";

/** Scatter-gather searches: search (GET, POST), facet search and multi-search. */
export function searchRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;

  routes.get("/indexes/:indexUid/search", async (c) => {
    const indexUid = c.req.param("indexUid");
    const params = new URL(c.req.url).searchParams;
    const original = clientRequest(c, `${indexPath(indexUid)}/search`);
    return readResponse(await searchIndex(ctx, indexUid, searchQueryOfParams(params), original));
  });

  routes.post("/indexes/:indexUid/search", async (c) => {
    const indexUid = c.req.param("indexUid");
    const body = await readJsonBody(c, limit);
    const original = clientRequest(c, `${indexPath(indexUid)}/search`, body);
    return readResponse(await searchIndex(ctx, indexUid, body, original));
  });

  routes.post("/indexes/:indexUid/facet-search", async (c) => {
    const indexUid = c.req.param("indexUid");
    const body = await readJsonBody(c, limit);
    const original = clientRequest(c, `${indexPath(indexUid)}/facet-search`, body);
    return readResponse(await facetSearchIndex(ctx, indexUid, body, original));
  });

  routes.post("/multi-search", async (c) => {
    const body = await readJsonBody(c, limit);
    return readResponse(await multiSearch(ctx, body, clientRequest(c, "/multi-search", body)));
  });

  return routes;
}
