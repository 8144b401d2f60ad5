import { Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import { indexPath } from "../../node-client/index.js";
import { similarDocuments } from "../../reads/similar.js";
import { readResponse } from "../answers.js";
import { clientRequest } from "../client-request.js";
import { similarQueryOfParams } from "./similar-params.js";

/** Similar documents (GET, POST): the target's vector, then a vector search over every shard. */
export function similarRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;

  routes.get("/indexes/:indexUid/similar", async (c) => {
    const indexUid = c.req.param("indexUid");
    const params = new URL(c.req.url).searchParams;
    const original = clientRequest(c, `${indexPath(indexUid)}/similar`);
    return readResponse(
      await similarDocuments(ctx, indexUid, similarQueryOfParams(params), original),
    );
  });

  routes.post("/indexes/:indexUid/similar", async (c) => {
    const indexUid = c.req.param("indexUid");
    const body = await readJsonBody(c, limit);
    const original = clientRequest(c, `${indexPath(indexUid)}/similar`, body);
    return readResponse(await similarDocuments(ctx, indexUid, body, original));
  });

  return routes;
}
