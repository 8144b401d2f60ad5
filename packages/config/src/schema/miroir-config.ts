import * as v from "valibot";
import {
  aliasesSchema,
  antiEntropySchema,
  dumpImportSchema,
  ilmSchema,
  reshardingSchema,
  settingsBroadcastSchema,
  settingsDriftCheckSchema,
  ttlSchema,
} from "./advanced/data-lifecycle.js";
import { adminUiSchema, searchUiSchema } from "./advanced/interfaces.js";
import {
  explainSchema,
  idempotencySchema,
  multiSearchSchema,
  queryCoalescingSchema,
  vectorSearchSchema,
} from "./advanced/requests.js";
import {
  hedgingSchema,
  queryPlannerSchema,
  replicaSelectionSchema,
  sessionPinningSchema,
  tenantAffinitySchema,
} from "./advanced/routing.js";
import { hpaSchema, leaderElectionSchema, peerDiscoverySchema } from "./advanced/scaling.js";
import { canaryRunnerSchema, cdcSchema, shadowSchema } from "./advanced/streams.js";
import { clusterEntries } from "./cluster.js";
import { healthSchema, rebalancerSchema, scatterSchema } from "./fleet-health.js";
import { adminSchema, connectionPoolSchema, serverSchema, tracingSchema } from "./server.js";
import { taskRegistrySchema, taskStoreSchema } from "./task-store.js";

/** The whole configuration file. Key order here is the order of the reference and examples. */
export const miroirConfigSchema = v.strictObject({
  ...clusterEntries,
  task_store: taskStoreSchema,
  task_registry: taskRegistrySchema,
  admin: adminSchema,
  health: healthSchema,
  scatter: scatterSchema,
  rebalancer: rebalancerSchema,
  server: serverSchema,
  connection_pool: connectionPoolSchema,
  tracing: tracingSchema,
  resharding: reshardingSchema,
  hedging: hedgingSchema,
  replica_selection: replicaSelectionSchema,
  query_planner: queryPlannerSchema,
  settings_broadcast: settingsBroadcastSchema,
  settings_drift_check: settingsDriftCheckSchema,
  session_pinning: sessionPinningSchema,
  aliases: aliasesSchema,
  anti_entropy: antiEntropySchema,
  dump_import: dumpImportSchema,
  idempotency: idempotencySchema,
  query_coalescing: queryCoalescingSchema,
  multi_search: multiSearchSchema,
  vector_search: vectorSearchSchema,
  cdc: cdcSchema,
  ttl: ttlSchema,
  tenant_affinity: tenantAffinitySchema,
  shadow: shadowSchema,
  ilm: ilmSchema,
  canary_runner: canaryRunnerSchema,
  admin_ui: adminUiSchema,
  explain: explainSchema,
  search_ui: searchUiSchema,
  peer_discovery: peerDiscoverySchema,
  leader_election: leaderElectionSchema,
  hpa: hpaSchema,
});

/** Every setting, with defaults applied: the only configuration type other packages use. */
export type MiroirConfig = v.InferOutput<typeof miroirConfigSchema>;
/** What a YAML file or a test may write: every key except `nodes` may be left out. */
export type MiroirConfigInput = v.InferInput<typeof miroirConfigSchema>;
export type NodeConfig = MiroirConfig["nodes"][number];
export type TaskStoreConfig = MiroirConfig["task_store"];
export type ServerConfig = MiroirConfig["server"];
export type HealthConfig = MiroirConfig["health"];
export type ScatterConfig = MiroirConfig["scatter"];
export type RebalancerConfig = MiroirConfig["rebalancer"];
export type ConnectionPoolConfig = MiroirConfig["connection_pool"];
export type AdminConfig = MiroirConfig["admin"];
export type TracingConfig = MiroirConfig["tracing"];
export type TaskRegistryConfig = MiroirConfig["task_registry"];
export type CdcSinkConfig = MiroirConfig["cdc"]["sinks"][number];
