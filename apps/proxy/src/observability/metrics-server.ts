import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { ProxyMetrics } from "./proxy-metrics.js";

export interface MetricsServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Prometheus's scrape endpoint, `GET /metrics`, on a port of its own (`server.metrics_port`,
 * 9090 by default) and without authentication, so it is exposed only to the cluster's
 * network while the client port stays Meilisearch's.
 */
export function startMetricsServer(
  metrics: ProxyMetrics,
  host: string,
  port: number,
): Promise<MetricsServer> {
  const app = new Hono();
  app.get("/metrics", async (c) =>
    c.body(await metrics.exposition(), 200, { "content-type": metrics.registry.contentType }),
  );
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) => {
      const shown = info.family === "IPv6" ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shown}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.once("error", reject);
  });
}
