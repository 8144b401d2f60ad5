export { openTaskStore } from "./open-task-store.js";
export type {
  Aliases,
  AliasFlip,
  AliasRecord,
  AliasSwitch,
  AliasSwitchTerms,
} from "./tables/aliases.js";
export type { HintedRequest, HintQueue, HintRecord, NewHint } from "./tables/hints.js";
export type {
  ClaimTerms,
  IdempotencyClaim,
  IdempotencyKeys,
  StoredAnswer,
} from "./tables/idempotency-keys.js";
export type { IndexShardCount, IndexShards } from "./tables/index-shards.js";
export type { JobQueue, JobRecord, JobState, NewJob } from "./tables/jobs.js";
export type { LeaseRecord, LeaseRegistry } from "./tables/leases.js";
export type { ProxyHeartbeat, ProxyMember, ProxyMembers } from "./tables/proxy-members.js";
export type {
  RolloverPolicies,
  RolloverPolicy,
  RolloverPolicyRecord,
} from "./tables/rollover-policies.js";
export { SESSION_INDEXES_KEPT, type SessionRecord, type Sessions } from "./tables/sessions.js";
export type { TombstoneRecord, Tombstones } from "./tables/tombstones.js";
export type { WebhookCursor } from "./tables/webhook-cursor.js";
export type { WebhookRecord, WebhookSettings, Webhooks } from "./tables/webhooks.js";
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
