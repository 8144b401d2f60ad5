import { SHARD_FIELD } from "@miroir/merger";
import { Hono } from "hono";
import type { ProxyContext } from "../../context.js";
import { expectSuccess } from "../../node-client/index.js";
import { askAnyNode } from "../../scatter/ask-any-node.js";
import { openRead, preferredNodes, type ReadScope } from "../../scatter/read-scope.js";
import { shardCounts, totalOf } from "../../scatter/shard-counts.js";
import { indexPath } from "../index-uid.js";

/** One index as the admin console shows it. */
export interface AdminIndexView {
  readonly uid: string;
  readonly primaryKey: string | null;
  readonly numberOfDocuments: number;
  /** Documents per shard (position = shard), each shard counted on one replica. */
  readonly documentsPerShard: readonly number[];
  /** What a search over this index may facet, filter and sort on (`_miroir_*` hidden). */
  readonly filterableAttributes: readonly string[];
  readonly sortableAttributes: readonly string[];
}

interface NodeIndexSettings {
  filterableAttributes?: (string | { attributePatterns?: string[] })[];
  sortableAttributes?: string[];
  faceting?: { maxValuesPerFacet?: number };
}

/**
 * `GET /_miroir/indexes`: every index with its exact document count per shard, read the
 * way index stats are (a `limit 0` search faceted on the shard field, each shard on one
 * replica). Shards no replica could count are named in `unavailableShards`.
 */
export function adminIndexRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();

  routes.get("/_miroir/indexes", async (c) => {
    const scope = openRead(ctx);
    const listed = expectSuccess<{ results: { uid: string; primaryKey: string | null }[] }>(
      await askAny(ctx, scope, "/indexes", { limit: "1000000" }),
    ).results;
    const indexes = [...listed].sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
    const settings = await Promise.all(
      indexes.map(async (index) =>
        expectSuccess<NodeIndexSettings>(
          await askAny(ctx, scope, `${indexPath(index.uid)}/settings`),
        ),
      ),
    );
    const counts = await shardCounts(
      ctx,
      scope,
      indexes.map((index, position) => ({
        uid: index.uid,
        maxValuesPerFacet: settings[position]?.faceting?.maxValuesPerFacet ?? 100,
      })),
    );
    const results: AdminIndexView[] = indexes.map((index, position) => {
      const perShard = counts.byIndex.get(index.uid) ?? [];
      return {
        uid: index.uid,
        primaryKey: index.primaryKey ?? null,
        numberOfDocuments: totalOf(perShard),
        documentsPerShard: perShard,
        filterableAttributes: visible(filterableNames(settings[position]?.filterableAttributes)),
        sortableAttributes: visible(settings[position]?.sortableAttributes ?? []),
      };
    });
    return c.json({ results, unavailableShards: counts.lost });
  });

  return routes;
}

function askAny(ctx: ProxyContext, scope: ReadScope, path: string, query?: Record<string, string>) {
  return askAnyNode(ctx, preferredNodes(scope, ctx.nodes.nodeIds), {
    method: "GET",
    path,
    ...(query === undefined ? {} : { query }),
    timeoutMs: scope.settings.nodeTimeoutMs,
  });
}

/** Filterable attributes are names or, since Meilisearch 1.14, `{attributePatterns}` objects. */
function filterableNames(entries: NodeIndexSettings["filterableAttributes"]): string[] {
  return (entries ?? []).flatMap((entry) =>
    typeof entry === "string" ? [entry] : (entry.attributePatterns ?? []),
  );
}

function visible(names: readonly string[]): string[] {
  return names.filter((name) => name !== SHARD_FIELD && !name.startsWith("_miroir_")).sort();
}
