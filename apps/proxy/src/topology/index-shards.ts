import type { Topology } from "@miroir/router";
import { withShards } from "@miroir/router";
import type { IndexShardCount, TaskStore } from "@miroir/taskstore";
import { type DutyRunner, startDuty } from "../duties/background-duty.js";

/**
 * This process's view of the per-index shard counts in the task store. An index not
 * listed has the configured `shards`. Reads are synchronous (every routed request asks);
 * the view is replaced as a whole, never edited.
 */
export interface IndexShardTable {
  /** The shard count of an index. */
  of(indexUid: string): number;
  /** The largest shard count of any index (at least the configured one). */
  max(): number;
  /** Every index with a count of its own. */
  list(): readonly IndexShardCount[];
  /** Takes a change made here at once, ahead of the next read of the store. */
  apply(change: IndexShardCount | { readonly deleted: string }): void;
  /** Reads every count from the store now. */
  refresh(): Promise<void>;
}

export function createIndexShardTable(store: TaskStore, configured: number): IndexShardTable {
  let records: readonly IndexShardCount[] = [];
  let byUid = new Map<string, number>();
  let largest = configured;
  let changesApplied = 0;

  function install(next: readonly IndexShardCount[]): void {
    records = [...next].sort((a, b) =>
      a.indexUid < b.indexUid ? -1 : a.indexUid > b.indexUid ? 1 : 0,
    );
    byUid = new Map(records.map((record) => [record.indexUid, record.shards]));
    largest = Math.max(configured, ...records.map((record) => record.shards));
  }

  return {
    of: (indexUid) => byUid.get(indexUid) ?? configured,
    max: () => largest,
    list: () => records,
    apply(change) {
      changesApplied += 1;
      const rest = records.filter(
        (record) => record.indexUid !== ("deleted" in change ? change.deleted : change.indexUid),
      );
      install("deleted" in change ? rest : [...rest, change]);
    },
    async refresh() {
      const before = changesApplied;
      const read = await store.indexShards.list();
      if (changesApplied !== before) return;
      install(read);
    },
  };
}

/** What per-index routing needs of the proxy's context. */
interface ShardedFleet {
  readonly cluster: { readonly topology: Topology };
  readonly indexShards: IndexShardTable;
}

/**
 * The topology an index is routed by: the fleet as it is now, with the index's shard
 * count. Placement of shard `s` does not depend on the count, so every index shares the
 * same owners for the shards they have in common.
 */
export function topologyOf(ctx: ShardedFleet, indexUid: string): Topology {
  return withShards(ctx.cluster.topology, ctx.indexShards.of(indexUid));
}

/**
 * The fleet with the largest shard count of any index: what work over every index and
 * every shard (a rebalance, shard coverage, the reads of several indexes) plans with.
 */
export function widestTopology(ctx: ShardedFleet): Topology {
  return withShards(ctx.cluster.topology, ctx.indexShards.max());
}

/** Every shard of an index, ascending. */
export function shardsOfIndex(ctx: ShardedFleet, indexUid: string): number[] {
  return Array.from({ length: ctx.indexShards.of(indexUid) }, (_, shard) => shard);
}

export interface IndexShardFollowerOptions {
  readonly table: IndexShardTable;
  readonly intervalMs: number;
  readonly duties: DutyRunner;
}

/** Keeps this process's shard counts equal to the store's within one interval. */
export function startIndexShardFollower(options: IndexShardFollowerOptions): {
  stop(): Promise<void>;
} {
  const reads = startDuty(options.duties, {
    name: "shard-count-follower",
    intervalMs: options.intervalMs,
    mode: "everywhere",
    jitter: 0.1,
    run: () => options.table.refresh(),
  });
  return { stop: reads.stop };
}
