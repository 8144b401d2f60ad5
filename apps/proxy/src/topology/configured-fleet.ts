import { type Topology, topologyFromConfig } from "@miroir/router";
import type { TaskStore } from "@miroir/taskstore";
import type { Logger } from "pino";
import type { NodeClient } from "../node-client/index.js";
import { restoreTopology, TOPOLOGY_CHANGE_JOB, type TopologyChange } from "./topology-journal.js";

export const FLEET_SEED_JOB = "fleet_seed";
const FLEET_SEED_ID = "fleet-seed";

interface SeedNode {
  readonly id: string;
  readonly address: string;
  readonly group: number;
}

/**
 * The fleet Miroir starts from, and the changes the configuration file makes to it.
 *
 * The first start records the configured nodes as the fleet (its seed), except a node that
 * holds no index while another node does: that is a new, empty node (say a pod the
 * StatefulSet just created, seen by a proxy whose store started afresh), and it joins. Later starts rebuild the fleet from the seed plus the recorded
 * changes, then compare it with the configuration: a configured node the store does not
 * know joins (`joining`), and a node the configuration listed but no longer does is
 * drained, never dropped with its data (nodes added through the admin API are not the
 * file's to drain). These changes are recorded like any admin change.
 */
export async function configuredFleet(
  store: TaskStore,
  configured: Topology,
  nodes: NodeClient,
  logger: Logger,
): Promise<{ base: Topology; changes: TopologyChange[] }> {
  const seed = await seedOf(store, configured, nodes, logger);
  const addressOf = new Map(configured.nodes.map((node) => [node.id, node.address]));
  const base = topologyFromConfig(
    seed.map((node) => ({
      id: node.id,
      address: addressOf.get(node.id) ?? node.address,
      replica_group: node.group,
    })),
    {
      shards: configured.shards,
      replication_factor: configured.replicationFactor,
      replica_groups: Math.max(configured.replicaGroups, ...seed.map((node) => node.group + 1)),
    },
  );
  const known = await restoreTopology(store, base, logger);
  // Nodes the file brought in; those added through the admin API stay until removed there.
  const listed = new Set(seed.map((node) => node.id));
  for (const job of await store.jobs.list()) {
    const change = job.params as TopologyChange | null;
    if (job.type === TOPOLOGY_CHANGE_JOB && change?.kind === "add" && change.fromConfig) {
      listed.add(change.id);
    }
  }
  const changes: TopologyChange[] = [];
  for (const node of configured.nodes) {
    if (!known.nodes.some((candidate) => candidate.id === node.id)) {
      changes.push({
        kind: "add",
        id: node.id,
        address: node.address,
        group: node.group,
        fromConfig: true,
      });
    }
  }
  for (const node of known.nodes) {
    if (addressOf.has(node.id) || !listed.has(node.id)) continue;
    if (node.state === "active") changes.push({ kind: "state", id: node.id, state: "draining" });
    if (node.state === "joining") changes.push({ kind: "state", id: node.id, state: "removed" });
  }
  return { base, changes };
}

/** The recorded seed, or the one recorded now from the configured nodes that hold data. */
async function seedOf(
  store: TaskStore,
  configured: Topology,
  nodes: NodeClient,
  logger: Logger,
): Promise<SeedNode[]> {
  const recorded = await store.jobs.get(FLEET_SEED_ID);
  if (recorded !== null) return (recorded.params as { nodes: SeedNode[] }).nodes;
  const empty = await emptyNodes(configured, nodes);
  if (empty.size > 0) logger.info({ nodes: [...empty] }, "empty configured nodes join the fleet");
  const seed = configured.nodes
    .filter((node) => !empty.has(node.id))
    .map(({ id, address, group }) => ({ id, address, group }));
  try {
    await store.jobs.enqueue({ type: FLEET_SEED_JOB, id: FLEET_SEED_ID, params: { nodes: seed } });
  } catch (error) {
    // Another proxy sharing the store recorded it first: its seed is the fleet's.
    const first = await store.jobs.get(FLEET_SEED_ID);
    if (first === null) throw error;
    return (first.params as { nodes: SeedNode[] }).nodes;
  }
  return seed;
}

/** Configured nodes that answer with no index while some other node holds one. */
async function emptyNodes(configured: Topology, nodes: NodeClient): Promise<Set<string>> {
  const counts = await Promise.all(
    configured.nodes.map(async (node) => {
      const answer = await nodes
        .call<{ total?: number }>(node.id, {
          method: "GET",
          path: "/indexes",
          query: { limit: "1" },
          timeoutMs: 5_000,
        })
        .catch(() => null);
      return answer?.status === 200 ? (answer.body?.total ?? null) : null;
    }),
  );
  if (!counts.some((count) => count !== null && count > 0)) return new Set();
  return new Set(configured.nodes.filter((_, at) => counts[at] === 0).map((node) => node.id));
}
