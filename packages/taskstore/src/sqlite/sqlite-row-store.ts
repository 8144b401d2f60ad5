import type BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import {
  isExpired,
  type PageQuery,
  type Row,
  type RowPage,
  type RowStore,
  type RowUpdate,
  type RowValue,
  type TableSpec,
} from "../row-store.js";
import type { EpochMs } from "../tasks/task-record.js";

type SqliteRows = Record<string, Record<string, RowValue>>;

interface TableStatements {
  readonly get: BetterSqlite3.Statement;
  readonly list: BetterSqlite3.Statement;
  readonly listPartition: BetterSqlite3.Statement | null;
  readonly put: BetterSqlite3.Statement;
  readonly delete: BetterSqlite3.Statement;
  readonly deleteExpired: BetterSqlite3.Statement | null;
}

interface PageStatements {
  readonly page: BetterSqlite3.Statement;
  readonly count: BetterSqlite3.Statement;
}

/**
 * Rows in SQLite. Queries are built with kysely and run as prepared better-sqlite3
 * statements; every read-modify-write runs synchronously inside one `BEGIN IMMEDIATE`
 * transaction, so it is atomic against other connections and other processes.
 */
export class SqliteRowStore implements RowStore {
  readonly #database: BetterSqlite3.Database;
  readonly #queries: Kysely<SqliteRows>;
  readonly #now: () => EpochMs;
  readonly #statements = new Map<string, TableStatements>();
  /** Page and count statements per table and query shape (partitions, `from`, direction). */
  readonly #pageStatements = new Map<string, PageStatements>();
  readonly #nextSequence: BetterSqlite3.Statement;

