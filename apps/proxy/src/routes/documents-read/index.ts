import { Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import type { OriginalRequest } from "../../scatter/original-request.js";
import { readResponse } from "../../scatter/read-answer.js";
import { indexPath } from "../index-uid.js";
import { browseQueryOfParams } from "./browse-params.js";
import { ownedDocument } from "./owned-document.js";
import { shardedBrowse } from "./sharded-browse.js";

/** Document reads: browse and fetch (scatter-gather), get one (its shard only). */
export function documentReadRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;

  routes.get("/indexes/:indexUid/documents", async (c) => {
    const indexUid = c.req.param("indexUid");
    const params = new URL(c.req.url).searchParams;
    const path = `${indexPath(indexUid)}/documents`;
    const original: OriginalRequest = (nodeId) =>
      ctx.nodes.call(nodeId, { method: "GET", path, query: Object.fromEntries(params) });
    return readResponse(await shardedBrowse(ctx, indexUid, browseQueryOfParams(params), original));
  });

  routes.post("/indexes/:indexUid/documents/fetch", async (c) => {
    const indexUid = c.req.param("indexUid");
    const body = await readJsonBody(c, limit);
    const path = `${indexPath(indexUid)}/documents/fetch`;
    const original: OriginalRequest = (nodeId) =>
      ctx.nodes.call(nodeId, { method: "POST", path, json: body });
    return readResponse(await shardedBrowse(ctx, indexUid, body, original));
  });

  routes.get("/indexes/:indexUid/documents/:documentId", async (c) => {
    const params = Object.fromEntries(new URL(c.req.url).searchParams);
    const document = await ownedDocument(
      ctx,
      c.req.param("indexUid"),
      c.req.param("documentId"),
      params,
    );
    return c.json(document);
  });

  return routes;
}
