import type { MiroirConfig } from "@miroir/config";

/** How reads fan out: `scatter` and `query_planner` of Miroir's configuration. */
export interface ScatterSettings {
  readonly nodeTimeoutMs: number;
  /** `partial`: answer with what was covered and say which shards are missing; `error`: 503. */
  readonly unavailableShardPolicy: "partial" | "error";
  readonly retryOtherReplica: boolean;
  readonly fallbackOtherGroup: boolean;
  /** Primary-key filters narrow a search to the owning shards (`primary-key-pins.ts`). */
  readonly narrowing: { readonly enabled: boolean; readonly maxLiterals: number };
}

/** The scatter settings of a configuration. */
export function scatterSettingsOf(config: MiroirConfig): ScatterSettings {
  return {
    nodeTimeoutMs: config.scatter.node_timeout_ms,
    unavailableShardPolicy: config.scatter.unavailable_shard_policy,
    retryOtherReplica: config.scatter.retry_other_replica,
    fallbackOtherGroup: config.scatter.fallback_other_group,
    narrowing: {
      enabled: config.query_planner.enabled,
      maxLiterals: config.query_planner.max_pk_literals_narrowable,
    },
  };
}
