import { meiliError } from "@miroir/errors";
import { findNode, shardRoute, type Topology } from "@miroir/router";
import { Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import { widestTopology } from "../../topology/index-shards.js";
import type { TopologyChange } from "../../topology/topology-journal.js";
import { nodeToAdd } from "./node-to-add.js";
import { topologyView } from "./topology-view.js";

/**
 * Node and replica-group changes. Each starts the migration that moves the data it
 * implies (when `rebalancer.enabled`); `GET /_miroir/rebalance/status` follows it.
 */
export function adminNodeRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;
  const view = (topology: Topology) => topologyView(topology, ctx.cluster.health, ctx.nodeHealth);

  routes.post("/_miroir/nodes", async (c) => {
    const change = nodeToAdd(await readJsonBody(c, limit));
    const topology = await ctx.rebalancer.changeTopology(change);
    void ctx.nodeHealth.probeAll();
    return c.json(view(topology), 201);
  });
  routes.post("/_miroir/nodes/:id/drain", async (c) => {
    const id = c.req.param("id");
    return c.json(
      view(await ctx.rebalancer.changeTopology({ kind: "state", id, state: "draining" })),
    );
  });
  // A dead node's shards are copied again from their surviving replicas to a new node.
  routes.post("/_miroir/nodes/:id/replace", async (c) => {
    const id = c.req.param("id");
    const dead = findNodeOr404(ctx.cluster.topology, id);
    const body = (await readJsonBody(c, limit)) as Record<string, unknown> | null;
    const added = nodeToAdd({ ...(body ?? {}), replicaGroup: dead.group });
    const topology = await ctx.rebalancer.changeTopology(added, {
      kind: "state",
      id,
      state: "draining",
    });
    void ctx.nodeHealth.probeAll();
    return c.json(view(topology), 201);
  });
  routes.delete("/_miroir/nodes/:id", async (c) => {
    const id = c.req.param("id");
    const node = findNodeOr404(ctx.cluster.topology, id);
    if (node.state === "removed") return c.json(view(ctx.cluster.topology));
    if (node.state === "draining" && holdsShards(widestTopology(ctx), id)) {
      throw meiliError(
        "miroir_illegal_transition",
        `Node \`${id}\` still holds shards that have not moved yet; it is removed once its drain finishes (see \`GET /_miroir/rebalance/status\`).`,
      );
    }
    return c.json(
      view(await ctx.rebalancer.changeTopology({ kind: "state", id, state: "removed" })),
    );
  });

  // A new replica group, optionally with its nodes; they join and are filled from the others.
  routes.post("/_miroir/groups", async (c) => {
    const body = ((await readJsonBody(c, limit)) ?? {}) as { nodes?: unknown };
    const group = ctx.cluster.topology.replicaGroups;
    const nodes = Array.isArray(body.nodes) ? body.nodes : [];
    const changes: TopologyChange[] = [
      { kind: "group" },
      ...nodes.map((node) => nodeToAdd({ ...(node as object), replicaGroup: group })),
    ];
    const topology = await ctx.rebalancer.changeTopology(...changes);
    void ctx.nodeHealth.probeAll();
    return c.json({ group, ...view(topology) }, 201);
  });
  // Removing a group drains all of its nodes; the other groups keep serving.
  routes.delete("/_miroir/groups/:group", async (c) => {
    const group = Number(c.req.param("group"));
    const topology = ctx.cluster.topology;
    const members = topology.nodes.filter(
      (node) => node.group === group && (node.state === "active" || node.state === "joining"),
    );
    if (!Number.isInteger(group) || group < 0 || group >= topology.replicaGroups) {
      throw meiliError(
        "miroir_invalid_request",
        `Replica group \`${c.req.param("group")}\` does not exist.`,
      );
    }
    const readableElsewhere = topology.nodes.some(
      (node) => node.group !== group && node.state === "active",
    );
    if (!readableElsewhere) {
      throw meiliError(
        "miroir_illegal_transition",
        `Replica group \`${group}\` is the only one with active nodes; removing it would lose the data.`,
      );
    }
    const changes: TopologyChange[] = members.map((node) =>
      node.state === "joining"
        ? { kind: "state", id: node.id, state: "removed" }
        : { kind: "state", id: node.id, state: "draining" },
    );
    return c.json(view(await ctx.rebalancer.changeTopology(...changes)));
  });
  return routes;
}

function findNodeOr404(topology: Topology, id: string) {
  try {
    return findNode(topology, id);
  } catch {
    throw meiliError("miroir_node_not_found", `Node \`${id}\` is not part of the fleet.`);
  }
}

/** True while some shard still has `nodeId` among the replicas that serve it. */
function holdsShards(topology: Topology, nodeId: string): boolean {
  for (let shard = 0; shard < topology.shards; shard++) {
    if (shardRoute(topology, shard).serving.some((ids) => ids.includes(nodeId))) return true;
  }
  return false;
}
