import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { topologyFromConfig } from "@miroir/router";
import { openTaskStore, type TaskStoreConfig } from "@miroir/taskstore";
import type { Hono } from "hono";
import { type Logger, pino } from "pino";
import { createApp, type RouteFamily } from "./app.js";
import { createIndexCatalog } from "./catalog/index-catalog.js";
import { copiesOf, createSequenceCounter, type ProxyContext } from "./context.js";
import { createNodeClient } from "./node-client/index.js";
import type { ProxyConfig } from "./proxy-config.js";
import { documentWriteRoutes } from "./routes/documents/index.js";
import { healthRoutes } from "./routes/health/index.js";
import { indexRoutes } from "./routes/indexes/index.js";
import { settingsRoutes } from "./routes/settings/index.js";
import { taskRoutes } from "./routes/tasks/index.js";
import { startTaskPoller } from "./tasks/task-poller.js";
import { createNodeWriteQueue } from "./write/node-write-queue.js";

export interface ProxyOptions {
  /** Defaults to a pino JSON logger at `server.log_level`. */
  readonly logger?: Logger;
}

export interface RunningProxy {
  readonly app: Hono;
  readonly context: ProxyContext;
  /** Listens on `port` (default `server.port`; 0 picks a free one) at `server.host`. */
  listen(port?: number): Promise<{ url: string }>;
  /** Stops accepting, lets in-flight requests finish, then releases every resource. */
  close(): Promise<void>;
}

/** Every route family of the proxy, in mounting order. */
export const routeFamilies: readonly RouteFamily[] = [
  healthRoutes,
  indexRoutes,
  settingsRoutes,
  documentWriteRoutes,
  taskRoutes,
];

/** Composes the proxy from a validated configuration; used by `main` and by tests. */
export async function createProxy(
  config: ProxyConfig,
  options: ProxyOptions = {},
): Promise<RunningProxy> {
  const logger = options.logger ?? pino({ level: config.server.log_level });
  const taskStore = await openTaskStore(taskStoreConfigOf(config));
  const nodes = createNodeClient({
    nodes: config.nodes,
    nodeMasterKey: config.node_master_key,
    connectionsPerNode: config.connection_pool.connections_per_node,
    keepAliveTimeoutMs: config.connection_pool.keep_alive_timeout_ms,
    requestTimeoutMs: config.connection_pool.request_timeout_ms,
  });
  const context: ProxyContext = {
    config,
    nodes,
    logger,
    seq: createSequenceCounter(),
    cluster: { topology: topologyFromConfig(config.nodes, config) },
    taskStore,
    writes: createNodeWriteQueue(nodes),
    indexes: createIndexCatalog(nodes),
    coordinatedTasks: new Set(),
  };
  const poller = startTaskPoller({
    store: taskStore,
    nodes,
    logger,
    intervalMs: config.task_registry.poll_interval_ms,
    ttlMs: config.task_registry.ttl_seconds * 1000,
    copies: copiesOf(config),
    isCoordinated: (uid) => context.coordinatedTasks.has(uid),
  });
  const app = createApp(context, routeFamilies);
  let server: ReturnType<typeof serve> | undefined;

  return {
    app,
    context,
    listen(port = config.server.port) {
      return new Promise((resolve, reject) => {
        const started = serve(
          { fetch: app.fetch, port, hostname: config.server.host },
          (info: AddressInfo) => {
            const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
            resolve({ url: `http://${host}:${info.port}` });
          },
        );
        started.once("error", reject);
        server = started;
      });
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
      await poller.stop();
      await nodes.close();
      await taskStore.close();
    },
  };
}

function taskStoreConfigOf(config: ProxyConfig): TaskStoreConfig {
  const store = config.task_store;
  if (store.backend === "redis") {
    return { backend: "redis", url: store.url ?? "", keyPrefix: store.key_prefix };
  }
  return { backend: "sqlite", path: store.path };
}
