import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import type { ProxyContext } from "../../context.js";
import { lowestVersion, nodeVersions } from "../../reads/node-versions.js";

/** Lists every node's version when they differ (absent when they all run the same one). */
export const VERSION_MISMATCH_HEADER = "x-miroir-version-mismatch";

/**
 * `GET /` answers like a Meilisearch without its dashboard; `GET /version` is the lowest
 * version among the nodes that answer, with the per-node versions in a header when they
 * differ.
 */
export function systemRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();

  routes.get("/", (c) => c.json({ status: "Meilisearch is running" }));

  routes.get("/version", async (c) => {
    const versions = await nodeVersions(ctx);
    const lowest = lowestVersion([...versions.values()]);
    if (lowest === undefined) {
      throw meiliError("miroir_node_unreachable", "No node answered `GET /version`.");
    }
    const distinct = new Set([...versions.values()].map((version) => version.pkgVersion));
    const headers: Record<string, string> = {};
    if (distinct.size > 1) {
      headers[VERSION_MISMATCH_HEADER] = [...versions]
        .map(([nodeId, version]) => `${nodeId}=${version.pkgVersion}`)
        .join(",");
    }
    return c.json(lowest, 200, headers);
  });

  return routes;
}
