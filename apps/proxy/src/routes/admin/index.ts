import { meiliError } from "@miroir/errors";
import { shardCoverage } from "@miroir/router";
import { Hono } from "hono";
import { adminGate } from "../../auth/index.js";
import type { ProxyContext } from "../../context.js";
import { nodeVersions, versionWarnings } from "../../reads/node-versions.js";
import { widestTopology } from "../../topology/index-shards.js";
import { adminAliasRoutes } from "./alias-views.js";
import { adminDumpImportRoutes } from "./dump-import-views.js";
import { adminIndexRoutes } from "./index-views.js";
import { adminNodeRoutes } from "./node-views.js";
import { proxiesView } from "./proxies-view.js";
import { adminRebalanceRoutes } from "./rebalance-views.js";
import { adminRepairRoutes } from "./repair-views.js";
import { adminReshardRoutes } from "./reshard-views.js";
import { adminRolloverRoutes } from "./rollover-views.js";
import { adminTaskRoutes } from "./task-views.js";
import { shardsView, topologyView } from "./topology-view.js";
import { adminVersionRoutes } from "./version-views.js";

/**
 * The admin API under `/_miroir/`, behind the admin key (see `adminGate`), except
 * `ready`, which a load balancer's readiness probe calls without credentials and which
 * tells nothing but whether every shard is covered.
 */
export function adminRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();

  routes.get("/_miroir/ready", (c) => {
    const { uncovered } = shardCoverage(widestTopology(ctx), ctx.cluster.health);
    if (uncovered.length > 0) {
      throw meiliError(
        "miroir_shard_unavailable",
        `${uncovered.length} of ${widestTopology(ctx).shards} shards have no reachable replica.`,
      );
    }
    return c.json({ status: "ready" });
  });

  routes.use(
    "/_miroir/*",
    adminGate({
      adminKey: ctx.config.admin.api_key,
      masterKey: ctx.config.master_key,
      onRefused: (reason, path) => {
        ctx.metrics.adminAuthFailures.inc({ reason });
        ctx.logger.warn({ path, reason }, "admin API request refused");
      },
    }),
  );
  routes.use("/_miroir/*", async (_c, next) => {
    // A disabled admin API answers as a route that does not exist.
    if (!ctx.config.admin.enabled) return new Response(null, { status: 404 });
    await next();
  });

  routes.get("/_miroir/topology", async (c) =>
    c.json({
      ...topologyView(ctx.cluster.topology, ctx.cluster.health, ctx.nodeHealth),
      warnings: versionWarnings(await nodeVersions(ctx)),
    }),
  );
  routes.get("/_miroir/shards", (c) => c.json(shardsView(ctx.cluster.topology)));
  routes.get("/_miroir/proxies", async (c) => c.json(await proxiesView(ctx)));
  // Read-only views the admin console needs: tasks, indexes per shard, versions.
  for (const views of [adminTaskRoutes, adminIndexRoutes, adminVersionRoutes, adminRepairRoutes]) {
    routes.route("/", views(ctx));
  }

  for (const views of [
    adminNodeRoutes,
    adminRebalanceRoutes,
    adminAliasRoutes,
    adminRolloverRoutes,
    adminDumpImportRoutes,
    adminReshardRoutes,
  ]) {
    routes.route("/", views(ctx));
  }

  routes.get("/_miroir/metrics", async (c) =>
    c.body(await ctx.metrics.exposition(), 200, {
      "content-type": ctx.metrics.registry.contentType,
    }),
  );
  return routes;
}
