import { createHash } from "node:crypto";
import type { createClient } from "redis";
import {
  isExpired,
  keyOf,
  type PageQuery,
  type Row,
  type RowPage,
  type RowStore,
  type RowUpdate,
  type RowValue,
  type TableSpec,
} from "../row-store.js";
import { TaskStoreError } from "../task-store-error.js";
import type { EpochMs } from "../tasks/task-record.js";
import type { RedisKeys } from "./redis-keys.js";
import { DELETE_EXPIRED_SCRIPT, WRITE_ROW_SCRIPT } from "./row-scripts.js";

export type RedisConnection = ReturnType<typeof createClient>;

interface StoredRow {
  readonly row: Row;
  readonly revision: string;
}

/** What the write script answers when the row changed since it was read. */
const REVISION_CONFLICT = -1;

/** Optimistic retries before an update gives up under contention on one row. */
const MAX_UPDATE_ATTEMPTS = 50;

/**
 * Expired rows stay readable to the pruner this long after their expiry before Redis
 * drops them by itself, so pruning sees the same rows on Redis as on SQLite.
 */
const EXPIRY_GRACE_MS = 60_000;

/**
 * Rows as Redis hashes, one per row, with a `_rev` field for optimistic concurrency;
 * an index set per table (and per partition value) serves listings without SCAN.
 */
export class RedisRowStore implements RowStore {
  readonly #client: RedisConnection;
  readonly #keys: RedisKeys;
  readonly #now: () => EpochMs;
  readonly #scriptSha = new Map<string, string>();

  constructor(client: RedisConnection, keys: RedisKeys, now: () => EpochMs) {
    this.#client = client;
    this.#keys = keys;
    this.#now = now;
  }

