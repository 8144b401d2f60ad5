import { Hono } from "hono";
import { createDumps, createSnapshots } from "../../broadcast/node-wide-tasks.js";
import type { ProxyContext } from "../../context.js";
import { accepted } from "../answers.js";

/**
 * `POST /dumps` and `POST /snapshots`: one Miroir task that has every node write its own
 * dump or snapshot; it succeeds when all of them do (docs/restore-from-dumps.md).
 */
export function backupRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  routes.post("/dumps", async () => accepted(await createDumps(ctx)));
  routes.post("/snapshots", async () => accepted(await createSnapshots(ctx)));
  return routes;
}
