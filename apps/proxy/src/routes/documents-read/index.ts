import { Hono } from "hono";
import type { ProxyContext } from "../../context.js";
import { listDocuments } from "../../reads/documents-listing.js";
import { ownedDocument } from "../../reads/owned-document.js";
import { answerIndexRead } from "../index-read.js";
import { browseQueryOfParams } from "./browse-params.js";

/** Document reads: browse and fetch (scatter-gather), get one (its shard only). */
export function documentReadRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();

  routes.get("/indexes/:indexUid/documents", (c) =>
    answerIndexRead(c, ctx, listDocuments, "documents", browseQueryOfParams),
  );
  routes.post("/indexes/:indexUid/documents/fetch", (c) =>
    answerIndexRead(c, ctx, listDocuments, "documents/fetch"),
  );

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
