import { hostname } from "node:os";
import { Hono } from "hono";
import type { ProxyContext } from "../../context.js";
import { nodeVersions } from "../../reads/node-versions.js";

/** When this process started, for the console's "Miroir processes" view. */
const STARTED_AT = new Date(Date.now() - process.uptime() * 1000).toISOString();

/**
 * `GET /_miroir/versions`: the Meilisearch version of every node that answers (`null`
 * for one that does not), and the Miroir process that answered. Other proxies sharing
 * the task store are not listed: no process registry exists yet.
 */
export function adminVersionRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();

  routes.get("/_miroir/versions", async (c) => {
    const versions = await nodeVersions(ctx);
    return c.json({
      nodes: ctx.cluster.topology.nodes
        .filter((node) => node.state !== "removed")
        .map((node) => ({ id: node.id, version: versions.get(node.id)?.pkgVersion ?? null })),
      process: {
        hostname: hostname(),
        startedAt: STARTED_AT,
        nodeVersion: process.version,
        taskStore: ctx.config.task_store.backend,
      },
    });
  });

  return routes;
}
