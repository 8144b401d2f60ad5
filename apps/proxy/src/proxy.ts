import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import { type Logger, pino } from "pino";
import { createApp, type RouteFamily } from "./app.js";
import { createSequenceCounter, type ProxyContext } from "./context.js";
import { createNodeClient } from "./node-client/index.js";
import type { ProxyConfig } from "./proxy-config.js";
import { healthRoutes } from "./routes/health/index.js";

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
export const routeFamilies: readonly RouteFamily[] = [healthRoutes];

/** Composes the proxy from a validated configuration; used by `main` and by tests. */
export async function createProxy(
  config: ProxyConfig,
  options: ProxyOptions = {},
): Promise<RunningProxy> {
  const logger = options.logger ?? pino({ level: config.server.log_level });
  const nodes = createNodeClient({
    nodes: config.nodes,
    nodeMasterKey: config.node_master_key,
    connectionsPerNode: config.connection_pool.connections_per_node,
    keepAliveTimeoutMs: config.connection_pool.keep_alive_timeout_ms,
    requestTimeoutMs: config.connection_pool.request_timeout_ms,
  });
  const context: ProxyContext = { config, nodes, logger, seq: createSequenceCounter() };
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
      await nodes.close();
    },
  };
}
