import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import { createKey, deleteKey, readKeys, updateKey } from "../../keys/key-changes.js";
import type { NodeResponse } from "../../node-client/index.js";

function missingMasterKey() {
  return meiliError(
    "missing_master_key",
    "Meilisearch is running without a master key. To access this API endpoint, you must have set a master key at launch.",
  );
}

/** A node's answer about keys, passed through as one Meilisearch server gives it. */
function answer(response: NodeResponse): Response {
  if (response.status === 204) return new Response(null, { status: 204 });
  return Response.json(response.body, { status: response.status });
}

/**
 * `/keys` as one Meilisearch server: reads answer from the reference node; creating,
 * updating and deleting a key reach every node with the same uid, all or nothing
 * (`keys/key-changes.ts`).
 */
export function keyRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;
  for (const path of ["/keys", "/keys/*"]) {
    routes.use(path, async (_c, next) => {
      if (ctx.config.master_key === null) throw missingMasterKey();
      await next();
    });
  }

  routes.get("/keys", async (c) =>
    answer(await readKeys(ctx, null, Object.fromEntries(new URL(c.req.url).searchParams))),
  );
  routes.get("/keys/:key", async (c) => answer(await readKeys(ctx, c.req.param("key"), {})));
  routes.post("/keys", async (c) => answer(await createKey(ctx, await readJsonBody(c, limit))));
  routes.patch("/keys/:key", async (c) =>
    answer(await updateKey(ctx, c.req.param("key"), await readJsonBody(c, limit))),
  );
  routes.delete("/keys/:key", async (c) => answer(await deleteKey(ctx, c.req.param("key"))));

  return routes;
}
