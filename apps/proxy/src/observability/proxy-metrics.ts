import { Counter, Gauge, Histogram, Registry } from "prom-client";

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The Prometheus metrics of one proxy process (every name `miroir_`-prefixed), in a
 * registry of their own so that several proxies in one process never share counters.
 * Route labels are templates (`/indexes/:uid/search`), never raw paths.
 */
export interface ProxyMetrics {
  readonly registry: Registry;
  readonly requestDuration: Histogram<"method" | "path_template" | "status">;
  readonly requestsTotal: Counter<"method" | "path_template" | "status">;
  readonly requestsInFlight: Gauge;
  readonly nodeRequestDuration: Histogram<"node_id" | "operation">;
  readonly nodeErrors: Counter<"node_id" | "error_type">;
  readonly nodeHealthy: Gauge<"node_id">;
  readonly nodeHealthChanges: Counter<"node_id" | "health">;
  readonly shardCoverage: Gauge;
  readonly degradedShards: Gauge;
  readonly shardDistribution: Gauge<"node_id">;
  /** Recorded by the read path: nodes asked per scatter. */
  readonly scatterFanOut: Histogram;
  /** Recorded by the read path: answers missing some shard. */
  readonly scatterPartialResponses: Counter;
  /** Recorded by the read path: shards retried on another replica or group. */
  readonly scatterRetries: Counter;
  /** Recorded by the read path: node requests sent as hedges of a slow one, and those that won. */
  readonly hedgesSent: Counter;
  readonly hedgesWon: Counter;
  readonly taskRegistrySize: Gauge<"status">;
  /** Recorded by the task store this process writes through (`observedTaskStore`). */
  readonly tasksTotal: Counter<"status">;
  readonly oldestTaskAge: Gauge<"status">;
  /** Recorded by every background duty (`duties/`): runs, failed runs, run time. */
  readonly dutyRuns: Counter<"duty">;
  readonly dutyFailures: Counter<"duty">;
  readonly dutyDuration: Histogram<"duty">;
  /** Recorded by the write path: writes a replica missed, kept as hints. */
  readonly hintsRecorded: Counter<"node_id">;
  /** Recorded by the hint replay: hints a returning replica applied. */
  readonly hintsReplayed: Counter<"node_id">;
  readonly hintsPending: Gauge<"node_id">;
  readonly replicaRecovering: Gauge<"node_id">;
  readonly replicaAwaitingFullRepair: Gauge<"node_id">;
  /** Recorded by anti-entropy: documents found different between replicas, and repaired. */
  readonly divergentDocuments: Counter<"index">;
  readonly repairedDocuments: Counter<"index">;
  /** Recorded by anti-entropy: settings found different on some node, and repaired. */
  readonly settingsRepairs: Counter<"index">;
  /** Recorded by anti-entropy: documents compared in the running pass, of the pass's total. */
  readonly repairProgress: Gauge<"index">;
  readonly sinceLastVerification: Gauge<"index">;
  /** Recorded by the admin gate: refused admin API requests, by reason. */
  readonly adminAuthFailures: Counter<"reason">;
  /** Recorded by the rebalancer: 1 while this process runs a migration. */
  readonly rebalanceRunning: Gauge;
  /** Recorded by the rebalancer: shard moves of the running migration, and those done. */
  readonly rebalanceShardsTotal: Gauge;
  readonly rebalanceShardsDone: Gauge;
  /** Recorded by the rebalancer: documents written to nodes gaining a shard. */
  readonly rebalanceDocumentsCopied: Counter;
  /** The text exposition of every metric. */
  exposition(): Promise<string>;
}

export interface ProxyMetricsOptions {
  /** Counts Miroir tasks per status when the registry is scraped. */
  readonly countTasks?: () => Promise<Readonly<Record<string, number>>>;
  /** The age in seconds of the oldest task per unfinished status, read at scrape time. */
  readonly oldestTaskAges?: () => Promise<Readonly<Record<string, number>>>;
  /** Convergence state read at scrape time: hints pending and recovering replicas. */
  readonly replicas?: () => {
    readonly nodeIds: readonly string[];
    readonly pending: ReadonlyMap<string, number>;
    readonly recovering: ReadonlySet<string>;
    readonly awaitingFullRepair: ReadonlySet<string>;
  };
  /** When each index was last fully verified (epoch ms), read at scrape time. */
  readonly lastVerifications?: () => ReadonlyMap<string, number>;
}

