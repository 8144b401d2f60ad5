import type { RowStore } from "./row-store.js";
import { type AdminSessions, adminSessions } from "./tables/admin-sessions.js";
import { type Aliases, aliases } from "./tables/aliases.js";
import { type Canaries, canaries } from "./tables/canaries.js";
import { type CanaryRuns, canaryRuns } from "./tables/canary-runs.js";
import { type CdcCursors, cdcCursors } from "./tables/cdc-cursors.js";
import { type IdempotencyCache, idempotencyCache } from "./tables/idempotency-cache.js";
import { type JobQueue, jobQueue } from "./tables/jobs.js";
import { type LeaseRegistry, leaseRegistry } from "./tables/leases.js";
import {
  type NodeSettingsVersions,
  nodeSettingsVersions,
} from "./tables/node-settings-versions.js";
import { type RolloverPolicies, rolloverPolicies } from "./tables/rollover-policies.js";
import { type SearchUiConfigs, searchUiConfigs } from "./tables/search-ui-configs.js";
import { type Sessions, sessions } from "./tables/sessions.js";
import { TABLES } from "./tables/table-specs.js";
import { type TenantMap, tenantMap } from "./tables/tenant-map.js";
import type { EpochMs } from "./tasks/task-record.js";
import { type TaskRepository, taskRepository } from "./tasks/task-repository.js";

/** Rows removed by {@link TaskStore.pruneExpired}, per table. */
export interface ExpiredRowsPruned {
  readonly sessions: number;
  readonly idempotencyKeys: number;
  readonly adminSessions: number;
  readonly leases: number;
}

/** Miroir's durable state, the same on every backend. */
export interface TaskStore {
  readonly backend: "sqlite" | "redis";
  readonly tasks: TaskRepository;
  readonly nodeSettingsVersions: NodeSettingsVersions;
  readonly aliases: Aliases;
  readonly sessions: Sessions;
  readonly idempotency: IdempotencyCache;
  readonly jobs: JobQueue;
  readonly leases: LeaseRegistry;
  readonly canaries: Canaries;
  readonly canaryRuns: CanaryRuns;
  readonly cdcCursors: CdcCursors;
  readonly tenantMap: TenantMap;
  readonly rolloverPolicies: RolloverPolicies;
  readonly searchUiConfigs: SearchUiConfigs;
  readonly adminSessions: AdminSessions;
  /** Deletes expired sessions, idempotency keys, admin sessions and leases. */
  pruneExpired(): Promise<ExpiredRowsPruned>;
  /** Flushes and releases the backend; the store is unusable afterwards. */
  close(): Promise<void>;
}

export function assembleTaskStore(
  backend: TaskStore["backend"],
  rows: RowStore,
  now: () => EpochMs,
): TaskStore {
  return {
    backend,
    tasks: taskRepository(rows, now),
    nodeSettingsVersions: nodeSettingsVersions(rows, now),
    aliases: aliases(rows, now),
    sessions: sessions(rows),
    idempotency: idempotencyCache(rows),
    jobs: jobQueue(rows, now),
    leases: leaseRegistry(rows, now),
    canaries: canaries(rows),
    canaryRuns: canaryRuns(rows),
    cdcCursors: cdcCursors(rows, now),
    tenantMap: tenantMap(rows),
    rolloverPolicies: rolloverPolicies(rows),
    searchUiConfigs: searchUiConfigs(rows, now),
    adminSessions: adminSessions(rows),
    async pruneExpired() {
      const at = now();
      return {
        sessions: await rows.deleteExpired(TABLES.sessions, at),
        idempotencyKeys: await rows.deleteExpired(TABLES.idempotencyCache, at),
        adminSessions: await rows.deleteExpired(TABLES.adminSessions, at),
        leases: await rows.deleteExpired(TABLES.leaderLease, at),
      };
    },
    close: () => rows.close(),
  };
}
