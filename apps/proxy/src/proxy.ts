import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { MiroirConfig } from "@miroir/config";
import { topologyFromConfig } from "@miroir/router";
import { openTaskStore, type TaskStoreConfig } from "@miroir/taskstore";
import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { Hono } from "hono";
import { type Logger, pino } from "pino";
import { createAliasTable, startAliasFollower } from "./aliases/alias-table.js";
import { createApp, type RouteFamily } from "./app.js";
import { assertAdminGuarded, createKeyCache } from "./auth/index.js";
import { createIndexCatalog } from "./catalog/index-catalog.js";
import { forgetSettingsChangedBy } from "./catalog/settings-changes.js";
import {
  type ConvergenceState,
  copiesOf,
  createSequenceCounter,
  type ProxyContext,
} from "./context.js";
import { repairNodeFully } from "./convergence/full-repair.js";
import { startHintReplay } from "./convergence/hint-replay.js";
import { createHintedHandoff } from "./convergence/hinted-handoff.js";
import { createRepairRunner, startAntiEntropy } from "./convergence/repair-runner.js";
import { createVersionClock } from "./convergence/version-clock.js";
import type { DutyRunner } from "./duties/background-duty.js";
import { createLeaseCoordination } from "./duties/lease-coordination.js";
import { startHealthChecker } from "./health/index.js";
import { readClusterKeys } from "./keys/key-nodes.js";
import { syncClusterKeys } from "./keys/key-sync.js";
import { createNodeClient } from "./node-client/index.js";
import {
  countTasksByStatus,
  createProxyMetrics,
  type MetricsServer,
  observedNodeClient,
  observedTaskStore,
  oldestTaskAges,
  recordFleetHealth,
  startMetricsServer,
  startTracing,
} from "./observability/index.js";
import { createSearchCoalescer } from "./reads/search-coalescing.js";
import { createRebalancer, startRebalanceChecks } from "./rebalance/index.js";
import { startResharding } from "./resharding/reshard.js";
import { createReshardTable, startReshardFollower } from "./resharding/reshard-table.js";
import { startRollover } from "./rollover/rollover.js";
import { adminRoutes } from "./routes/admin/index.js";
import { backupRoutes } from "./routes/backups/index.js";
import { compactionRoutes } from "./routes/compaction/index.js";
import { documentWriteRoutes } from "./routes/documents/index.js";
import { documentReadRoutes } from "./routes/documents-read/index.js";
import { experimentalFeatureRoutes } from "./routes/experimental-features/index.js";
import { fieldRoutes } from "./routes/fields/index.js";
import { healthRoutes } from "./routes/health/index.js";
import { indexRoutes } from "./routes/indexes/index.js";
import { keyRoutes } from "./routes/keys/index.js";
import { refusedRoutes } from "./routes/refused/index.js";
import { renderTemplateRoutes } from "./routes/render-template/index.js";
import { searchRoutes } from "./routes/search/index.js";
import { type RequestListener, withSearchFastPath } from "./routes/search/search-fast-path.js";
import { settingsRoutes } from "./routes/settings/index.js";
import { similarRoutes } from "./routes/similar/index.js";
import { statsRoutes } from "./routes/stats/index.js";
import { systemRoutes } from "./routes/system/index.js";
import { taskDocumentRoutes } from "./routes/task-documents/index.js";
import { taskRoutes } from "./routes/tasks/index.js";
import { uiRoutes } from "./routes/ui/index.js";
import { webhookRoutes } from "./routes/webhooks/index.js";
import { createHedgeBudget } from "./scatter/hedge-budget.js";
import { createReplicaTracker } from "./scatter/replica-tracker.js";
import { startTaskPoller } from "./tasks/task-poller.js";
import { createTaskRefresh } from "./tasks/task-refresh.js";
import { createClusterView } from "./topology/cluster-view.js";
import { configuredFleet } from "./topology/configured-fleet.js";
import { createIndexShardTable, startIndexShardFollower } from "./topology/index-shards.js";
import { setUpJoiningNode } from "./topology/joining-node.js";
import { startTopologyFollower } from "./topology/topology-follower.js";
import { restoreTopology } from "./topology/topology-journal.js";
import { startWebhookNotifier } from "./webhooks/index.js";
import { createNodeWriteQueue } from "./write/node-write-queue.js";

export interface ProxyOptions {
  /** Defaults to a pino JSON logger at `server.log_level`. */
  readonly logger?: Logger;
  /** Receives the spans instead of the configured OTLP collector (tests). */
  readonly spanExporter?: SpanExporter;
}