export function createProxyMetrics(options: ProxyMetricsOptions = {}): ProxyMetrics {
  const registry = new Registry();
  const registers = [registry];
  const { countTasks, oldestTaskAges, replicas, lastVerifications } = options;
  const metrics: Omit<ProxyMetrics, "exposition" | "registry"> = {
    requestDuration: new Histogram({
      name: "miroir_request_duration_seconds",
      help: "Time to answer a client request, by method, route template and status.",
      labelNames: ["method", "path_template", "status"],
      buckets: SECONDS,
      registers,
    }),
    requestsTotal: new Counter({
      name: "miroir_requests_total",
      help: "Client requests answered, by method, route template and status.",
      labelNames: ["method", "path_template", "status"],
      registers,
    }),
    requestsInFlight: new Gauge({
      name: "miroir_requests_in_flight",
      help: "Client requests being answered now.",
      registers,
    }),
    nodeRequestDuration: new Histogram({
      name: "miroir_node_request_duration_seconds",
      help: "Time of one call from Miroir to a node, by node and operation.",
      labelNames: ["node_id", "operation"],
      buckets: SECONDS,
      registers,
    }),
    nodeErrors: new Counter({
      name: "miroir_node_errors_total",
      help: "Node calls that failed: unreachable, timeout, or a 5xx answer.",
      labelNames: ["node_id", "error_type"],
      registers,
    }),
    nodeHealthy: new Gauge({
      name: "miroir_node_healthy",
      help: "1 when the node answers its health probes, 0.5 when degraded, 0 when unreachable.",
      labelNames: ["node_id"],
      registers,
    }),
    nodeHealthChanges: new Counter({
      name: "miroir_node_health_changes_total",
      help: "Health changes seen by the health checker, by node and new health.",
      labelNames: ["node_id", "health"],
      registers,
    }),
    shardCoverage: new Gauge({
      name: "miroir_shard_coverage",
      help: "Fraction of shards with at least one reachable replica that serves reads.",
      registers,
    }),
    degradedShards: new Gauge({
      name: "miroir_degraded_shards_total",
      help: "Shards with fewer reachable replicas than replica_groups × replication_factor.",
      registers,
    }),
    shardDistribution: new Gauge({
      name: "miroir_shard_distribution",
      help: "Shards each node holds (serving placement, every group).",
      labelNames: ["node_id"],
      registers,
    }),
    scatterFanOut: new Histogram({
      name: "miroir_scatter_fan_out_size",
      help: "Nodes asked by one scatter (a search is one; listings and /similar run two).",
      buckets: [1, 2, 3, 5, 8, 13, 21, 34, 55],
      registers,
    }),
    scatterPartialResponses: new Counter({
      name: "miroir_scatter_partial_responses_total",
      help: "Reads answered without some shard (unavailable_shard_policy partial).",
      registers,
    }),
    scatterRetries: new Counter({
      name: "miroir_scatter_retries_total",
      help: "Shards of a read retried on another replica or group.",
      registers,
    }),
    hedgesSent: new Counter({
      name: "miroir_hedged_requests_total",
      help: "Node requests sent to another replica because the first one was slow to answer.",
      registers,
    }),
    hedgesWon: new Counter({
      name: "miroir_hedged_requests_won_total",
      help: "Hedged reads answered by the hedge before the slow node.",
      registers,
    }),
    dutyRuns: new Counter({
      name: "miroir_duty_runs_total",
      help: "Runs of each background duty in this process (failed runs included).",
      labelNames: ["duty"],
      registers,
    }),
    dutyFailures: new Counter({
      name: "miroir_duty_failures_total",
      help: "Runs of each background duty that failed.",
      labelNames: ["duty"],
      registers,
    }),
    dutyDuration: new Histogram({
      name: "miroir_duty_duration_seconds",
      help: "Time one run of a background duty took.",
      labelNames: ["duty"],
      buckets: SECONDS,
      registers,
    }),
    hintsRecorded: new Counter({
      name: "miroir_hints_recorded_total",
      help: "Writes a replica missed (down, timed out, a 5xx, or behind its own hints), kept as hints.",
      labelNames: ["node_id"],
      registers,
    }),
    hintsReplayed: new Counter({
      name: "miroir_hints_replayed_total",
      help: "Hints replayed to a returning replica and applied there.",
      labelNames: ["node_id"],
      registers,
    }),
    hintsPending: new Gauge({
      name: "miroir_hints_pending",
      help: "Hints waiting to be replayed, by node.",
      labelNames: ["node_id"],
      registers,
      collect() {
        if (replicas === undefined) return;
        const { nodeIds, pending } = replicas();
        for (const node_id of nodeIds) this.set({ node_id }, pending.get(node_id) ?? 0);
      },
    }),
    replicaRecovering: new Gauge({
      name: "miroir_replica_recovering",
      help: "1 while a node has hints to replay or awaits verification (no reads go to it), else 0.",
      labelNames: ["node_id"],
      registers,
      collect() {
        if (replicas === undefined) return;
        const { nodeIds, recovering } = replicas();
        for (const node_id of nodeIds) this.set({ node_id }, recovering.has(node_id) ? 1 : 0);
      },
    }),
    replicaAwaitingFullRepair: new Gauge({
      name: "miroir_replica_awaiting_full_repair",
      help: "1 while a node whose hints passed anti_entropy.max_hints_per_node awaits a full repair of its shards, else 0.",
      labelNames: ["node_id"],
      registers,
      collect() {
        if (replicas === undefined) return;
        const { nodeIds, awaitingFullRepair } = replicas();
        for (const node_id of nodeIds) {
          this.set({ node_id }, awaitingFullRepair.has(node_id) ? 1 : 0);
        }
      },
    }),
    divergentDocuments: new Counter({
      name: "miroir_anti_entropy_divergent_documents_total",
      help: "Documents anti-entropy found different between the replicas of their shard.",
      labelNames: ["index"],
      registers,
    }),
    repairedDocuments: new Counter({
      name: "miroir_anti_entropy_repaired_documents_total",
      help: "Documents anti-entropy rewrote or deleted on a replica to match the newest version.",
      labelNames: ["index"],
      registers,
    }),
    settingsRepairs: new Counter({
      name: "miroir_anti_entropy_settings_repairs_total",
      help: "Nodes whose index settings anti-entropy found different and set back.",
      labelNames: ["index"],
      registers,
    }),
    repairProgress: new Gauge({
      name: "miroir_anti_entropy_progress_ratio",
      help: "Share of the index's shards compared by the pass in progress (1 when it is over).",
      labelNames: ["index"],
      registers,
    }),
    sinceLastVerification: new Gauge({
      name: "miroir_anti_entropy_seconds_since_verification",
      help: "Seconds since every shard of the index was last compared across its replicas.",
      labelNames: ["index"],
      registers,
      collect() {
        if (lastVerifications === undefined) return;
        const now = Date.now();
        for (const [index, at] of lastVerifications()) this.set({ index }, (now - at) / 1000);
      },
    }),
    rebalanceRunning: new Gauge({
      name: "miroir_rebalance_running",
      help: "1 while this process runs a migration (shards moving after a fleet change), else 0.",
      registers,
    }),
    rebalanceShardsTotal: new Gauge({
      name: "miroir_rebalance_shards_total",
      help: "Shard moves (shard and replica group) of the running or last migration.",
      registers,
    }),
    rebalanceShardsDone: new Gauge({
      name: "miroir_rebalance_shards_done",
      help: "Shard moves of the running or last migration whose copy is verified.",
      registers,
    }),
    rebalanceDocumentsCopied: new Counter({
      name: "miroir_rebalance_documents_copied_total",
      help: "Documents the rebalancer wrote to nodes gaining a shard (copies and verification repairs).",
      registers,
    }),
    adminAuthFailures: new Counter({
      name: "miroir_admin_auth_failures_total",
      help: "Admin API requests refused for a missing (`missing`) or wrong (`wrong`) admin key.",
      labelNames: ["reason"],
      registers,
    }),
    taskRegistrySize: new Gauge({
      name: "miroir_task_registry_size",
      help: "Miroir tasks in the task store, by status.",
      labelNames: ["status"],
      registers,
      async collect() {
        if (countTasks === undefined) return;
        for (const [status, count] of Object.entries(await countTasks())) {
          this.set({ status }, count);
        }
      },
    }),
    tasksTotal: new Counter({
      name: "miroir_tasks_total",
      help: "Miroir tasks this process recorded entering each status (created, then finished).",
      labelNames: ["status"],
      registers,
    }),
    oldestTaskAge: new Gauge({
      name: "miroir_task_oldest_age_seconds",
      help: "Seconds since the oldest enqueued (or processing) Miroir task was accepted; 0 when none.",
      labelNames: ["status"],
      registers,
      async collect() {
        if (oldestTaskAges === undefined) return;
        for (const [status, age] of Object.entries(await oldestTaskAges())) {
          this.set({ status }, age);
        }
      },
    }),
  };
  return {
    registry,
    ...metrics,
    exposition: () => registry.metrics(),
  };
}
