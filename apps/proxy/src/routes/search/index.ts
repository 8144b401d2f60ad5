import { Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import { facetSearchIndex } from "../../reads/facet-search.js";
import { multiSearch } from "../../reads/multi-search.js";
import { searchIndex } from "../../reads/search.js";
import { readResponse } from "../answers.js";
import { answerIndexRead } from "../index-read.js";
import { searchQueryOfParams } from "./search-query-params.js";

/** Scatter-gather searches: search (GET, POST), facet search and multi-search. */
export function searchRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();

  routes.get("/indexes/:indexUid/search", (c) =>
    answerIndexRead(c, ctx, searchIndex, "search", searchQueryOfParams, true),
  );
  routes.post("/indexes/:indexUid/search", (c) =>
    answerIndexRead(c, ctx, searchIndex, "search", undefined, true),
  );
  routes.post("/indexes/:indexUid/facet-search", (c) =>
    answerIndexRead(c, ctx, facetSearchIndex, "facet-search"),
  );

  routes.post("/multi-search", async (c) => {
    const body = await readJsonBody(c, ctx.config.server.body_limit_bytes);
    const original = { method: "POST", path: "/multi-search", json: body } as const;
    return readResponse(await multiSearch(ctx, body, original));
  });

  return routes;
}
