export { openTaskStore } from "./open-task-store.js";
export type { AdminSessionRecord, AdminSessions } from "./tables/admin-sessions.js";
export type { Aliases, AliasRecord, AliasState, AliasTarget } from "./tables/aliases.js";
export type { Canaries, CanaryRecord } from "./tables/canaries.js";
export type { CanaryRunRecord, CanaryRuns } from "./tables/canary-runs.js";
export type { CdcCursorRecord, CdcCursors } from "./tables/cdc-cursors.js";
export type { IdempotencyCache, IdempotencyRecord } from "./tables/idempotency-cache.js";
export type { JobQueue, JobRecord, JobState, NewJob } from "./tables/jobs.js";
export type { LeaseRecord, LeaseRegistry } from "./tables/leases.js";
export type {
  NodeSettingsVersionRecord,
  NodeSettingsVersions,
} from "./tables/node-settings-versions.js";
export type { RolloverPolicies, RolloverPolicyRecord } from "./tables/rollover-policies.js";
export type { SearchUiConfigRecord, SearchUiConfigs } from "./tables/search-ui-configs.js";
export type { SessionRecord, Sessions } from "./tables/sessions.js";
export type { TenantMap, TenantMappingRecord } from "./tables/tenant-map.js";
export type { ExpiredRowsPruned, TaskStore } from "./task-store.js";
export type {
  RedisTaskStoreConfig,
  SqliteTaskStoreConfig,
  TaskStoreConfig,
} from "./task-store-config.js";
export { TaskStoreError, type TaskStoreErrorCode } from "./task-store-error.js";
export type {
  EpochMs,
  MiroirTaskRecord,
  NewTask,
  TaskError,
  TaskFilter,
  TaskListQuery,
  TaskPage,
  TaskPatch,
  TaskStatus,
} from "./tasks/task-record.js";
export { FINISHED_TASK_STATUSES, TASK_STATUSES } from "./tasks/task-record.js";
export type { TaskRepository } from "./tasks/task-repository.js";