  constructor(database: BetterSqlite3.Database, now: () => EpochMs) {
    this.#database = database;
    this.#now = now;
    this.#queries = new Kysely<SqliteRows>({ dialect: new SqliteDialect({ database }) });
    this.#nextSequence = database.prepare(
      `INSERT INTO sequences (name, next_value) VALUES (?, 1)
       ON CONFLICT (name) DO UPDATE SET next_value = next_value + 1
       RETURNING next_value - 1 AS value`,
    );
  }

  async get(table: TableSpec, key: readonly RowValue[]): Promise<Row | null> {
    return this.#liveRow(table, key);
  }

  async list(table: TableSpec, partitionValue?: RowValue): Promise<Row[]> {
    const statements = this.#statementsOf(table);
    const rows =
      partitionValue === undefined || statements.listPartition === null
        ? (statements.list.all() as Row[])
        : (statements.listPartition.all(partitionValue) as Row[]);
    const now = this.#now();
    return rows.filter((row) => !isExpired(table, row, now));
  }

  async page(table: TableSpec, query: PageQuery): Promise<RowPage> {
    const partitions = [...new Set(query.partitionValues ?? [])];
    const statements = this.#pageStatementsOf(table, query, partitions.length);
    const read = this.#database.transaction((): RowPage => {
      const total = statements.count.pluck().get(table.name, ...partitions) as number;
      const bounds = query.from === undefined ? [] : [query.from];
      const rows =
        query.limit === 0
          ? []
          : (statements.page.all(...partitions, ...bounds, query.limit) as Row[]);
      return { rows, total };
    });
    return read.deferred();
  }

  async put(table: TableSpec, row: Row): Promise<void> {
    this.#put(table, row);
  }

  async update(
    table: TableSpec,
    key: readonly RowValue[],
    change: (current: Row | null) => RowUpdate,
  ): Promise<Row | null> {
    const apply = this.#database.transaction((): Row | null => {
      const current = this.#liveRow(table, key);
      const next = change(current);
      if (next === undefined) return current;
      if (next === null) {
        this.#statementsOf(table).delete.run(...key);
        return null;
      }
      this.#put(table, next);
      return next;
    });
    return apply.immediate();
  }

  async delete(table: TableSpec, key: readonly RowValue[]): Promise<boolean> {
    return this.#statementsOf(table).delete.run(...key).changes > 0;
  }

  async deleteMany(table: TableSpec, keys: readonly (readonly RowValue[])[]): Promise<number> {
    const statement = this.#statementsOf(table).delete;
    const deleteAll = this.#database.transaction(() =>
      keys.reduce((deleted, key) => deleted + statement.run(...key).changes, 0),
    );
    return deleteAll.immediate();
  }

  async deleteExpired(table: TableSpec, now: EpochMs): Promise<number> {
    const statement = this.#statementsOf(table).deleteExpired;
    return statement === null ? 0 : statement.run(now).changes;
  }

  async nextSequenceValue(name: string): Promise<number> {
    const row = this.#nextSequence.get(name) as { value: number };
    return row.value;
  }

  async close(): Promise<void> {
    this.#database.close();
  }

  #liveRow(table: TableSpec, key: readonly RowValue[]): Row | null {
    const row = this.#statementsOf(table).get.get(...key) as Row | undefined;
    return row === undefined || isExpired(table, row, this.#now()) ? null : row;
  }

  #put(table: TableSpec, row: Row): void {
    const values = Object.keys(table.columns).map((column) => row[column] ?? null);
    this.#statementsOf(table).put.run(...values);
  }

  /**
   * `SELECT … WHERE partition IN (…) AND order <= from ORDER BY order DESC LIMIT n` (and
   * its mirror), which SQLite answers by walking the primary key (or the partition index)
   * from `from`, plus the `COUNT(*)` of the partitions.
   */
  #pageStatementsOf(table: TableSpec, query: PageQuery, partitions: number): PageStatements {
    const order = table.order;
    if (order === undefined) throw new Error(`Table ${table.name} has no order column to page by.`);
    const partition = table.partition;
    const filtered = query.partitionValues !== undefined && partition !== undefined;
    const shape = `${table.name}|${filtered ? partitions : "all"}|${query.from !== undefined}|${query.descending}`;
    const cached = this.#pageStatements.get(shape);
    if (cached !== undefined) return cached;
    const q = this.#queries;
    const values = Array.from({ length: partitions }, () => null);
    const inPartitions = <T extends { where: (c: string, o: "in", v: null[]) => T }>(query: T) =>
      filtered ? query.where(partition, "in", values) : query;
    let page = inPartitions(q.selectFrom(table.name).selectAll());
    if (query.from !== undefined) page = page.where(order, query.descending ? "<=" : ">=", 0);
    page = page.orderBy(order, query.descending ? "desc" : "asc").limit(0);
    // Ordered tables are counted per partition value by triggers (migration 4).
    const counted = q
      .selectFrom("partition_counts")
      .select((expression) =>
        expression.fn.coalesce(expression.fn.sum("rows"), expression.lit(0)).as("total"),
      )
      .where("table_name", "=", table.name);
    const count = filtered ? counted.where("value", "in", values) : counted;
    const statements = {
      page: this.#database.prepare(page.compile().sql),
      count: this.#database.prepare(count.compile().sql),
    };
    this.#pageStatements.set(shape, statements);
    return statements;
  }

  #statementsOf(table: TableSpec): TableStatements {
    const cached = this.#statements.get(table.name);
    if (cached !== undefined) return cached;
    const statements = this.#prepare(table);
    this.#statements.set(table.name, statements);
    return statements;
  }

  /**
   * Compiles each statement once with stand-in values: only the SQL text is kept, and
   * callers bind the real values positionally, in key order or in column order.
   */
  #prepare(table: TableSpec): TableStatements {
    const q = this.#queries;
    const prepare = (query: { compile(): { sql: string } }) =>
      this.#database.prepare(query.compile().sql);
    const byKey = <T extends { where: (c: string, o: "=", v: RowValue) => T }>(query: T): T =>
      table.key.reduce((narrowed, column) => narrowed.where(column, "=", null), query);
    const placeholders = Object.fromEntries(Object.keys(table.columns).map((c) => [c, null]));
    const ordered = table.key.reduce(
      (query, column) => query.orderBy(column),
      q.selectFrom(table.name).selectAll(),
    );
    return {
      get: prepare(byKey(q.selectFrom(table.name).selectAll())),
      list: prepare(ordered),
      listPartition:
        table.partition === undefined ? null : prepare(ordered.where(table.partition, "=", null)),
      // An upsert, not `INSERT OR REPLACE`: a replaced row would skip the delete triggers
      // that keep partition counts.
      put: prepare(
        q
          .insertInto(table.name)
          .values(placeholders)
          .onConflict((conflict) =>
            conflict.columns(table.key as string[]).doUpdateSet((row) =>
              Object.fromEntries(
                Object.keys(table.columns)
                  .filter((column) => !table.key.includes(column))
                  .map((column) => [column, row.ref(`excluded.${column}`)]),
              ),
            ),
          ),
      ),
      delete: prepare(byKey(q.deleteFrom(table.name))),
      deleteExpired:
        table.expiresAt === undefined
          ? null
          : prepare(q.deleteFrom(table.name).where(table.expiresAt, "<=", 0)),
    };
  }
}
