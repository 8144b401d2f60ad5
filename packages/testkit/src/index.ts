export {
  type Cluster,
  type ClusterNode,
  type ClusterOptions,
  DEFAULT_NODE_MASTER_KEY,
  startCluster,
} from "./harness/cluster.js";
export {
  type GeneratedDumpOptions,
  generatedDocument,
  writeGeneratedDump,
} from "./harness/generated-dump.js";
export {
  type MeiliProcess,
  type MeiliProcessOptions,
  startMeiliProcess,
} from "./harness/meili-process.js";
export { isRealMode } from "./harness/real-mode.js";
export { type Relay, type RelayOptions, startRelay } from "./harness/relay.js";
export { createNodeApp, type NodeAppOptions } from "./node/app.js";
export { deriveKey } from "./node/auth/key-store.js";
export { type SearchRules, signTenantToken, type TenantToken } from "./node/auth/tenant-token.js";
export { EMULATED_VERSION } from "./node/routes/system/index.js";
export { type EmulatedNode, type StartNodeOptions, startNode } from "./node/server.js";
export type { Task, TaskStatus, TaskSummary, TaskType } from "./node/task-queue.js";
export type { NodeControl, QueueHold } from "./node-control.js";
