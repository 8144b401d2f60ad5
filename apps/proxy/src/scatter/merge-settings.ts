import { MeiliError } from "@miroir/errors";
import type { FacetValueOrder, MergeSettings } from "@miroir/merger";
import { askAnyNode } from "../broadcast/ask-nodes.js";
import { clientMaxValuesPerFacet } from "../broadcast/node-faceting.js";
import type { ProxyContext } from "../context.js";
import { expectSuccess, indexPath, type NodeRequest } from "../node-client/index.js";
import { rejectionOf } from "./original-request.js";
import { preferredNodes, type ReadScope, shardsUnavailable } from "./read-scope.js";

interface NodeSettings {
  rankingRules?: string[];
  distinctAttribute?: string | null;
  filterableAttributes?: unknown[];
  faceting?: {
    maxValuesPerFacet?: number;
    sortFacetValuesBy?: Record<string, FacetValueOrder>;
  };
  pagination?: { maxTotalHits?: number };
}

/** Meilisearch's defaults, for an index that does not exist (its queries then fail on the nodes). */
export const DEFAULT_MERGE_SETTINGS: MergeSettings = {
  primaryKey: null,
  rankingRules: [
    "words",
    "typo",
    "proximity",
    "attributeRank",
    "sort",
    "wordPosition",
    "exactness",
  ],
  distinctAttribute: null,
  faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "alpha" } },
  pagination: { maxTotalHits: 1000 },
};

/**
 * The settings a merge depends on, read from one node (settings are identical on every
 * node). A node's 4xx (`index_not_found`) is thrown as it is.
 */
export async function readMergeSettings(
  ctx: ProxyContext,
  scope: ReadScope,
  indexUid: string,
): Promise<MergeSettings> {
  const nodes = preferredNodes(scope, ctx.nodes.nodeIds);
  const timeoutMs = scope.settings.nodeTimeoutMs;
  const [index, settings] = await Promise.all([
    askAnyNode(ctx, nodes, { method: "GET", path: indexPath(indexUid), timeoutMs }),
    askAnyNode(ctx, nodes, {
      method: "GET",
      path: `${indexPath(indexUid)}/settings`,
      timeoutMs,
    }),
  ]);
  // No node answers at all: no shard can be read either.
  if (index === undefined || settings === undefined) throw shardsUnavailable("every shard");
  const primaryKey = expectSuccess<{ primaryKey?: string | null }>(index).primaryKey ?? null;
  return mergeSettingsOf(primaryKey, expectSuccess<NodeSettings>(settings));
}

/**
 * The index's merge settings from the catalog's cache, read from a node on a miss (the
 * first read of an index, or the first after a change invalidated them).
 */
export function cachedMergeSettings(
  ctx: ProxyContext,
  scope: ReadScope,
  indexUid: string,
): Promise<MergeSettings> {
  return ctx.indexes.settings.read(indexUid, () => readMergeSettings(ctx, scope, indexUid));
}

/**
 * The settings of each index a multi-search names. An index whose settings cannot be read
 * (it does not exist) gets the defaults: its query then fails on the nodes, which word
 * the error as Meilisearch does for that position of the batch.
 */
export async function readSettingsOfIndexes(
  ctx: ProxyContext,
  scope: ReadScope,
  indexUids: readonly string[],
): Promise<(indexUid: string) => MergeSettings> {
  const unique = [...new Set(indexUids)];
  const read = await Promise.all(
    unique.map((indexUid) =>
      cachedMergeSettings(ctx, scope, indexUid).catch((error: unknown) => {
        if (error instanceof MeiliError && error.status < 500) return DEFAULT_MERGE_SETTINGS;
        throw error;
      }),
    ),
  );
  const byIndex = new Map(unique.map((indexUid, position) => [indexUid, read[position]]));
  return (indexUid) => byIndex.get(indexUid) ?? DEFAULT_MERGE_SETTINGS;
}

/** Whether `attribute` matches a pattern of `filterableAttributes` (`*` at either end). */
function matchesPattern(pattern: string, attribute: string): boolean {
  if (pattern === "*" || pattern === attribute || attribute.startsWith(`${pattern}.`)) return true;
  const starts = pattern.startsWith("*");
  const ends = pattern.endsWith("*");
  const core = pattern.slice(starts ? 1 : 0, ends ? -1 : undefined);
  if (starts && ends) return attribute.includes(core);
  if (starts) return attribute.endsWith(core);
  if (ends) return attribute.startsWith(core);
  return false;
}

/**
 * Whether the distinct attribute can be counted by facet on every shard: it is filterable
 * (string form), or an object form's pattern matches it with equality filtering on.
 */
function distinctFilterable(settings: NodeSettings): boolean {
  const attribute = settings.distinctAttribute;
  if (typeof attribute !== "string") return false;
  return (settings.filterableAttributes ?? []).some((rule) => {
    if (typeof rule === "string") return matchesPattern(rule, attribute);
    if (typeof rule !== "object" || rule === null) return false;
    const { attributePatterns, features } = rule as {
      attributePatterns?: unknown;
      features?: { filter?: { equality?: boolean } };
    };
    if (features?.filter?.equality === false || !Array.isArray(attributePatterns)) return false;
    return attributePatterns.some(
      (pattern) => typeof pattern === "string" && matchesPattern(pattern, attribute),
    );
  });
}

export function mergeSettingsOf(primaryKey: string | null, settings: NodeSettings): MergeSettings {
  const defaults = DEFAULT_MERGE_SETTINGS;
  return {
    primaryKey,
    rankingRules: settings.rankingRules ?? defaults.rankingRules,
    distinctAttribute: settings.distinctAttribute ?? null,
    distinctAttributeFilterable: distinctFilterable(settings),
    faceting: {
      // What the client configured: the nodes keep a larger maximum (see node-faceting.ts).
      maxValuesPerFacet: clientMaxValuesPerFacet(settings.faceting),
      sortFacetValuesBy:
        settings.faceting?.sortFacetValuesBy ?? defaults.faceting.sortFacetValuesBy,
    },
    pagination: {
      maxTotalHits: settings.pagination?.maxTotalHits ?? defaults.pagination.maxTotalHits,
    },
  };
}

/**
 * Runs `read` with the index's settings. Cached settings are used as they are; settings
 * past the cache's time to live (proxies sharing a task store) are used while the current
 * ones are read alongside, and the read runs again if they changed, so an answer is never
 * merged with settings older than that time to live. A miss waits for the settings. When
 * they cannot be read (no such index), the client's `original` request gets a node's error.
 */
export async function withMergeSettings<T>(
  ctx: ProxyContext,
  scope: ReadScope,
  indexUid: string,
  read: (settings: MergeSettings) => Promise<T>,
  original?: NodeRequest,
): Promise<T> {
  const cached = ctx.indexes.settings.get(indexUid);
  if (cached?.fresh === true) return read(cached.settings);
  const current = cachedMergeSettings(ctx, scope, indexUid).catch(async (error: unknown) => {
    // A node checks the request before it looks the index up (a filter that does not
    // parse is `invalid_search_filter` even on a missing index): its error, in its order.
    if (original === undefined || !(error instanceof MeiliError) || error.status >= 500) {
      throw error;
    }
    throw await rejectionOf(ctx, scope, original);
  });
  if (cached === undefined) return read(await current);
  const [early, settings] = await Promise.all([
    read(cached.settings).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
    current,
  ]);
  if (JSON.stringify(settings) !== JSON.stringify(cached.settings)) return read(settings);
  if (!early.ok) throw early.error;
  return early.value;
}
