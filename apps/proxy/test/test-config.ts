import type { ProxyConfig } from "../src/index.js";

type Overrides = { [K in keyof ProxyConfig]?: Partial<ProxyConfig[K]> | ProxyConfig[K] };

/** A complete configuration for tests that need no nodes, with targeted overrides. */
export function testConfig(overrides: Overrides = {}): ProxyConfig {
  const base: ProxyConfig = {
    master_key: null,
    node_master_key: null,
    shards: 4,
    replication_factor: 1,
    replica_groups: 1,
    nodes: [{ id: "node-0", address: "http://127.0.0.1:9", replica_group: 0 }],
    task_store: { backend: "sqlite", path: ":memory:", url: null, key_prefix: "miroir:" },
    task_registry: { poll_interval_ms: 50, ttl_seconds: 3600 },
    server: {
      host: "127.0.0.1",
      port: 0,
      metrics_port: 9090,
      body_limit_bytes: 104_857_600,
      shutdown_deadline_ms: 1_000,
      log_level: "silent",
    },
    admin: { enabled: true, api_key: null },
    health: {
      interval_ms: 2_000,
      timeout_ms: 1_000,
      unhealthy_threshold: 3,
      recovery_threshold: 2,
    },
    tracing: { enabled: false, otlp_endpoint: null, service_name: "miroir", sample_rate: 1 },
    connection_pool: {
      connections_per_node: 4,
      keep_alive_timeout_ms: 4_000,
      request_timeout_ms: 5_000,
    },
  };
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = merged[key];
    merged[key] =
      typeof current === "object" && current !== null && !Array.isArray(current)
        ? { ...current, ...(value as object) }
        : value;
  }
  return merged as unknown as ProxyConfig;
}
