import { type MergeSettings, planShardQuery, type SearchQuery } from "@miroir/merger";
import { coveringSet, type NodeHealth, type NodeId, queryGroup, shardOf } from "@miroir/router";
import type { Fleet } from "./fleet.js";
import type { Random } from "./random.js";

/** What one search costs the fleet, as the read path would send it. */
export interface FanOutReport {
  readonly queries: number;
  /** Nodes one search asks, with no primary-key filter: every covering node of its group. */
  readonly unpinned: { readonly mean: number; readonly max: number };
  /**
   * Nodes one search asks when its filter pins the primary key to `keys` values
   * (`id = 7`, `id IN [7, 9, …]`): only the covering nodes of those values' shards.
   */
  readonly pinned: readonly { readonly keys: number; readonly mean: number }[];
  /** Bytes of the node queries behind one unpinned search (the shard filter grows with S/n). */
  readonly nodeQueryBytes: number;
  /** Hits the nodes are asked for, per unpinned search, for a first and a deep page. */
  readonly hitsRequested: readonly {
    readonly offset: number;
    readonly limit: number;
    readonly perSearch: number;
  }[];
}

/** Meilisearch's defaults, which decide how far a deep page may reach. */
const DEFAULT_SETTINGS: MergeSettings = {
  primaryKey: "id",
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

const PAGES = [
  { offset: 0, limit: 20 },
  { offset: 980, limit: 20 },
] as const;

export interface FanOutOptions {
  /** Searches to simulate, with sequence numbers 0, 1, … as one proxy would number them. */
  readonly queries: number;
  /** Sizes of primary-key filters to simulate. */
  readonly pinnedKeys: readonly number[];
  readonly random: Random;
}

/**
 * The fan-out of searches on a healthy fleet: each search picks its group with the router's
 * `queryGroup` and its replicas with `coveringSet`, as the proxy does; a pinned search keeps
 * only the covering nodes of its keys' shards (`shardOf`). The node queries are the
 * merger's own `planShardQuery`, so their size and the hits they ask for are what the
 * proxy would send.
 */
export function searchFanOut(fleet: Fleet, options: FanOutOptions): FanOutReport {
  const { topology } = fleet;
  const health = new Map<NodeId, NodeHealth>();
  const fanOuts: number[] = [];
  const pinned = options.pinnedKeys.map((keys) => ({ keys, total: 0 }));
  let bytes = 0;
  const hits = PAGES.map((page) => ({ ...page, total: 0 }));
  for (let seq = 0; seq < options.queries; seq++) {
    const covering = coveringSet(topology, queryGroup(seq, topology), seq, health);
    fanOuts.push(covering.byNode.size);
    const nodeOf = new Map<number, NodeId>();
    for (const [node, shards] of covering.byNode) {
      for (const shard of shards) nodeOf.set(shard, node);
      bytes += JSON.stringify(
        planShardQuery({ q: "query" }, DEFAULT_SETTINGS, shards).query,
      ).length;
      for (const page of hits) {
        const query: SearchQuery = { q: "query", offset: page.offset, limit: page.limit };
        page.total += planShardQuery(query, DEFAULT_SETTINGS, shards).query.limit ?? 0;
      }
    }
    for (const entry of pinned) {
      const nodes = new Set<NodeId>();
      for (let k = 0; k < entry.keys; k++) {
        const shard = shardOf(`user-${options.random.hex8()}`, topology.shards);
        const node = nodeOf.get(shard);
        if (node !== undefined) nodes.add(node);
      }
      entry.total += nodes.size;
    }
  }
  const queries = options.queries;
  return {
    queries,
    unpinned: {
      mean: fanOuts.reduce((sum, n) => sum + n, 0) / queries,
      max: Math.max(...fanOuts),
    },
    pinned: pinned.map((entry) => ({ keys: entry.keys, mean: entry.total / queries })),
    nodeQueryBytes: bytes / queries,
    hitsRequested: hits.map((page) => ({
      offset: page.offset,
      limit: page.limit,
      perSearch: page.total / queries,
    })),
  };
}
