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
  /** How a shard's replica is chosen: by load (adaptive), `seq` rotation, or at random. */
  readonly replicaChoice: "adaptive" | "round_robin" | "random";
  readonly hedging: HedgingSettings;
}

/** When a slow node read is also sent to another replica (`hedging`). */
export interface HedgingSettings {
  readonly enabled: boolean;
  /** The delay is this multiple of the node's recent p95, within `minMs`…`maxMs`. */
  readonly p95Multiplier: number;
  readonly minMs: number;
  /** The delay at most, and while the node has no p95 yet. */
  readonly maxMs: number;
  /** Hedged node requests per read at most. */
  readonly maxPerRead: number;
  /** Hedged node requests per node request sent, over time. */
  readonly budgetRatio: number;
  /** A hedge may go to another replica group. */
  readonly crossGroup: boolean;
}

/** The scatter settings of a configuration. */
export function scatterSettingsOf(config: MiroirConfig): ScatterSettings {
  // Read once per configuration, not once per read: configurations are not changed in place.
  let settings = settingsByConfig.get(config);
  if (settings === undefined) {
    settings = readScatterSettings(config);
    settingsByConfig.set(config, settings);
  }
  return settings;
}

const settingsByConfig = new WeakMap<MiroirConfig, ScatterSettings>();

function readScatterSettings(config: MiroirConfig): ScatterSettings {
  return {
    nodeTimeoutMs: config.scatter.node_timeout_ms,
    unavailableShardPolicy: config.scatter.unavailable_shard_policy,
    retryOtherReplica: config.scatter.retry_other_replica,
    fallbackOtherGroup: config.scatter.fallback_other_group,
    narrowing: {
      enabled: config.query_planner.enabled,
      maxLiterals: config.query_planner.max_pk_literals_narrowable,
    },
    replicaChoice: config.replica_selection.enabled
      ? config.replica_selection.strategy
      : "round_robin",
    hedging: {
      enabled: config.hedging.enabled && config.hedging.max_hedges_per_query > 0,
      p95Multiplier: config.hedging.p95_trigger_multiplier,
      minMs: config.hedging.min_trigger_ms,
      maxMs: Math.max(config.hedging.min_trigger_ms, config.hedging.max_trigger_ms),
      maxPerRead: config.hedging.max_hedges_per_query,
      budgetRatio: config.hedging.budget_ratio,
      crossGroup: config.hedging.cross_group_fallback,
    },
  };
}
