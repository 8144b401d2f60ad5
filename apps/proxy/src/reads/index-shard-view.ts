import { SHARD_FIELD } from "@miroir/merger";
import { askAnyNode } from "../broadcast/ask-nodes.js";
import type { ProxyContext } from "../context.js";
import { expectSuccess, indexPath } from "../node-client/index.js";
import {
  openRead,
  preferredNodes,
  type ReadScope,
  shardsUnavailable,
} from "../scatter/read-scope.js";
import { scatter } from "../scatter/scatter.js";
import { shardCountRead } from "../scatter/shard-counts.js";

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
 * Every index with its exact document count per shard, read the way index stats are (a
 * `limit 0` search faceted on the shard field, each shard on one replica). Shards no
 * replica could count are named in `unavailableShards`.
 */
export async function indexShardViews(
  ctx: ProxyContext,
): Promise<{ results: AdminIndexView[]; unavailableShards: number[] }> {
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
  // Lost shards are listed rather than answered by the unavailable-shard policy: the
  // console shows what it could count.
  const read = shardCountRead(
    scope,
    indexes.map((index, position) => ({
      uid: index.uid,
      maxValuesPerFacet: settings[position]?.faceting?.maxValuesPerFacet ?? 100,
    })),
  );
  const outcome = await scatter(ctx, scope, read);
  const counts = read.merge(outcome.checked);
  const results: AdminIndexView[] = indexes.map((index, position) => {
    const perShard = (counts.get(index.uid) ?? []).slice(0, ctx.indexShards.of(index.uid));
    return {
      uid: index.uid,
      primaryKey: index.primaryKey ?? null,
      numberOfDocuments: perShard.reduce((sum, count) => sum + count, 0),
      documentsPerShard: perShard,
      filterableAttributes: visible(filterableNames(settings[position]?.filterableAttributes)),
      sortableAttributes: visible(settings[position]?.sortableAttributes ?? []),
    };
  });
  return { results, unavailableShards: outcome.lost };
}

async function askAny(
  ctx: ProxyContext,
  scope: ReadScope,
  path: string,
  query?: Record<string, string>,
) {
  const response = await askAnyNode(ctx, preferredNodes(scope, ctx.nodes.nodeIds), {
    method: "GET",
    path,
    ...(query === undefined ? {} : { query }),
    timeoutMs: scope.settings.nodeTimeoutMs,
  });
  if (response === undefined) throw shardsUnavailable("every shard");
  return response;
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
