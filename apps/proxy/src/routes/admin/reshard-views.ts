import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import {
  cancelReshard,
  listReshards,
  reshardStatus,
  startReshard,
} from "../../resharding/reshard.js";

/**
 * Online resharding: `POST /_miroir/indexes/{uid}/reshard {shards}` starts one, `GET` shows
 * its progress, `DELETE` cancels it (before the switch); `GET /_miroir/reshards` lists all.
 */
export function adminReshardRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;

  routes.get("/_miroir/reshards", async (c) => {
    const results = await listReshards(ctx);
    return c.json({ results, total: results.length });
  });
  routes.post("/_miroir/indexes/:uid/reshard", async (c) => {
    const body = await readJsonBody(c, limit);
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw meiliError("miroir_invalid_request", "The body must be an object: `{shards}`.");
    }
    const started = await startReshard(
      ctx,
      c.req.param("uid"),
      (body as { shards?: unknown }).shards,
    );
    return c.json(started, 202);
  });
  routes.get("/_miroir/indexes/:uid/reshard", async (c) =>
    c.json(await reshardStatus(ctx, c.req.param("uid"))),
  );
  routes.delete("/_miroir/indexes/:uid/reshard", async (c) =>
    c.json(await cancelReshard(ctx, c.req.param("uid")), 202),
  );
  return routes;
}