  async get(table: TableSpec, key: readonly RowValue[]): Promise<Row | null> {
    const stored = await this.#read(table, this.#keys.row(table, key));
    return stored === null || isExpired(table, stored.row, this.#now()) ? null : stored.row;
  }

  async list(table: TableSpec, partitionValue?: RowValue): Promise<Row[]> {
    const set =
      partitionValue === undefined || table.partition === undefined
        ? this.#keys.index(table)
        : this.#keys.partitionPrefix(table) + String(partitionValue);
    const members = await this.#client.sMembers(set);
    const prefix = this.#keys.rowPrefix(table);
    const stored = await Promise.all(members.map((member) => this.#read(table, prefix + member)));
    const now = this.#now();
    return stored.flatMap((entry) =>
      entry === null || isExpired(table, entry.row, now) ? [] : [entry.row],
    );
  }

  async page(table: TableSpec, query: PageQuery): Promise<RowPage> {
    const sets =
      query.partitionValues === undefined || table.partition === undefined
        ? [this.#keys.order(table)]
        : [...new Set(query.partitionValues)].map(
            (value) => this.#keys.orderPartitionPrefix(table) + String(value),
          );
    const start = query.from === undefined ? (query.descending ? "+inf" : "-inf") : query.from;
    const end = query.descending ? "-inf" : "+inf";
    const [counts, ranges] = await Promise.all([
      Promise.all(sets.map((set) => this.#client.zCard(set))),
      query.limit === 0
        ? []
        : Promise.all(
            sets.map((set) =>
              this.#client.zRange(set, start, end, {
                BY: "SCORE",
                REV: query.descending ? true : undefined,
                LIMIT: { offset: 0, count: query.limit },
              }),
            ),
          ),
    ]);
    // Each partition's first rows, merged: the page is the first `limit` of them all.
    const direction = query.descending ? -1 : 1;
    const members = ranges
      .flat()
      .map(Number)
      .sort((a, b) => direction * (a - b))
      .slice(0, query.limit);
    const prefix = this.#keys.rowPrefix(table);
    const stored = await Promise.all(members.map((member) => this.#read(table, prefix + member)));
    return {
      rows: stored.flatMap((entry) => (entry === null ? [] : [entry.row])),
      total: counts.reduce((sum, count) => sum + count, 0),
    };
  }

  async put(table: TableSpec, row: Row): Promise<void> {
    await this.#runWrite(table, keyOf(table, row), row, "*");
  }

  async update(
    table: TableSpec,
    key: readonly RowValue[],
    change: (current: Row | null) => RowUpdate,
  ): Promise<Row | null> {
    const rowKey = this.#keys.row(table, key);
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const stored = await this.#read(table, rowKey);
      const live = stored === null || isExpired(table, stored.row, this.#now()) ? null : stored.row;
      const next = change(live);
      if (next === undefined) return live;
      const outcome = await this.#runWrite(table, key, next, stored?.revision ?? "");
      if (outcome !== REVISION_CONFLICT) return next;
    }
    throw new TaskStoreError(
      "write_conflict",
      `Gave up updating ${table.name} row ${this.#keys.member(key)} after ${MAX_UPDATE_ATTEMPTS} concurrent modifications; retry the operation.`,
    );
  }

  async delete(table: TableSpec, key: readonly RowValue[]): Promise<boolean> {
    return (await this.#runWrite(table, key, null, "*")) === 1;
  }

  async deleteMany(table: TableSpec, keys: readonly (readonly RowValue[])[]): Promise<number> {
    const results = await Promise.all(keys.map((key) => this.#runWrite(table, key, null, "*")));
    return results.filter((result) => result === 1).length;
  }

  async deleteExpired(table: TableSpec, now: EpochMs): Promise<number> {
    if (table.expiresAt === undefined) return 0;
    const deleted = await this.#evaluate(DELETE_EXPIRED_SCRIPT, {
      keys: [this.#keys.expiry(table), this.#keys.index(table)],
      arguments: [
        String(now),
        this.#keys.rowPrefix(table),
        table.partition ?? "",
        this.#keys.partitionPrefix(table),
      ],
    });
    return Number(deleted);
  }

  async nextSequenceValue(name: string): Promise<number> {
    return (await this.#client.incr(this.#keys.sequence(name))) - 1;
  }

  async close(): Promise<void> {
    if (this.#client.isOpen) await this.#client.close();
  }

  async #read(table: TableSpec, rowKey: string): Promise<StoredRow | null> {
    const fields = await this.#client.hGetAll(rowKey);
    const revision = fields._rev;
    if (revision === undefined) return null;
    const row: Record<string, RowValue> = {};
    for (const [column, kind] of Object.entries(table.columns)) {
      const value = fields[column];
      row[column] = value === undefined ? null : kind === "integer" ? Number(value) : value;
    }
    return { row, revision };
  }

  async #runWrite(
    table: TableSpec,
    key: readonly RowValue[],
    row: Row | null,
    expectedRevision: string,
  ): Promise<number> {
    const fields: string[] = [];
    let expiresAt = "";
    let ttlMs = "";
    if (row !== null) {
      for (const column of Object.keys(table.columns)) {
        const value = row[column];
        if (value !== null && value !== undefined) fields.push(column, String(value));
      }
      const expiry = table.expiresAt === undefined ? null : row[table.expiresAt];
      if (typeof expiry === "number") {
        expiresAt = String(expiry);
        ttlMs = String(Math.max(1, expiry - this.#now()) + EXPIRY_GRACE_MS);
      }
    }
    const order = table.order === undefined ? null : row?.[table.order];
    const result = await this.#evaluate(WRITE_ROW_SCRIPT, {
      keys: [
        this.#keys.row(table, key),
        this.#keys.index(table),
        this.#keys.expiry(table),
        this.#keys.order(table),
      ],
      arguments: [
        expectedRevision,
        this.#keys.member(key),
        table.partition ?? "",
        this.#keys.partitionPrefix(table),
        row === null ? "del" : "put",
        expiresAt,
        ttlMs,
        typeof order === "number" ? String(order) : "",
        table.order === undefined ? "" : this.#keys.orderPartitionPrefix(table),
        ...fields,
      ],
    });
    return Number(result);
  }

  /** EVALSHA, loading the script on first use or after a server restart (NOSCRIPT). */
  async #evaluate(script: string, options: { keys: string[]; arguments: string[] }) {
    let sha = this.#scriptSha.get(script);
    if (sha === undefined) {
      sha = createHash("sha1").update(script).digest("hex");
      this.#scriptSha.set(script, sha);
    }
    try {
      return await this.#client.evalSha(sha, options);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return this.#client.eval(script, options);
    }
  }
}
