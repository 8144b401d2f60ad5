import { Hono } from "hono";
import type { ProxyContext } from "../../context.js";

const MEILISEARCH_VERSION = "1.50.0";

/** Liveness and version: answered by Miroir itself, shaped as Meilisearch answers them. */
export function healthRoutes(_ctx: ProxyContext): Hono {
  const routes = new Hono();
  routes.get("/health", (c) => c.json({ status: "available" }));
  routes.get("/version", (c) =>
    c.json({ commitSha: "miroir", commitDate: "unknown", pkgVersion: MEILISEARCH_VERSION }),
  );
  return routes;
}
