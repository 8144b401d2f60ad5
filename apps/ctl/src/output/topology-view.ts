import type {
  ProxiesAnswer,
  RebalanceAnswer,
  TopologyAnswer,
  TopologyNode,
} from "../client/admin-client.js";
import { orDash, renderTable } from "./table.js";

/** Nodes that still take part (a removed node is history, not a problem). */
function liveNodes(topology: TopologyAnswer): TopologyNode[] {
  return topology.nodes.filter((node) => node.state !== "removed");
}

/** A node whose last probe failed; `unknown` (not probed yet) is not counted against it. */
function isUnhealthy(node: TopologyNode): boolean {
  return node.health === "degraded" || node.health === "unreachable";
}

/**
 * The cluster is degraded when some live node fails its probes or some shard has fewer
 * reachable replicas than it should; `status` and `topology` then exit 3.
 */
export function isDegraded(topology: TopologyAnswer): boolean {
  return (
    liveNodes(topology).some(isUnhealthy) ||
    topology.coverage.uncoveredShards > 0 ||
    topology.coverage.degradedShards > 0
  );
}

/** `Nodes: 3 healthy, 0 degraded | Shards: 64/64 covered | Rebalance: idle`. */
export function statusLine(topology: TopologyAnswer, rebalance: RebalanceAnswer): string {
  const live = liveNodes(topology);
  const unhealthy = live.filter(isUnhealthy);
  const healthy = live.filter((node) => node.health === "healthy").length;
  const named = unhealthy.map((node) => `${node.id} ${node.health}`).join(", ");
  const nodes = `Nodes: ${healthy} healthy, ${unhealthy.length} degraded${named === "" ? "" : ` (${named})`}`;
  const covered = topology.shards - topology.coverage.uncoveredShards;
  const underReplicated =
    topology.coverage.degradedShards > 0
      ? `, ${topology.coverage.degradedShards} under-replicated`
      : "";
  const shards = `Shards: ${covered}/${topology.shards} covered${underReplicated}`;
  return `${nodes} | ${shards} | Rebalance: ${rebalanceSummary(rebalance)}`;
}

/** `rebalance running 3/8 shards, 1200 documents copied` (while a migration runs). */
export function progressText(rebalance: RebalanceAnswer): string {
  const migration = rebalance.migration;
  if (rebalance.status !== "running" || migration === undefined || migration === null) {
    return `rebalance ${rebalance.status}`;
  }
  return `rebalance ${migration.phase} ${migration.shardsDone}/${migration.shardsTotal} shards, ${migration.documentsCopied} documents copied`;
}

/** The migration's line and one row per shard move (phase, copied, rate, ETA). */
export function renderMigration(rebalance: RebalanceAnswer): string {
  const migration = rebalance.migration;
  if (migration === undefined || migration === null) return "No migration has run.";
  const heading = `Migration ${migration.id}: ${migration.phase}, ${migration.shardsDone}/${migration.shardsTotal} shards verified, ${migration.documentsCopied} documents copied${migration.error === null ? "" : ` (last error: ${migration.error})`}`;
  if (migration.moves.length === 0) return heading;
  const table = renderTable(migration.moves, [
    { heading: "SHARD", cell: (move) => String(move.shard), align: "right" },
    { heading: "GROUP", cell: (move) => String(move.group), align: "right" },
    { heading: "GAINS", cell: (move) => orDash(move.gains) },
    { heading: "LOSSES", cell: (move) => orDash(move.losses) },
    { heading: "PHASE", cell: (move) => move.phase },
    { heading: "COPIED", cell: (move) => `${move.copied}/${move.total}`, align: "right" },
    { heading: "RATE", cell: (move) => `${Math.round(move.rate)}/s`, align: "right" },
    {
      heading: "ETA",
      cell: (move) => (move.etaSeconds === null ? "-" : `${Math.ceil(move.etaSeconds)}s`),
      align: "right",
    },
  ]);
  return `${heading}\n${table}`;
}

export function rebalanceSummary(rebalance: RebalanceAnswer): string {
  const pending = rebalance.pendingMoves.length;
  if (pending === 0) return rebalance.status;
  const moves = pending === 1 ? "1 shard move" : `${pending} shard moves`;
  return `${rebalance.status}, ${moves} pending`;
}

export function renderTopology(topology: TopologyAnswer): string {
  const heading = `${topology.shards} shards, replication factor ${topology.replicationFactor}, ${topology.replicaGroups} replica group(s); uncovered shards: ${topology.coverage.uncoveredShards}, under-replicated: ${topology.coverage.degradedShards}`;
  const table = renderTable(topology.nodes, [
    { heading: "NODE", cell: (node) => node.id },
    { heading: "GROUP", cell: (node) => String(node.replicaGroup), align: "right" },
    { heading: "STATE", cell: (node) => node.state },
    { heading: "HEALTH", cell: (node) => orDash(node.health) },
    { heading: "SHARDS", cell: (node) => String(node.shardCount), align: "right" },
    { heading: "TARGET", cell: (node) => String(node.targetShardCount), align: "right" },
    { heading: "LAST SEEN", cell: (node) => orDash(node.lastSeen) },
    { heading: "ADDRESS", cell: (node) => node.address },
    { heading: "ERROR", cell: (node) => orDash(node.error) },
  ]);
  return `${heading}\n${table}`;
}

/** The Miroir processes sharing the task store, one row each, the leader marked. */
export function renderProxies(answer: ProxiesAnswer): string {
  return renderTable(answer.proxies, [
    { heading: "PROXY", cell: (proxy) => proxy.id },
    { heading: "ADDRESS", cell: (proxy) => orDash(proxy.address) },
    { heading: "VERSION", cell: (proxy) => proxy.version },
    { heading: "LEADER", cell: (proxy) => (proxy.leader ? "yes" : "no") },
    { heading: "DUTIES", cell: (proxy) => orDash(proxy.duties.join(",")) },
    { heading: "LAST SEEN", cell: (proxy) => proxy.lastSeen },
  ]);
}
