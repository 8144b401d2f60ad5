import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import type { ProxyContext } from "../../context.js";

/** `POST /_miroir/rebalance`, `GET /_miroir/rebalance/status`, `POST /_miroir/rebalance/cancel`. */
export function adminRebalanceRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  routes.post("/_miroir/rebalance", async (c) => {
    const { started, status } = await ctx.rebalancer.apply();
    return c.json({ ...status, started }, started ? 202 : 200);
  });
  routes.get("/_miroir/rebalance/status", async (c) => c.json(await ctx.rebalancer.status()));
  routes.post("/_miroir/rebalance/cancel", async (c) => {
    const { canceled, status } = await ctx.rebalancer.cancel();
    if (!canceled) {
      throw meiliError(
        "miroir_illegal_transition",
        status.status === "idle"
          ? "No migration is running."
          : "The running migration is past its cut-over: it can no longer be canceled.",
      );
    }
    return c.json({ ...status, canceled }, 202);
  });
  return routes;
}
