import { meiliError } from "@miroir/errors";
import { pendingMoves, shardCoverage } from "@miroir/router";
import { Hono } from "hono";
import { adminGate } from "../../auth/index.js";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import { nodeVersions, versionWarnings } from "../../reads/node-versions.js";
import { createNodeChanges } from "../../topology/node-changes.js";
import { adminIndexRoutes } from "./index-views.js";
import { nodeToAdd } from "./node-to-add.js";
import { proxiesView } from "./proxies-view.js";
import { adminRepairRoutes } from "./repair-views.js";
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
  const changeTopology = createNodeChanges(ctx);
  const limit = ctx.config.server.body_limit_bytes;

  routes.get("/_miroir/ready", (c) => {
    const { uncovered } = shardCoverage(ctx.cluster.topology, ctx.cluster.health);
    if (uncovered.length > 0) {
      throw meiliError(
        "miroir_shard_unavailable",
        `${uncovered.length} of ${ctx.cluster.topology.shards} shards have no reachable replica.`,
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

  routes.post("/_miroir/nodes", async (c) => {
    const change = nodeToAdd(await readJsonBody(c, limit));
    const topology = await changeTopology(change);
    void ctx.nodeHealth.probeAll();
    return c.json(topologyView(topology, ctx.cluster.health, ctx.nodeHealth), 201);
  });
  routes.post("/_miroir/nodes/:id/drain", async (c) => {
    const id = c.req.param("id");
    const topology = await changeTopology({ kind: "state", id, state: "draining" });
    return c.json(topologyView(topology, ctx.cluster.health, ctx.nodeHealth));
  });
  routes.delete("/_miroir/nodes/:id", async (c) => {
    const id = c.req.param("id");
    const topology = await changeTopology({ kind: "state", id, state: "removed" });
    return c.json(topologyView(topology, ctx.cluster.health, ctx.nodeHealth));
  });

  // No rebalancer runs in this version: both routes say so and show the moves it would make.
  const rebalanceStatus = () => ({
    status: "idle",
    rebalancerAvailable: false,
    pendingMoves: pendingMoves(ctx.cluster.topology),
  });
  routes.post("/_miroir/rebalance", (c) => c.json({ ...rebalanceStatus(), started: false }));
  routes.get("/_miroir/rebalance/status", (c) => c.json(rebalanceStatus()));

  routes.get("/_miroir/metrics", async (c) =>
    c.body(await ctx.metrics.exposition(), 200, {
      "content-type": ctx.metrics.registry.contentType,
    }),
  );
  return routes;
}
