import type { RowStore } from "./row-store.js";
import { type Aliases, aliases } from "./tables/aliases.js";
import { type HintQueue, hintQueue } from "./tables/hints.js";
import { type IdempotencyKeys, idempotencyKeys } from "./tables/idempotency-keys.js";
import { type IndexShards, indexShards } from "./tables/index-shards.js";
import { type JobQueue, jobQueue } from "./tables/jobs.js";
import { type LeaseRegistry, leaseRegistry } from "./tables/leases.js";
import { type ProxyMembers, proxyMembers } from "./tables/proxy-members.js";
import { type RolloverPolicies, rolloverPolicies } from "./tables/rollover-policies.js";
import { type Sessions, sessions } from "./tables/sessions.js";
import { TABLES } from "./tables/table-specs.js";
import { type Tombstones, tombstones } from "./tables/tombstones.js";
import { type WebhookCursor, webhookCursor } from "./tables/webhook-cursor.js";
import { type Webhooks, webhooks } from "./tables/webhooks.js";
import type { EpochMs } from "./tasks/task-record.js";
import { type TaskRepository, taskRepository } from "./tasks/task-repository.js";

/** Rows removed by {@link TaskStore.pruneExpired}, per table. */
export interface ExpiredRowsPruned {
  readonly leases: number;
  readonly idempotencyKeys: number;
  readonly sessions: number;
  readonly members: number;
}

/** Miroir's durable state, the same on every backend. */
export interface TaskStore {
  readonly backend: "sqlite" | "redis";
  readonly tasks: TaskRepository;
  readonly jobs: JobQueue;
  readonly leases: LeaseRegistry;
  /** The Miroir processes sharing the store, each live while it beats. */
  readonly members: ProxyMembers;
  readonly webhooks: Webhooks;
  readonly webhookCursor: WebhookCursor;
  /** Writes replicas missed, replayed in order when they answer again. */
  readonly hints: HintQueue;
  /** Deleted document ids, so anti-entropy never brings one back. */
  readonly tombstones: Tombstones;
  /** Requests remembered under a client's `Idempotency-Key`, answered once. */
  readonly idempotencyKeys: IdempotencyKeys;
  /** Read-your-writes sessions: each one's last write per index. */
  readonly sessions: Sessions;
  /** Index aliases: the indexes each one names, switched atomically. */
  readonly aliases: Aliases;
  /** When each write alias rolls over to a new index generation (index lifecycle). */
  readonly rolloverPolicies: RolloverPolicies;
  /** The shard count of each index whose count differs from the configured one. */
  readonly indexShards: IndexShards;
  /** Deletes expired leases, members, idempotency keys and sessions (they already read as absent). */
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
    jobs: jobQueue(rows, now),
    leases: leaseRegistry(rows, now),
    members: proxyMembers(rows, now),
    webhooks: webhooks(rows, now),
    webhookCursor: webhookCursor(rows, now),
    hints: hintQueue(rows, now),
    tombstones: tombstones(rows, now),
    idempotencyKeys: idempotencyKeys(rows, now),
    sessions: sessions(rows, now),
    aliases: aliases(rows, now),
    rolloverPolicies: rolloverPolicies(rows, now),
    indexShards: indexShards(rows, now),
    async pruneExpired() {
      const at = now();
      return {
        leases: await rows.deleteExpired(TABLES.leaderLease, at),
        members: await rows.deleteExpired(TABLES.proxyMembers, at),
        idempotencyKeys: await rows.deleteExpired(TABLES.idempotencyKeys, at),
        sessions: await rows.deleteExpired(TABLES.sessions, at),
      };
    },
    close: () => rows.close(),
  };
}
