import { Hono } from "hono";
import type { ProxyContext } from "../../context.js";

/** Liveness: answered by Miroir itself, shaped as Meilisearch answers it (`/version`: system/). */
export function healthRoutes(_ctx: ProxyContext): Hono {
  const routes = new Hono();
  routes.get("/health", (c) => c.json({ status: "available" }));
  return routes;
}
