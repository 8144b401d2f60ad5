import type { ProxyConfig } from "../proxy-config.js";

/** How reads fan out: `scatter` and `query_planner` of Miroir's configuration. */
export interface ScatterSettings {
  readonly nodeTimeoutMs: number;
  /** `partial`: answer with what was covered and say which shards are missing; `error`: 503. */
  readonly unavailableShardPolicy: "partial" | "error";
  readonly retryOtherReplica: boolean;
  readonly fallbackOtherGroup: boolean;
  /** Primary-key filters narrow a search to the owning shards (plan §13.4). */
  readonly narrowing: { readonly enabled: boolean; readonly maxLiterals: number };
}

/** The configuration blocks the read path needs beyond `ProxyConfig`. */
interface ReadPathConfig {
  readonly scatter: {
    readonly node_timeout_ms: number;
    readonly unavailable_shard_policy: "partial" | "error";
    readonly retry_other_replica: boolean;
    readonly fallback_other_group: boolean;
  };
  readonly query_planner: {
    readonly enabled: boolean;
    readonly max_pk_literals_narrowable: number;
  };
}

/**
 * The scatter settings of a configuration. `@miroir/config` always fills both blocks; a
 * configuration built by hand without them gets the same defaults as the config package.
 */
export function scatterSettingsOf(config: ProxyConfig): ScatterSettings {
  const read = config as ProxyConfig & Partial<ReadPathConfig>;
  return {
    nodeTimeoutMs: read.scatter?.node_timeout_ms ?? 5_000,
    unavailableShardPolicy: read.scatter?.unavailable_shard_policy ?? "partial",
    retryOtherReplica: read.scatter?.retry_other_replica ?? true,
    fallbackOtherGroup: read.scatter?.fallback_other_group ?? true,
    narrowing: {
      enabled: read.query_planner?.enabled ?? true,
      maxLiterals: read.query_planner?.max_pk_literals_narrowable ?? 128,
    },
  };
}
