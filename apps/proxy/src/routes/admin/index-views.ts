import { Hono } from "hono";
import type { ProxyContext } from "../../context.js";
import { indexShardViews } from "../../reads/index-shard-view.js";

/** `GET /_miroir/indexes`: every index with its document count per shard (admin console). */
export function adminIndexRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  routes.get("/_miroir/indexes", async (c) => c.json(await indexShardViews(ctx)));
  return routes;
}
