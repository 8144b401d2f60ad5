import Database from "better-sqlite3";
import { reportingFailuresAs } from "../row-store-failures.js";
import { assembleTaskStore, type TaskStore } from "../task-store.js";
import type { SqliteTaskStoreConfig } from "../task-store-config.js";
import { describe, TaskStoreError } from "../task-store-error.js";
import { CURRENT_SCHEMA_VERSION, MIGRATIONS } from "./migrations.js";
import { SqliteRowStore } from "./sqlite-row-store.js";

/** Written in the file header so `PRAGMA application_id` tells a Miroir store apart. */
const MIROIR_APPLICATION_ID = 0x4d52524f;

/**
 * Opens (creating if needed) a SQLite task store. Every check that could refuse the
 * file runs before anything is written to it, so a foreign or damaged file is left as is.
 */
export async function openSqliteTaskStore(config: SqliteTaskStoreConfig): Promise<TaskStore> {
  const database = openDatabase(config.path);
  try {
    const version = existingSchemaVersion(database, config.path);
    if (version > CURRENT_SCHEMA_VERSION) throw schemaTooNew(config.path, version);
    if (config.path !== ":memory:") database.pragma("journal_mode = WAL");
    database.pragma("synchronous = NORMAL");
    migrate(database, config.path);
  } catch (error) {
    database.close();
    if (error instanceof TaskStoreError) throw error;
    throw new TaskStoreError(
      "store_failed",
      `Cannot initialise the SQLite task store at "${config.path}" (${describe(error)}); check that the file and its directory are writable.`,
      { cause: error },
    );
  }
  const now = config.clock ?? Date.now;
  const rows = reportingFailuresAs(
    new SqliteRowStore(database, now),
    (cause) =>
      new TaskStoreError(
        "store_failed",
        `The SQLite task store at "${config.path}" failed (${describe(cause)}); the operation was rolled back. Check the disk and that no other program holds the file locked.`,
        { cause },
      ),
  );
  return assembleTaskStore("sqlite", rows, now);
}

function openDatabase(path: string): Database.Database {
  try {
    const database = new Database(path);
    database.pragma("busy_timeout = 5000");
    return database;
  } catch (cause) {
    throw new TaskStoreError(
      "store_unreachable",
      `Cannot open the SQLite task store at "${path}" (${describe(cause)}); check that the directory exists and is writable.`,
      { cause },
    );
  }
}

/** 0 for an empty file; throws when the file is not a Miroir store. */
function existingSchemaVersion(database: Database.Database, path: string): number {
  let tables: string[];
  let applicationId: number;
  try {
    tables = database
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all() as string[];
    applicationId = database.pragma("application_id", { simple: true }) as number;
  } catch (cause) {
    throw new TaskStoreError(
      "store_corrupt",
      `"${path}" is not a readable SQLite database (${describe(cause)}); point task_store.path at a new file or restore the store from a backup. The file was not modified.`,
      { cause },
    );
  }
  if (tables.length === 0 && applicationId === 0) return 0;
  if (applicationId !== MIROIR_APPLICATION_ID || !tables.includes("miroir_schema")) {
    throw new TaskStoreError(
      "store_foreign",
      `"${path}" is a SQLite database that belongs to another application; point task_store.path at a new file. The file was not modified.`,
    );
  }
  return schemaVersionOf(database);
}

function schemaVersionOf(database: Database.Database): number {
  const version = database.prepare("SELECT version FROM miroir_schema WHERE id = 1").pluck().get();
  return typeof version === "number" ? version : 0;
}

function migrate(database: Database.Database, path: string): void {
  const run = database.transaction(() => {
    database.exec(
      "CREATE TABLE IF NOT EXISTS miroir_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)",
    );
    database.pragma(`application_id = ${MIROIR_APPLICATION_ID}`);
    const from = schemaVersionOf(database);
    if (from > CURRENT_SCHEMA_VERSION) throw schemaTooNew(path, from);
    for (const statements of MIGRATIONS.slice(from)) {
      for (const statement of statements) database.exec(statement);
    }
    database
      .prepare(
        "INSERT INTO miroir_schema (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version",
      )
      .run(Math.max(from, CURRENT_SCHEMA_VERSION));
  });
  run.immediate();
}

function schemaTooNew(path: string, version: number): TaskStoreError {
  return new TaskStoreError(
    "schema_too_new",
    `The task store at "${path}" has schema version ${version}, newer than this Miroir understands (${CURRENT_SCHEMA_VERSION}); upgrade Miroir to at least the version that wrote it. The file was not modified.`,
  );
}
