export { ConfigError, type ConfigIssue } from "./issues/config-error.js";
export { type LoadConfigOptions, loadConfig } from "./load-config.js";
export { defaultConfig, parseConfig, validate } from "./parse-config.js";
export { renderConfigurationReference } from "./reference/configuration-reference.js";
export { renderFullExample } from "./reference/full-example.js";
export { MAX_SHARDS } from "./schema/cluster.js";
export { nodeAddressProblem } from "./schema/fields.js";
export type {
  AdminConfig,
  CdcSinkConfig,
  ConnectionPoolConfig,
  HealthConfig,
  MiroirConfig,
  MiroirConfigInput,
  NodeConfig,
  RebalancerConfig,
  ScatterConfig,
  ServerConfig,
  TaskRegistryConfig,
  TaskStoreConfig,
  TracingConfig,
} from "./schema/miroir-config.js";
export {
  parseDurationMs,
  parseRate,
  parseSchedule,
  parseTimeWindow,
  type Rate,
  type Schedule,
  type TimeWindow,
} from "./schema/time-expressions.js";
export type { ConfigFile } from "./sources/yaml-source.js";
export { stringifyConfig } from "./stringify-config.js";
