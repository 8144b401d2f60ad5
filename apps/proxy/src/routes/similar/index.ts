import { Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import type { OriginalRequest } from "../../scatter/original-request.js";
import { readResponse } from "../../scatter/read-answer.js";
import { indexPath } from "../index-uid.js";
import { shardedSimilar } from "./sharded-similar.js";
import { similarQueryOfParams } from "./similar-params.js";

/** Similar documents (GET, POST): the target's vector, then a vector search over every shard. */
export function similarRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;

  routes.get("/indexes/:indexUid/similar", async (c) => {
    const indexUid = c.req.param("indexUid");
    const params = new URL(c.req.url).searchParams;
    const path = `${indexPath(indexUid)}/similar`;
    const original: OriginalRequest = (nodeId) =>
      ctx.nodes.call(nodeId, { method: "GET", path, query: Object.fromEntries(params) });
    return readResponse(
      await shardedSimilar(ctx, indexUid, similarQueryOfParams(params), original),
    );
  });

  routes.post("/indexes/:indexUid/similar", async (c) => {
    const indexUid = c.req.param("indexUid");
    const body = await readJsonBody(c, limit);
    const path = `${indexPath(indexUid)}/similar`;
    const original: OriginalRequest = (nodeId) =>
      ctx.nodes.call(nodeId, { method: "POST", path, json: body });
    return readResponse(await shardedSimilar(ctx, indexUid, body, original));
  });

  return routes;
}
