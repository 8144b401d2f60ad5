/**
 * The storage seam between the typed tables and a backend. Every table is described
 * once by a {@link TableSpec}; a backend only has to store flat rows, keep them
 * listable without scanning, apply atomic read-modify-write updates and hand out
 * monotonic sequence values. The typed repositories are written once against this.
 */

export type ColumnKind = "text" | "integer";

export type RowValue = string | number | null;

export type Row = Readonly<Record<string, RowValue>>;

export interface TableSpec {
  /** SQL table name and Redis keyspace. */
  readonly name: string;
  /** Primary-key columns, in order. */
  readonly key: readonly string[];
  readonly columns: Readonly<Record<string, ColumnKind>>;
  /** A column whose rows can be listed on their own (a Redis index set per value). */
  readonly partition?: string;
  /** A column holding an expiry time in epoch ms: past it the row reads as absent. */
  readonly expiresAt?: string;
  /**
   * The single integer key column a table is paged by ({@link RowStore.page}): SQLite
   * reads it through the primary key, Redis keeps a sorted set per table and per
   * partition value. Only for tables whose rows never expire.
   */
  readonly order?: string;
}

/** One page of an ordered table: rows from `from` on, in order, of some partitions. */
export interface PageQuery {
  /** Only rows of these partition values (every row when absent). */
  readonly partitionValues?: readonly RowValue[];
  /** The order value to start at, inclusive. */
  readonly from?: number;
  /** Highest order value first instead of lowest first. */
  readonly descending: boolean;
  readonly limit: number;
}

export interface RowPage {
  readonly rows: Row[];
  /** How many rows the partitions hold, whatever `from` and `limit` say. */
  readonly total: number;
}

/** What an update function decides: a new row, `null` to delete, `undefined` to keep. */
export type RowUpdate = Row | null | undefined;

export interface RowStore {
  get(table: TableSpec, key: readonly RowValue[]): Promise<Row | null>;
  /** Every live row of the table, or of one partition value; no particular order. */
  list(table: TableSpec, partitionValue?: RowValue): Promise<Row[]>;
  /**
   * A page of a table that has an {@link TableSpec.order} column, read through an index
   * (never every row), with the count of rows in the partitions asked for.
   */
  page(table: TableSpec, query: PageQuery): Promise<RowPage>;
  /** Insert or replace a whole row. */
  put(table: TableSpec, row: Row): Promise<void>;
  /**
   * Atomic read-modify-write of one row: `change` sees the current live row (or null)
   * and its decision is applied only if nobody wrote the row in between; otherwise it
   * runs again on the fresh row. Returns the row as it is afterwards.
   */
  update(
    table: TableSpec,
    key: readonly RowValue[],
    change: (current: Row | null) => RowUpdate,
  ): Promise<Row | null>;
  delete(table: TableSpec, key: readonly RowValue[]): Promise<boolean>;
  /** Delete several rows; returns how many existed. */
  deleteMany(table: TableSpec, keys: readonly (readonly RowValue[])[]): Promise<number>;
  /** Delete every row whose expiry is at or before `now`; returns how many. */
  deleteExpired(table: TableSpec, now: number): Promise<number>;
  /** Next value of a named counter: starts at 0, strictly increasing, never reused. */
  nextSequenceValue(name: string): Promise<number>;
  close(): Promise<void>;
}

export function keyOf(table: TableSpec, row: Row): RowValue[] {
  return table.key.map((column) => row[column] ?? null);
}

export function isExpired(table: TableSpec, row: Row, now: number): boolean {
  if (table.expiresAt === undefined) return false;
  const expiresAt = row[table.expiresAt];
  return typeof expiresAt === "number" && expiresAt <= now;
}
