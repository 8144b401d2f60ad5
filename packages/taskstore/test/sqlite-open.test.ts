import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTaskStore, type TaskStoreError } from "../src/index.js";
import { MIGRATIONS } from "../src/sqlite/migrations.js";
import { expectLayout1WebhooksMigrated, LAYOUT_1_WEBHOOKS } from "./layout-1-webhooks.js";

describe("opening a SQLite task store", () => {
  let directory: string;
  let path: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "miroir-taskstore-open-"));
    path = join(directory, "tasks.db");
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  async function refusal(open: Promise<unknown>): Promise<TaskStoreError> {
    try {
      await open;
    } catch (error) {
      return error as TaskStoreError;
    }
    throw new Error("the store opened although it should have been refused");
  }

  it("creates the schema once and opens it again without touching the data", async () => {
    const first = await openTaskStore({ backend: "sqlite", path });
    await first.tasks.create({ indexUid: "movies", type: "indexCreation" });
    const second = await openTaskStore({ backend: "sqlite", path });
    expect((await second.tasks.list()).total).toBe(1);
    await second.close();
    await first.close();
    const third = await openTaskStore({ backend: "sqlite", path });
    expect((await third.tasks.get(0))?.type).toBe("indexCreation");
    await third.close();
  });

  it("runs in WAL mode and records the schema version", async () => {
    await (await openTaskStore({ backend: "sqlite", path })).close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(raw.prepare("SELECT version FROM miroir_schema").pluck().get()).toBe(8);
    raw.close();
  });

  it("moves the webhooks and their cursor of a version-1 file to their own tables, in order", async () => {
    // Version 1 kept the webhooks in one search_ui_config row and the cursor in cdc_cursors.
    const old = new Database(path);
    old.pragma(`application_id = ${0x4d52524f}`);
    old.exec(
      "CREATE TABLE miroir_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)",
    );
    old.exec("INSERT INTO miroir_schema (id, version) VALUES (1, 1)");
    for (const statement of MIGRATIONS[0] ?? []) old.exec(statement);
    old
      .prepare("INSERT INTO search_ui_config (index_uid, config_json, updated_at) VALUES (?, ?, ?)")
      .run(
        "miroir:webhooks",
        JSON.stringify(LAYOUT_1_WEBHOOKS.config),
        LAYOUT_1_WEBHOOKS.updatedAt,
      );
    old
      .prepare(
        "INSERT INTO cdc_cursors (sink_name, index_uid, last_event_seq, updated_at) VALUES (?, ?, ?, ?)",
      )
      .run("miroir-webhooks", "*", LAYOUT_1_WEBHOOKS.cursor, 6);
    old.close();

    const store = await openTaskStore({ backend: "sqlite", path });
    await expectLayout1WebhooksMigrated(store);
    await store.close();
    const raw = new Database(path, { readonly: true });
    const tables = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect([...tables].sort()).toEqual([
      "aliases",
      "hints",
      "idempotency_keys",
      "index_shards",
      "jobs",
      "leader_lease",
      "miroir_schema",
      "partition_counts",
      "proxy_members",
      "rollover_policies",
      "sequences",
      "sessions",
      "tasks",
      "tombstones",
      "webhook_cursor",
      "webhooks",
    ]);
    expect(raw.prepare("SELECT version FROM miroir_schema").pluck().get()).toBe(8);
    raw.close();
  });

  it("counts the tasks of a version-3 file per status, so listings need not read them", async () => {
    const old = new Database(path);
    old.pragma(`application_id = ${0x4d52524f}`);
    old.exec(
      "CREATE TABLE miroir_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)",
    );
    old.exec("INSERT INTO miroir_schema (id, version) VALUES (1, 3)");
    for (const statement of MIGRATIONS.slice(0, 3).flat()) old.exec(statement);
    const insert = old.prepare(
      `INSERT INTO tasks (uid, type, status, node_tasks, node_statuses, enqueued_at)
       VALUES (?, 'indexCreation', ?, '{}', '{}', 0)`,
    );
    for (let uid = 0; uid < 5; uid++) insert.run(uid, uid % 2 === 0 ? "succeeded" : "failed");
    old.close();

    const store = await openTaskStore({ backend: "sqlite", path });
    expect((await store.tasks.list({ limit: 2 })).total).toBe(5);
    expect((await store.tasks.list({ statuses: ["failed"] })).total).toBe(2);
    await store.tasks.update(1, { status: "succeeded" });
    await store.tasks.delete({ uids: [0] });
    await store.tasks.create({ indexUid: null, type: "dumpCreation" });
    const succeeded = await store.tasks.list({ statuses: ["succeeded"] });
    expect(succeeded.results.map((task) => task.uid)).toEqual([4, 2, 1]);
    expect(succeeded.total).toBe(3);
    expect((await store.tasks.list({ statuses: ["failed", "enqueued"] })).total).toBe(2);
    expect((await store.tasks.list()).total).toBe(5);
    await store.close();
  });

  it("keeps an in-memory store for tests", async () => {
    const store = await openTaskStore({ backend: "sqlite", path: ":memory:" });
    expect(store.backend).toBe("sqlite");
    expect((await store.tasks.create({ indexUid: "m", type: "indexCreation" })).uid).toBe(0);
    await store.close();
  });

  it("refuses a file that is not a database and leaves it as it was", async () => {
    const garbage = Buffer.from("this is a text file, not SQLite\n".repeat(200));
    writeFileSync(path, garbage);
    const error = await refusal(openTaskStore({ backend: "sqlite", path }));
    expect(error).toMatchObject({ name: "TaskStoreError", code: "store_corrupt" });
    expect(error.message).toContain("not a readable SQLite database");
    expect(readFileSync(path).equals(garbage)).toBe(true);
  });

  it("refuses another application's database and leaves it as it was", async () => {
    const foreign = new Database(path);
    foreign.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
    foreign.close();
    const before = readFileSync(path);
    const error = await refusal(openTaskStore({ backend: "sqlite", path }));
    expect(error).toMatchObject({ code: "store_foreign" });
    expect(error.message).toContain("another application");
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("refuses a schema written by a newer Miroir and says to upgrade", async () => {
    await (await openTaskStore({ backend: "sqlite", path })).close();
    const raw = new Database(path);
    raw.prepare("UPDATE miroir_schema SET version = 99").run();
    raw.close();
    const error = await refusal(openTaskStore({ backend: "sqlite", path }));
    expect(error).toMatchObject({ code: "schema_too_new" });
    expect(error.message).toContain("upgrade Miroir");
    const check = new Database(path, { readonly: true });
    expect(check.prepare("SELECT version FROM miroir_schema").pluck().get()).toBe(99);
    check.close();
  });

  it("refuses a path it cannot create", async () => {
    const error = await refusal(
      openTaskStore({ backend: "sqlite", path: join(directory, "missing", "tasks.db") }),
    );
    expect(error).toMatchObject({ code: "store_unreachable" });
  });

  it("reports a row damaged outside Miroir as a corrupt store", async () => {
    const store = await openTaskStore({ backend: "sqlite", path });
    await store.tasks.create({ indexUid: "movies", type: "indexCreation" });
    const raw = new Database(path);
    raw.prepare("UPDATE tasks SET node_tasks = '{not json'").run();
    raw.close();
    await expect(store.tasks.get(0)).rejects.toMatchObject({ code: "store_corrupt" });
    await store.close();
  });

  it("reports a failure of the database itself as a typed error", async () => {
    const store = await openTaskStore({ backend: "sqlite", path });
    await store.close();
    await expect(store.tasks.get(0)).rejects.toMatchObject({
      name: "TaskStoreError",
      code: "store_failed",
    });
  });

  it("refuses an unknown backend", async () => {
    const error = await refusal(openTaskStore({ backend: "etcd" } as never));
    expect(error).toMatchObject({ code: "invalid_input" });
  });
});
