/**
 * The part of Miroir's configuration the proxy reads. It is structural so that any
 * `MiroirConfig` produced by `@miroir/config` (loadConfig/parseConfig) fits it.
 */
export interface ProxyConfig {
  readonly master_key: string | null;
  readonly node_master_key: string | null;
  readonly shards: number;
  readonly replication_factor: number;
  readonly replica_groups: number;
  readonly nodes: readonly NodeEntry[];
  readonly task_store: {
    readonly backend: "sqlite" | "redis";
    readonly path: string;
    readonly url: string | null;
    readonly key_prefix: string;
  };
  readonly task_registry: {
    readonly poll_interval_ms: number;
    readonly ttl_seconds: number;
  };
  readonly server: {
    readonly host: string;
    readonly port: number;
    readonly metrics_port: number;
    readonly body_limit_bytes: number;
    readonly shutdown_deadline_ms: number;
    readonly log_level: string;
  };
  readonly admin: {
    readonly enabled: boolean;
    readonly api_key: string | null;
  };
  readonly health: {
    readonly interval_ms: number;
    readonly timeout_ms: number;
    readonly unhealthy_threshold: number;
    readonly recovery_threshold: number;
  };
  readonly tracing: {
    readonly enabled: boolean;
    readonly otlp_endpoint: string | null;
    readonly service_name: string;
    readonly sample_rate: number;
  };
  readonly connection_pool: {
    readonly connections_per_node: number;
    readonly keep_alive_timeout_ms: number;
    readonly request_timeout_ms: number;
  };
}

export interface NodeEntry {
  readonly id: string;
  readonly address: string;
  readonly replica_group: number;
}
