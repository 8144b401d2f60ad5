import { Hono } from "hono";
import type { ProxyContext } from "../../context.js";
import { similarDocuments } from "../../reads/similar.js";
import { answerIndexRead } from "../index-read.js";
import { similarQueryOfParams } from "./similar-params.js";

/** Similar documents (GET, POST): the target's vector, then a vector search over every shard. */
export function similarRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  routes.get("/indexes/:indexUid/similar", (c) =>
    answerIndexRead(c, ctx, similarDocuments, "similar", similarQueryOfParams),
  );
  routes.post("/indexes/:indexUid/similar", (c) =>
    answerIndexRead(c, ctx, similarDocuments, "similar"),
  );
  return routes;
}
