import type { MiroirConfig } from "@miroir/config";
import type { HealthView, Topology } from "@miroir/router";
import type { TaskStore } from "@miroir/taskstore";
import type { Logger } from "pino";
import type { AliasTable } from "./aliases/alias-table.js";
import type { KeyCache } from "./auth/index.js";
import type { IndexCatalog } from "./catalog/index-catalog.js";
import type { HintedHandoff } from "./convergence/hinted-handoff.js";
import type { RepairRunner } from "./convergence/repair-runner.js";
import type { VersionClock } from "./convergence/version-clock.js";
import type { ProcessCoordination } from "./duties/lease-coordination.js";
import type { HealthChecker } from "./health/index.js";
import type { NodeClient } from "./node-client/index.js";
import type { ProxyMetrics } from "./observability/index.js";
import type { SearchCoalescer } from "./reads/search-coalescing.js";
import type { Rebalancer } from "./rebalance/rebalancer.js";
import type { ReshardTable } from "./resharding/reshard-table.js";
import type { HedgeBudget } from "./scatter/hedge-budget.js";
import type { ReplicaTracker } from "./scatter/replica-tracker.js";
import type { TaskRefresh } from "./tasks/task-refresh.js";
import type { IndexShardTable } from "./topology/index-shards.js";
import type { NodeWriteQueue } from "./write/node-write-queue.js";

/**
 * Everything a route family needs, built once by `createProxy` and passed down.
 */
export interface ProxyContext {
  /** Miroir's configuration, as @miroir/config read and validated it. */
  readonly config: MiroirConfig;
  readonly nodes: NodeClient;
  readonly logger: Logger;
  /** Per-process sequence used to rotate query groups and replicas. */
  readonly seq: SequenceCounter;
  /** Each node's recent read latency, load and errors: replica choice and hedging (scatter/). */
  readonly replicas: ReplicaTracker;
  /** The cap on hedged node requests (scatter/). */
  readonly hedgeBudget: HedgeBudget;
  /** The fleet as placement sees it; replaced (never mutated) when a node changes state. */
  readonly cluster: ClusterView;
  readonly taskStore: TaskStore;
  /** Per-(node, index) FIFO for every write that leaves the process. */
  readonly writes: NodeWriteQueue;
  readonly indexes: IndexCatalog;
  /** The index aliases, as the task store holds them (aliases/). */
  readonly aliases: AliasTable;
  /** The shard count of each index (the configured one unless resharded; topology/). */
  readonly indexShards: IndexShardTable;
  /** The reshards in progress, as the task store holds them: the write gate (resharding/). */
  readonly reshards: ReshardTable;
  /** Uids of Miroir tasks whose outcome a running operation decides, not the poller. */
  readonly coordinatedTasks: Set<number>;
  /** Brings unfinished tasks up to date with their node tasks (tasks/). */
  readonly taskRefresh: TaskRefresh;
  /** The cluster's API keys, for auth and `/keys` (auth/). */
  readonly keys: KeyCache;
  /** Probes of every node: health, last seen, last error (health/). */
  readonly nodeHealth: HealthChecker;
  /** This process's Prometheus metrics (observability/). */
  readonly metrics: ProxyMetrics;
  /** The write clock and the writes replicas missed (convergence/). */
  readonly convergence: ConvergenceState;
  /** This process among those sharing the store: leader lease, partitions, membership (duties/). */
  readonly coordination: ProcessCoordination;
  /** Node changes and the migrations that move data after them (rebalance/). */
  readonly rebalancer: Rebalancer;
  /** Identical searches in flight share one scatter; null when `query_coalescing` is off. */
  readonly searches: SearchCoalescer | null;
}

export interface ConvergenceState {
  readonly clock: VersionClock;
  readonly handoff: HintedHandoff;
  /** When each index was last fully compared across replicas (epoch ms). */
  readonly lastVerified: Map<string, number>;
  /** How many writes to the index this process has sent so far (repairs check it). */
  writesSeen(indexUid: string): number;
  /** Counts a write to the index. */
  countWrite(indexUid: string): void;
  /** Anti-entropy passes, one at a time. */
  readonly repairs: RepairRunner;
}

export interface ClusterView {
  topology: Topology;
  /** Health by node id, replaced by the health checker on every change (missing = healthy). */
  health: HealthView;
}

export interface SequenceCounter {
  next(): number;
}

export function createSequenceCounter(): SequenceCounter {
  let value = 0;
  return {
    next() {
      value = (value + 1) % Number.MAX_SAFE_INTEGER;
      return value;
    },
  };
}

/** How many nodes hold each document: every replica in every group. */
export function copiesOf(config: MiroirConfig): number {
  return config.replica_groups * config.replication_factor;
}
