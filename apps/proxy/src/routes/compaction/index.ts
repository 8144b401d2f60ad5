import { Hono } from "hono";
import { compactIndex } from "../../broadcast/node-wide-tasks.js";
import type { ProxyContext } from "../../context.js";
import { accepted } from "../answers.js";
import { validIndexUid } from "../index-uid.js";

/**
 * `POST /indexes/{uid}/compact`: every node compacts its part of the index, in the index's
 * write order; one Miroir task whose details give each node's sizes before and after.
 */
export function compactionRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  routes.post("/indexes/:indexUid/compact", async (c) =>
    accepted(await compactIndex(ctx, validIndexUid(c.req.param("indexUid")))),
  );
  return routes;
}
