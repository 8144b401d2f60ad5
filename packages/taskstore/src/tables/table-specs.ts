import type { TableSpec } from "../row-store.js";

/**
 * The tables of the task store, each named for what it holds and each with a caller:
 * Miroir tasks, jobs (the admin API's topology journal), leases, webhooks, the webhook
 * notifier's cursor, the processes sharing the store (membership), hints (writes a replica missed, replayed when it returns) and
 * tombstones (deleted document ids, so a stale replica never brings one back),
 * idempotency keys (a client's retried write answered once), read-your-writes sessions,
 * index aliases and their rollover policies, and the shard count of each index whose count
 * differs from the configured one.
 * Column names follow the SQL schema; the SQLite migrations create exactly these columns. The other tables of SPEC §5 arrive with the capabilities that use
 * them.
 */
export const TABLES = {
  tasks: {
    name: "tasks",
    key: ["uid"],
    columns: {
      uid: "integer",
      index_uid: "text",
      type: "text",
      status: "text",
      node_tasks: "text",
      node_statuses: "text",
      error: "text",
      details: "text",
      canceled_by: "integer",
      custom_metadata: "text",
      enqueued_at: "integer",
      started_at: "integer",
      finished_at: "integer",
    },
    partition: "status",
    order: "uid",
  },
  jobs: {
    name: "jobs",
    key: ["id"],
    columns: {
      id: "text",
      type: "text",
      params: "text",
      state: "text",
      claimed_by: "text",
      claim_expires_at: "integer",
      progress: "text",
      error: "text",
      attempts: "integer",
      seq: "integer",
      enqueued_at: "integer",
      updated_at: "integer",
    },
    partition: "state",
  },
  leaderLease: {
    name: "leader_lease",
    key: ["scope"],
    columns: { scope: "text", holder: "text", expires_at: "integer", token: "integer" },
    expiresAt: "expires_at",
  },
  proxyMembers: {
    name: "proxy_members",
    key: ["id"],
    columns: {
      id: "text",
      address: "text",
      version: "text",
      duties_json: "text",
      started_at: "integer",
      last_seen_at: "integer",
      expires_at: "integer",
    },
    expiresAt: "expires_at",
  },
  webhooks: {
    name: "webhooks",
    key: ["uuid"],
    columns: {
      uuid: "text",
      url: "text",
      headers_json: "text",
      seq: "integer",
      updated_at: "integer",
    },
  },
  webhookCursor: {
    name: "webhook_cursor",
    key: ["name"],
    columns: { name: "text", finished_at: "integer", updated_at: "integer" },
  },
  hints: {
    name: "hints",
    key: ["seq"],
    columns: {
      seq: "integer",
      node_id: "text",
      index_uid: "text",
      version: "integer",
      task_uid: "integer",
      request: "text",
      created_at: "integer",
    },
    partition: "node_id",
  },
  tombstones: {
    name: "tombstones",
    key: ["index_uid", "document_id"],
    columns: {
      index_uid: "text",
      document_id: "text",
      version: "integer",
      deleted_at: "integer",
    },
    partition: "index_uid",
  },
  idempotencyKeys: {
    name: "idempotency_keys",
    key: ["key"],
    columns: {
      key: "text",
      request_sha256: "text",
      state: "text",
      holder: "text",
      claim_expires_at: "integer",
      answer: "text",
      expires_at: "integer",
    },
    expiresAt: "expires_at",
  },
  sessions: {
    name: "sessions",
    key: ["session_id"],
    columns: { session_id: "text", last_writes: "text", expires_at: "integer" },
    expiresAt: "expires_at",
  },
  aliases: {
    name: "aliases",
    key: ["name"],
    columns: {
      name: "text",
      indexes_json: "text",
      version: "integer",
      history_json: "text",
      created_at: "integer",
      updated_at: "integer",
    },
  },
  rolloverPolicies: {
    name: "rollover_policies",
    key: ["name"],
    columns: {
      name: "text",
      read_alias: "text",
      max_age_ms: "integer",
      max_documents: "integer",
      max_size_bytes: "integer",
      keep_generations: "integer",
      generation: "integer",
      created_at: "integer",
      updated_at: "integer",
    },
  },
  indexShards: {
    name: "index_shards",
    key: ["index_uid"],
    columns: { index_uid: "text", shards: "integer", updated_at: "integer" },
  },
} as const satisfies Record<string, TableSpec>;