export interface RunningProxy {
  readonly app: Hono;
  readonly context: ProxyContext;
  /** Listens on `port` (default `server.port`; 0 picks a free one) at `server.host`. */
  listen(port?: number): Promise<{ url: string }>;
  /** Serves Prometheus's `/metrics` on `port` (default `server.metrics_port`; 0 picks one). */
  listenMetrics(port?: number): Promise<{ url: string }>;
  /** Stops accepting, lets in-flight requests finish, then releases every resource. */
  close(): Promise<void>;
}

/** Every route family of the proxy, in mounting order. */
export const routeFamilies: readonly RouteFamily[] = [
  healthRoutes,
  indexRoutes,
  settingsRoutes,
  documentWriteRoutes,
  documentReadRoutes,
  searchRoutes,
  similarRoutes,
  statsRoutes,
  taskRoutes,
  taskDocumentRoutes,
  keyRoutes,
  uiRoutes,
  adminRoutes,
  systemRoutes,
  backupRoutes,
  compactionRoutes,
  experimentalFeatureRoutes,
  fieldRoutes,
  webhookRoutes,
  renderTemplateRoutes,
  refusedRoutes,
];

/** Composes the proxy from a validated configuration; used by `main` and by tests. */
export async function createProxy(
  config: MiroirConfig,
  options: ProxyOptions = {},
): Promise<RunningProxy> {
  assertAdminGuarded(config);
  const logger = options.logger ?? pino({ level: config.server.log_level });
  const store = await openTaskStore(taskStoreConfigOf(config));
  const tracing = startTracing(config.tracing, options.spanExporter);
  const writesSeen = new Map<string, number>();
  const convergence: ConvergenceState = {
    clock: createVersionClock(),
    handoff: createHintedHandoff(store, config.anti_entropy.max_hints_per_node),
    lastVerified: new Map(),
    writesSeen: (indexUid) => writesSeen.get(indexUid) ?? 0,
    countWrite: (indexUid) => writesSeen.set(indexUid, (writesSeen.get(indexUid) ?? 0) + 1),
    repairs: createRepairRunner(() => context),
  };
  // Hints recorded before a restart keep their replicas out of reads until replayed.
  await convergence.handoff.sync();
  const metrics = createProxyMetrics({
    countTasks: () => countTasksByStatus(store),
    oldestTaskAges: () => oldestTaskAges(store),
    replicas: () => ({
      nodeIds: cluster.topology.nodes.map((node) => node.id),
      pending: convergence.handoff.pendingByNode(),
      recovering: convergence.handoff.recovering(),
      awaitingFullRepair: convergence.handoff.awaitingFullRepair(),
    }),
    lastVerifications: () => convergence.lastVerified,
  });
  const taskStore = observedTaskStore(store, metrics);
  const directNodes = createNodeClient({
    nodes: config.nodes,
    nodeMasterKey: config.node_master_key,
    connectionsPerNode: config.connection_pool.connections_per_node,
    keepAliveTimeoutMs: config.connection_pool.keep_alive_timeout_ms,
    requestTimeoutMs: config.connection_pool.request_timeout_ms,
  });
  const nodes = observedNodeClient(directNodes, metrics, tracing.tracer);
  let listeningAt = "";
  const coordination = createLeaseCoordination({
    store: taskStore,
    identity: { id: randomUUID(), version: MIROIR_VERSION, startedAt: Date.now() },
    address: () => listeningAt,
    leaseTtlMs: config.leader_election.lease_ttl_s * 1000,
    renewIntervalMs: config.leader_election.renew_interval_s * 1000,
    logger,
    // Without leader election this process is alone on its store: it runs every duty.
    alone: !config.leader_election.enabled,
  });
  // The first round before any duty starts: a lone process leads from the start.
  await coordination.tick();
  const duties: DutyRunner = { logger, metrics, coordination };
  const fleet = await configuredFleet(
    taskStore,
    topologyFromConfig(config.nodes, config),
    directNodes,
    logger,
  );
  const configured = fleet.base;
  const cluster = createClusterView(
    await restoreTopology(taskStore, configured, logger),
    directNodes,
    (next, previous) => {
      // A node that joins has none of the keys and indexes created before it.
      const known = new Set(previous.nodes.map((node) => node.id));
      const joined = next.nodes.filter((node) => !known.has(node.id) && node.state !== "removed");
      if (joined.length > 0) syncKeys();
      for (const node of joined)
        setUpJoiningNode(context, node.id).then(
          (indexes) => logger.info({ node: node.id, indexes }, "joining node set up"),
          (error: unknown) =>
            logger.warn({ node: node.id, err: error }, "setting up a joining node failed"),
        );
    },
  );
  const topologyFollower = startTopologyFollower({
    store: taskStore,
    configured,
    current: () => cluster.topology,
    apply: (topology) => {
      cluster.topology = topology;
      void nodeHealth.probeAll();
    },
    intervalMs: config.health.interval_ms,
    duties,
  });
  const nodeHealth = startHealthChecker({
    topology: () => cluster.topology,
    intervalMs: config.health.interval_ms,
    timeoutMs: config.health.timeout_ms,
    thresholds: {
      unhealthyAfter: config.health.unhealthy_threshold,
      healthyAfter: config.health.recovery_threshold,
    },
    duties,
    onChange(view, changed) {
      cluster.health = view;
      metrics.nodeHealthChanges.inc({ node_id: changed.nodeId, health: changed.health });
      // A node back from an outage may have missed key writes.
      if (changed.health === "healthy") syncKeys();
    },
    onRound: (view) => recordFleetHealth(metrics, cluster.topology, view),
  });
  void nodeHealth.probeAll();
  const aliases = createAliasTable(taskStore);
  await aliases.refresh();
  const aliasFollower = startAliasFollower({
    table: aliases,
    intervalMs: Math.min(config.health.interval_ms, 1_000),
    duties,
  });
  const indexShards = createIndexShardTable(taskStore, config.shards);
  await indexShards.refresh();
  const indexShardFollower = startIndexShardFollower({
    table: indexShards,
    intervalMs: Math.min(config.health.interval_ms, 1_000),
    duties,
  });
  const reshards = createReshardTable(taskStore, { beforeRelease: () => aliases.refresh() });
  await reshards.refresh();
  const reshardFollower = startReshardFollower({
    table: reshards,
    intervalMs: Math.min(config.health.interval_ms, 1_000),
    duties,
  });
  const context: ProxyContext = {
    config,
    nodes,
    logger,
    seq: createSequenceCounter(),
    replicas: createReplicaTracker(config),
    hedgeBudget: createHedgeBudget(config.hedging.budget_ratio),
    cluster,
    taskStore,
    writes: createNodeWriteQueue(nodes),
    indexes: createIndexCatalog(nodes, { settingsTtlMs: settingsTtlOf(config) }),
    aliases,
    indexShards,
    reshards,
    coordinatedTasks: new Set(),
    taskRefresh: createTaskRefresh({
      store: taskStore,
      nodes,
      copies: copiesOf(config),
      isCoordinated: (uid) => context.coordinatedTasks.has(uid),
      onFinished: (task) => forgetSettingsChangedBy(context.indexes, task),
    }),
    keys: createKeyCache({ load: () => readClusterKeys(context) }),
    nodeHealth,
    metrics,
    convergence,
    coordination,
    rebalancer: createRebalancer(() => context),
    searches: config.query_coalescing.enabled
      ? createSearchCoalescer({
          windowMs: config.query_coalescing.window_ms,
          maxSubscribers: config.query_coalescing.max_subscribers,
          maxPending: config.query_coalescing.max_pending_queries,
        })
      : null,
  };
  // The configuration file's additions join and its omissions drain, like admin changes.
  for (const change of fleet.changes) {
    await context.rebalancer.changeTopology(change).then(
      () => logger.info({ change }, "configuration file changed the fleet"),
      (error: unknown) => logger.warn({ change, err: error }, "configured fleet change refused"),
    );
  }
  const rebalanceChecks = startRebalanceChecks(context, duties);
  const hintReplay = startHintReplay(context, {
    duties,
    intervalMs: Math.min(config.health.interval_ms, 1_000),
    verify: async (nodeId) => {
      await convergence.repairs.run({ nodeId, repair: true });
    },
    repairFully: (nodeId) => repairNodeFully(convergence.repairs, nodeId),
  });
  const antiEntropy = startAntiEntropy(context, duties, {
    processId: coordination.identity.id,
    claimTtlMs: config.leader_election.lease_ttl_s * 1000,
    renewIntervalMs: config.leader_election.renew_interval_s * 1000,
  });
  const rollover = startRollover(context, duties);
  const resharding = startResharding(context, duties, {
    processId: coordination.identity.id,
    claimTtlMs: config.leader_election.lease_ttl_s * 1000,
    renewIntervalMs: config.leader_election.renew_interval_s * 1000,
  });
  const poller = startTaskPoller({
    store: taskStore,
    refresh: context.taskRefresh,
    duties,
    intervalMs: config.task_registry.poll_interval_ms,
    ttlMs: config.task_registry.ttl_seconds * 1000,
  });
  /** Key copies run one after the other: two at once would copy the same key twice. */
  let keySync: Promise<void> = Promise.resolve();
  function syncKeys(): void {
    if (config.master_key === null || config.node_master_key === null) return;
    keySync = keySync.then(() =>
      syncClusterKeys(context).then(
        (copied) => {
          if (copied > 0) logger.info({ copied }, "keys copied to the nodes missing them");
        },
        (error: unknown) => logger.warn({ err: error }, "copying keys to every node failed"),
      ),
    );
  }
  syncKeys();
  const webhooks = startWebhookNotifier({
    store: taskStore,
    duties,
    intervalMs: Math.max(config.task_registry.poll_interval_ms, 100),
  });
  const app = createApp(context, routeFamilies, tracing.tracer);
  let server: ReturnType<typeof serve> | undefined;
  let metricsServer: MetricsServer | undefined;

  return {
    app,
    context,
    listen(port = config.server.port) {
      return new Promise((resolve, reject) => {
        const started = serve(
          {
            fetch: app.fetch,
            port,
            hostname: config.server.host,
            serverOptions: clientLimits(config),
            // Plain searches are answered before the app (`withSearchFastPath`).
            createServer: ((options, listener) =>
              createServer(
                options,
                withSearchFastPath(context, tracing.tracer, listener as RequestListener),
              )) as typeof createServer,
          },
          (info: AddressInfo) => {
            const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
            listeningAt = `http://${host}:${info.port}`;
            void coordination.tick();
            resolve({ url: listeningAt });
          },
        );
        started.once("error", reject);
        server = started;
      });
    },
    async listenMetrics(port = config.server.metrics_port) {
      metricsServer = await startMetricsServer(metrics, config.server.host, port);
      return { url: metricsServer.url };
    },
    async close() {
      if (server !== undefined) {
        const closing = server;
        server = undefined;
        await new Promise<void>((resolve) => {
          closing.close(() => resolve());
          const deadline = setTimeout(() => {
            (closing as { closeAllConnections?: () => void }).closeAllConnections?.();
          }, config.server.shutdown_deadline_ms);
          deadline.unref();
          (closing as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        });
      }
      resharding.stopping();
      await rebalanceChecks.stop();
      await context.rebalancer.stop();
      await hintReplay.stop();
      await antiEntropy.stop();
      await topologyFollower.stop();
      await aliasFollower.stop();
      await indexShardFollower.stop();
      await reshardFollower.stop();
      await resharding.stop();
      await rollover.stop();
      await nodeHealth.stop();
      await metricsServer?.close();
      metricsServer = undefined;
      await poller.stop();
      await webhooks.stop();
      await coordination.stop();
      await nodes.close();
      await taskStore.close();
      await tracing.shutdown();
    },
  };
}

/**
 * What a client may take of the server: its request head within `header_timeout_ms` and
 * `max_header_bytes`, the whole request within `request_timeout_ms`. Node answers 408 or
 * 431 and closes the connection, so a slow client holds nothing for long; the timeouts
 * are checked at least every second.
 */
function clientLimits(config: MiroirConfig) {
  const { header_timeout_ms, request_timeout_ms, max_header_bytes } = config.server;
  return {
    headersTimeout: header_timeout_ms,
    requestTimeout: Math.max(request_timeout_ms, header_timeout_ms),
    maxHeaderSize: max_header_bytes,
    connectionsCheckingInterval: Math.min(1_000, header_timeout_ms),
  };
}

/** This build's version, as `GET /_miroir/proxies` shows it. */
const MIROIR_VERSION = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

/**
 * Proxies sharing a Redis task store do not see each other's settings changes commit, so
 * there cached merge settings are read again alongside a search once they are this old; a
 * proxy with its own store invalidates them exactly and keeps them until then.
 */
const SHARED_STORE_SETTINGS_TTL_MS = 1_000;

function settingsTtlOf(config: MiroirConfig): number | null {
  return config.task_store.backend === "redis" ? SHARED_STORE_SETTINGS_TTL_MS : null;
}

function taskStoreConfigOf(config: MiroirConfig): TaskStoreConfig {
  const store = config.task_store;
  if (store.backend === "redis") {
    return { backend: "redis", url: store.url ?? "", keyPrefix: store.key_prefix };
  }
  return { backend: "sqlite", path: store.path };
}
