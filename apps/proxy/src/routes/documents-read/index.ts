import { Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import { indexPath } from "../../node-client/index.js";
import { listDocuments } from "../../reads/documents-listing.js";
import { ownedDocument } from "../../reads/owned-document.js";
import { readResponse } from "../answers.js";
import { clientRequest } from "../client-request.js";
import { browseQueryOfParams } from "./browse-params.js";

/** Document reads: browse and fetch (scatter-gather), get one (its shard only). */
export function documentReadRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;

  routes.get("/indexes/:indexUid/documents", async (c) => {
    const indexUid = c.req.param("indexUid");
    const params = new URL(c.req.url).searchParams;
    const original = clientRequest(c, `${indexPath(indexUid)}/documents`);
    return readResponse(await listDocuments(ctx, indexUid, browseQueryOfParams(params), original));
  });

  routes.post("/indexes/:indexUid/documents/fetch", async (c) => {
    const indexUid = c.req.param("indexUid");
    const body = await readJsonBody(c, limit);
    const original = clientRequest(c, `${indexPath(indexUid)}/documents/fetch`, body);
    return readResponse(await listDocuments(ctx, indexUid, body, original));
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
