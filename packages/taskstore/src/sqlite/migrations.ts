/**
 * Forward-only schema migrations. Entry `i` moves the schema from version `i` to
 * `i + 1`; published entries are never edited, only appended.
 */
export const MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE tasks (
      uid INTEGER PRIMARY KEY,
      index_uid TEXT,
      type TEXT NOT NULL,
      status TEXT NOT NULL,
      node_tasks TEXT NOT NULL,
      node_statuses TEXT NOT NULL,
      error TEXT,
      details TEXT,
      canceled_by INTEGER,
      custom_metadata TEXT,
      enqueued_at INTEGER NOT NULL,
      started_at INTEGER,
      finished_at INTEGER
    )`,
    "CREATE INDEX tasks_status ON tasks(status)",
    `CREATE TABLE node_settings_version (
      index_uid TEXT NOT NULL,
      node_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (index_uid, node_id)
    )`,
    `CREATE TABLE aliases (
      name TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      current_uid TEXT,
      target_uids TEXT,
      version INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      history TEXT NOT NULL
    )`,
    `CREATE TABLE sessions (
      session_id TEXT PRIMARY KEY,
      last_write_task_uid INTEGER,
      last_write_at INTEGER,
      pinned_group INTEGER,
      min_settings_version INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    )`,
    "CREATE INDEX sessions_expires ON sessions(expires_at)",
    `CREATE TABLE idempotency_cache (
      key TEXT PRIMARY KEY,
      body_sha256 TEXT NOT NULL,
      task_uid INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    )`,
    "CREATE INDEX idempotency_cache_expires ON idempotency_cache(expires_at)",
    `CREATE TABLE jobs (
      id TEXT PRIMARY KEY,
      type TEXT NOT NULL,
      params TEXT NOT NULL,
      state TEXT NOT NULL,
      claimed_by TEXT,
      claim_expires_at INTEGER,
      progress TEXT NOT NULL,
      error TEXT,
      attempts INTEGER NOT NULL,
      seq INTEGER NOT NULL,
      enqueued_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    )`,
    "CREATE INDEX jobs_state ON jobs(state, seq)",
    `CREATE TABLE leader_lease (
      scope TEXT PRIMARY KEY,
      holder TEXT NOT NULL,
      expires_at INTEGER NOT NULL
    )`,
    `CREATE TABLE canaries (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      index_uid TEXT NOT NULL,
      interval_s INTEGER NOT NULL,
      query_json TEXT NOT NULL,
      assertions_json TEXT NOT NULL,
      enabled INTEGER NOT NULL,
      created_at INTEGER NOT NULL
    )`,
    `CREATE TABLE canary_runs (
      canary_id TEXT NOT NULL,
      ran_at INTEGER NOT NULL,
      status TEXT NOT NULL,
      latency_ms INTEGER NOT NULL,
      failed_assertions_json TEXT,
      PRIMARY KEY (canary_id, ran_at)
    )`,
    `CREATE TABLE cdc_cursors (
      sink_name TEXT NOT NULL,
      index_uid TEXT NOT NULL,
      last_event_seq INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (sink_name, index_uid)
    )`,
    `CREATE TABLE tenant_map (
      api_key_hash TEXT PRIMARY KEY,
      tenant_id TEXT NOT NULL,
      group_id INTEGER
    )`,
    `CREATE TABLE rollover_policies (
      name TEXT PRIMARY KEY,
      write_alias TEXT NOT NULL,
      read_alias TEXT NOT NULL,
      pattern TEXT NOT NULL,
      triggers_json TEXT NOT NULL,
      retention_json TEXT NOT NULL,
      template_json TEXT NOT NULL,
      enabled INTEGER NOT NULL
    )`,
    `CREATE TABLE search_ui_config (
      index_uid TEXT PRIMARY KEY,
      config_json TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    )`,
    `CREATE TABLE admin_sessions (
      session_id TEXT PRIMARY KEY,
      csrf_token TEXT NOT NULL,
      admin_key_hash TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      revoked INTEGER NOT NULL DEFAULT 0,
      user_agent TEXT,
      source_ip TEXT
    )`,
    "CREATE INDEX admin_sessions_expires ON admin_sessions(expires_at)",
    `CREATE TABLE sequences (
      name TEXT PRIMARY KEY,
      next_value INTEGER NOT NULL
    )`,
  ],
  // 1 → 2: webhooks get a table of their own and the notifier a cursor of its own (they
  // were one JSON row of search_ui_config, key `miroir:webhooks`, and the cdc_cursors row
  // of sink `miroir-webhooks`); the tables no code used yet are dropped.
  [
    `CREATE TABLE webhooks (
      uuid TEXT PRIMARY KEY,
      url TEXT NOT NULL,
      headers_json TEXT NOT NULL,
      seq INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    )`,
    `INSERT INTO webhooks (uuid, url, headers_json, seq, updated_at)
      SELECT hook.key, json_extract(hook.value, '$.url'),
        json(COALESCE(json_extract(hook.value, '$.headers'), '{}')),
        ROW_NUMBER() OVER (ORDER BY hook.id) - 1, row.updated_at
      FROM search_ui_config AS row, json_each(row.config_json, '$.webhooks') AS hook
      WHERE row.index_uid = 'miroir:webhooks'`,
    `INSERT INTO sequences (name, next_value)
      SELECT 'webhook_seq', COUNT(*) FROM webhooks WHERE (SELECT COUNT(*) FROM webhooks) > 0`,
    `CREATE TABLE webhook_cursor (
      name TEXT PRIMARY KEY,
      finished_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    )`,
    `INSERT INTO webhook_cursor (name, finished_at, updated_at)
      SELECT 'notifier', last_event_seq, updated_at FROM cdc_cursors
      WHERE sink_name = 'miroir-webhooks' AND index_uid = '*'`,
    "DROP TABLE node_settings_version",
    "DROP TABLE aliases",
    "DROP TABLE sessions",
    "DROP TABLE idempotency_cache",
    "DROP TABLE canaries",
    "DROP TABLE canary_runs",
    "DROP TABLE cdc_cursors",
    "DROP TABLE tenant_map",
    "DROP TABLE rollover_policies",
    "DROP TABLE search_ui_config",
    "DROP TABLE admin_sessions",
  ],
  // 2 → 3: replica convergence — the writes a replica missed, in order, and the ids of
  // deleted documents with the version that deleted them.
  [
    `CREATE TABLE hints (
      seq INTEGER PRIMARY KEY,
      node_id TEXT NOT NULL,
      index_uid TEXT NOT NULL,
      version INTEGER NOT NULL,
      task_uid INTEGER NOT NULL,
      request TEXT NOT NULL,
      created_at INTEGER NOT NULL
    )`,
    "CREATE INDEX hints_node ON hints(node_id, version, seq)",
    `CREATE TABLE tombstones (
      index_uid TEXT NOT NULL,
      document_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      deleted_at INTEGER NOT NULL,
      PRIMARY KEY (index_uid, document_id)
    )`,
  ],
  // 3 → 4: listings count tasks without reading them — per status, kept by triggers
  // (`GET /tasks` answers a total with every page).
  [
    `CREATE TABLE partition_counts (
      table_name TEXT NOT NULL,
      value TEXT NOT NULL,
      rows INTEGER NOT NULL,
      PRIMARY KEY (table_name, value)
    )`,
    `INSERT INTO partition_counts (table_name, value, rows)
      SELECT 'tasks', status, COUNT(*) FROM tasks GROUP BY status`,
    `CREATE TRIGGER tasks_counted_insert AFTER INSERT ON tasks BEGIN
      INSERT INTO partition_counts (table_name, value, rows) VALUES ('tasks', NEW.status, 1)
        ON CONFLICT (table_name, value) DO UPDATE SET rows = rows + 1;
    END`,
    `CREATE TRIGGER tasks_counted_delete AFTER DELETE ON tasks BEGIN
      UPDATE partition_counts SET rows = rows - 1 WHERE table_name = 'tasks' AND value = OLD.status;
    END`,
    `CREATE TRIGGER tasks_counted_update AFTER UPDATE OF status ON tasks
      WHEN OLD.status IS NOT NEW.status BEGIN
      UPDATE partition_counts SET rows = rows - 1 WHERE table_name = 'tasks' AND value = OLD.status;
      INSERT INTO partition_counts (table_name, value, rows) VALUES ('tasks', NEW.status, 1)
        ON CONFLICT (table_name, value) DO UPDATE SET rows = rows + 1;
    END`,
  ],
  // 4 → 5: client guarantees — the requests remembered under an Idempotency-Key, and the
  // last write of each read-your-writes session per index.
  [
    `CREATE TABLE idempotency_keys (
      key TEXT PRIMARY KEY,
      request_sha256 TEXT NOT NULL,
      state TEXT NOT NULL,
      holder TEXT NOT NULL,
      claim_expires_at INTEGER NOT NULL,
      answer TEXT,
      expires_at INTEGER NOT NULL
    )`,
    "CREATE INDEX idempotency_keys_expires ON idempotency_keys(expires_at)",
    `CREATE TABLE sessions (
      session_id TEXT PRIMARY KEY,
      last_writes TEXT NOT NULL,
      expires_at INTEGER NOT NULL
    )`,
    "CREATE INDEX sessions_expires ON sessions(expires_at)",
  ],
  // 5 → 6: several processes share the store — the leader lease gets a fencing token, and
  // every process records itself in the membership table with a heartbeat.
  [
    "ALTER TABLE leader_lease ADD COLUMN token INTEGER",
    `CREATE TABLE proxy_members (
      id TEXT PRIMARY KEY,
      address TEXT NOT NULL,
      version TEXT NOT NULL,
      duties_json TEXT NOT NULL,
      started_at INTEGER NOT NULL,
      last_seen_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    )`,
  ],
  // 6 → 7: index aliases — the indexes each alias names, its version (one more per
  // switch) and its past targets — and the rollover policies of write aliases.
  [
    `CREATE TABLE aliases (
      name TEXT PRIMARY KEY,
      indexes_json TEXT NOT NULL,
      version INTEGER NOT NULL,
      history_json TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    )`,
    `CREATE TABLE rollover_policies (
      name TEXT PRIMARY KEY,
      read_alias TEXT NOT NULL,
      max_age_ms INTEGER,
      max_documents INTEGER,
      max_size_bytes INTEGER,
      keep_generations INTEGER,
      generation INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    )`,
  ],
  // 7 → 8: per-index shard counts — an index resharded online keeps its own count.
  [
    `CREATE TABLE index_shards (
      index_uid TEXT PRIMARY KEY,
      shards INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    )`,
  ],
];

export const CURRENT_SCHEMA_VERSION = MIGRATIONS.length;
