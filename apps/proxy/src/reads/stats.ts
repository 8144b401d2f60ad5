import { type IndexStats, mergeIndexStats } from "@miroir/merger";
import { servesReads } from "@miroir/router";
import { askNodes, failureOf, successfulAnswers } from "../broadcast/ask-nodes.js";
import type { ProxyContext } from "../context.js";
import { indexPath } from "../node-client/index.js";
import { readMergeSettings, readSettingsOfIndexes } from "../scatter/merge-settings.js";
import { gather, type ReadAnswer } from "../scatter/read-pipeline.js";
import { openRead, type ReadScope, shardsUnavailable } from "../scatter/read-scope.js";
import { shardCountRead } from "../scatter/shard-counts.js";

interface GlobalStats {
  databaseSize?: number;
  usedDatabaseSize?: number;
  lastUpdate?: string | null;
  indexes?: Record<string, Partial<IndexStats>>;
}

/**
 * `GET /indexes/{uid}/stats`: the exact document count from the per-shard counts, the
 * other fields from the query group's nodes, which hold every shard RF times.
 */
export async function indexStats(ctx: ProxyContext, indexUid: string): Promise<ReadAnswer> {
  const scope = openRead(ctx, undefined, indexUid);
  const settings = await readMergeSettings(ctx, scope, indexUid);
  const [counts, copies] = await Promise.all([
    gather(
      ctx,
      scope,
      shardCountRead(scope, [
        { uid: indexUid, maxValuesPerFacet: settings.faceting.maxValuesPerFacet },
      ]),
    ),
    fromNodes<Partial<IndexStats>>(ctx, groupNodes(scope), `${indexPath(indexUid)}/stats`),
  ]);
  const stats = mergeIndexStats(
    totalOf(counts.body.get(indexUid)),
    copies,
    scope.topology.replicationFactor,
  );
  return { body: stats, degraded: counts.degraded };
}

/**
 * `GET /stats`: every node's sizes summed, and each index the caller may see
 * (`allowsIndex`) with its stats as `GET /indexes/{uid}/stats` gives them.
 */
export async function globalStats(
  ctx: ProxyContext,
  allowsIndex: (indexUid: string) => boolean,
): Promise<ReadAnswer> {
  const scope = openRead(ctx);
  const everyNode = await fromNodes<GlobalStats>(ctx, ctx.nodes.nodeIds, "/stats");
  if (everyNode.length === 0) throw shardsUnavailable("every shard");
  const inGroup = new Set(groupNodes(scope));
  const uids = [...new Set(everyNode.flatMap((stats) => Object.keys(stats.indexes ?? {})))]
    .filter(allowsIndex)
    .sort();
  const settingsOf = await readSettingsOfIndexes(ctx, scope, uids);
  const counts = await gather(
    ctx,
    scope,
    shardCountRead(
      scope,
      uids.map((uid) => ({ uid, maxValuesPerFacet: settingsOf(uid).faceting.maxValuesPerFacet })),
    ),
  );
  const groupStats = everyNode.filter((stats) => inGroup.has(stats.nodeId));
  const indexes = Object.fromEntries(
    uids.map((uid) => [
      uid,
      mergeIndexStats(
        totalOf(counts.body.get(uid)),
        groupStats.flatMap((stats) => (stats.indexes?.[uid] ? [stats.indexes[uid]] : [])),
        scope.topology.replicationFactor,
      ),
    ]),
  );
  const lastUpdates = everyNode
    .map((stats) => stats.lastUpdate)
    .filter((date): date is string => typeof date === "string")
    .sort();
  const body = {
    databaseSize: everyNode.reduce((sum, stats) => sum + (stats.databaseSize ?? 0), 0),
    usedDatabaseSize: everyNode.reduce((sum, stats) => sum + (stats.usedDatabaseSize ?? 0), 0),
    lastUpdate: lastUpdates.at(-1) ?? null,
    indexes,
  };
  return { body, degraded: counts.degraded };
}

/** The sum of per-shard counts. */
function totalOf(counts: readonly number[] | undefined): number {
  return (counts ?? []).reduce((sum, count) => sum + count, 0);
}

/** The nodes of the read's group that serve reads: together they hold every shard RF times. */
function groupNodes(scope: ReadScope): string[] {
  return scope.topology.nodes
    .filter((node) => node.group === scope.group && servesReads(node.state))
    .map((node) => node.id);
}

/**
 * The answers of the nodes that answer, with their node id; a node that is unreachable or
 * failing is left out. A node's 4xx (`index_not_found`) is the answer to the client.
 */
async function fromNodes<T>(
  ctx: ProxyContext,
  nodeIds: readonly string[],
  path: string,
): Promise<(T & { nodeId: string })[]> {
  const read = await askNodes<T>(
    ctx,
    nodeIds,
    { method: "GET", path },
    { timeoutMs: ctx.config.connection_pool.request_timeout_ms },
  );
  const refused = read.find(
    ({ response }) => response !== undefined && response.status >= 400 && response.status < 500,
  );
  if (refused !== undefined) throw failureOf(refused);
  return [...successfulAnswers(read)].map(([nodeId, body]) => ({ ...body, nodeId }));
}
