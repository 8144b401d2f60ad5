import { Hono } from "hono";
import { accessOf } from "../../auth/index.js";
import type { ProxyContext } from "../../context.js";
import { globalStats, indexStats } from "../../reads/stats.js";
import { readResponse } from "../answers.js";

/** Index stats and global stats, with exact document counts (SPEC 7.1). */
export function statsRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();

  routes.get("/indexes/:indexUid/stats", async (c) =>
    readResponse(await indexStats(ctx, c.req.param("indexUid"))),
  );

  // A key sees only the indexes it may act on, as on Meilisearch.
  routes.get("/stats", async (c) => {
    const access = accessOf(c);
    return readResponse(await globalStats(ctx, (uid) => access.allowsIndex(uid)));
  });

  return routes;
}
