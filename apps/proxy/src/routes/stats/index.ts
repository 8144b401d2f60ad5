import { servesReads } from "@miroir/router";
import { Hono } from "hono";
import { accessOf } from "../../auth/index.js";
import type { ProxyContext } from "../../context.js";
import { NodeCallError, nodeErrorOf } from "../../node-client/index.js";
import { readMergeSettings, readSettingsOfIndexes } from "../../scatter/merge-settings.js";
import { readResponse } from "../../scatter/read-answer.js";
import { openRead, type ReadScope, shardsUnavailable } from "../../scatter/read-scope.js";
import { shardCounts, totalOf } from "../../scatter/shard-counts.js";
import { degradedHeaders } from "../../scatter/unavailable-shards.js";
import { indexPath } from "../index-uid.js";
import { type IndexStats, mergeIndexStats } from "./index-stats.js";

interface GlobalStats {
  databaseSize?: number;
  usedDatabaseSize?: number;
  lastUpdate?: string | null;
  indexes?: Record<string, Partial<IndexStats>>;
}

/** Index stats and global stats, with exact document counts (SPEC 7.1). */
export function statsRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();

  routes.get("/indexes/:indexUid/stats", async (c) => {
    const indexUid = c.req.param("indexUid");
    const scope = openRead(ctx);
    const settings = await readMergeSettings(ctx, scope, indexUid);
    const [counts, copies] = await Promise.all([
      shardCounts(ctx, scope, [
        { uid: indexUid, maxValuesPerFacet: settings.faceting.maxValuesPerFacet },
      ]),
      fromGroupNodes<Partial<IndexStats>>(ctx, scope, `${indexPath(indexUid)}/stats`),
    ]);
    const headers = degradedHeaders(scope, counts.lost);
    const stats = mergeIndexStats(
      totalOf(counts.byIndex.get(indexUid)),
      copies,
      scope.topology.replicationFactor,
    );
    return readResponse({ body: stats, headers });
  });

  routes.get("/stats", async (c) => {
    const scope = openRead(ctx);
    const everyNode = await fromNodes<GlobalStats>(ctx, ctx.nodes.nodeIds);
    if (everyNode.length === 0) throw shardsUnavailable("every shard");
    const inGroup = new Set(groupNodes(scope));
    // A key sees only the indexes it may act on, as on Meilisearch.
    const access = accessOf(c);
    const uids = [...new Set(everyNode.flatMap((stats) => Object.keys(stats.indexes ?? {})))]
      .filter((uid) => access.allowsIndex(uid))
      .sort();
    const settingsOf = await readSettingsOfIndexes(ctx, scope, uids);
    const counts = await shardCounts(
      ctx,
      scope,
      uids.map((uid) => ({ uid, maxValuesPerFacet: settingsOf(uid).faceting.maxValuesPerFacet })),
    );
    const headers = degradedHeaders(scope, counts.lost);
    const groupStats = everyNode.filter((stats) => inGroup.has(stats.nodeId));
    const indexes = Object.fromEntries(
      uids.map((uid) => [
        uid,
        mergeIndexStats(
          totalOf(counts.byIndex.get(uid)),
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
    return readResponse({ body, headers });
  });

  return routes;
}

/** The nodes of the read's group that serve reads: together they hold every shard RF times. */
function groupNodes(scope: ReadScope): string[] {
  return scope.topology.nodes
    .filter((node) => node.group === scope.group && servesReads(node.state))
    .map((node) => node.id);
}

function fromGroupNodes<T>(ctx: ProxyContext, scope: ReadScope, path: string): Promise<T[]> {
  return fromNodes<T>(ctx, groupNodes(scope), path);
}

/**
 * The answers of the nodes that answer; an unreachable node is left out. A node's 4xx
 * (`index_not_found`) is the answer to the client.
 */
async function fromNodes<T>(
  ctx: ProxyContext,
  nodeIds: readonly string[],
  path = "/stats",
): Promise<(T & { nodeId: string })[]> {
  const settled = await Promise.all(
    nodeIds.map(async (nodeId) => {
      try {
        const response = await ctx.nodes.call<T>(nodeId, {
          method: "GET",
          path,
          timeoutMs: ctx.config.connection_pool.request_timeout_ms,
        });
        if (response.status >= 400 && response.status < 500) throw nodeErrorOf(response);
        return response.status < 300 ? { ...response.body, nodeId } : undefined;
      } catch (error) {
        if (error instanceof NodeCallError) return undefined;
        throw error;
      }
    }),
  );
  return settled.filter((answer) => answer !== undefined);
}
