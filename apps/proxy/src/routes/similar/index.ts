import { type Context, Hono } from "hono";
import { accessOf } from "../../auth/index.js";
import type { ProxyContext } from "../../context.js";
import { similarDocuments } from "../../reads/similar.js";
import { answerIndexRead, type IndexRead } from "../index-read.js";
import { similarQueryOfParams } from "./similar-params.js";

/** `/similar` for this caller: a tenant token's rule also hides the target document. */
function similarFor(c: Context): IndexRead {
  return (ctx, indexUid, body, original) =>
    similarDocuments(ctx, indexUid, body, original, accessOf(c).searchFilter(indexUid));
}

/** Similar documents (GET, POST): the target's vector, then a vector search over every shard. */
export function similarRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  routes.get("/indexes/:indexUid/similar", (c) =>
    answerIndexRead(c, ctx, similarFor(c), "similar", similarQueryOfParams),
  );
  routes.post("/indexes/:indexUid/similar", (c) =>
    answerIndexRead(c, ctx, similarFor(c), "similar"),
  );
  return routes;
}
