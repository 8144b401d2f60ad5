import type { RowValue, TableSpec } from "../row-store.js";

/**
 * The Redis key layout. Row keys encode each primary-key part with
 * `encodeURIComponent`, so they never contain `#`, which marks the table's own keys.
 */
export class RedisKeys {
  readonly #prefix: string;

  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  /** Prefix of every row key of a table: `<prefix><table>:`. */
  rowPrefix(table: TableSpec): string {
    return `${this.#prefix}${table.name}:`;
  }

  /** `<prefix><table>:<key part>[:<key part>]`. */
  row(table: TableSpec, key: readonly RowValue[]): string {
    return this.rowPrefix(table) + this.member(key);
  }

  /** The row's name in the table's sets. */
  member(key: readonly RowValue[]): string {
    return key.map((part) => encodeURIComponent(String(part))).join(":");
  }

  /** Set of every row's member: `<prefix><table>#index`. */
  index(table: TableSpec): string {
    return `${this.#prefix}${table.name}#index`;
  }

  /** Prefix of the per-value sets of the partition column: `<prefix><table>#by:<column>:`. */
  partitionPrefix(table: TableSpec): string {
    return `${this.#prefix}${table.name}#by:${table.partition ?? ""}:`;
  }

  /** Sorted set of every row's member scored by the order column: `<prefix><table>#order`. */
  order(table: TableSpec): string {
    return `${this.#prefix}${table.name}#order`;
  }

  /**
   * Prefix of the per-value sorted sets of the partition column, scored by the order
   * column: `<prefix><table>#order-by:<column>:`.
   */
  orderPartitionPrefix(table: TableSpec): string {
    return `${this.#prefix}${table.name}#order-by:${table.partition ?? ""}:`;
  }

  /** Sorted set of members scored by expiry: `<prefix><table>#expiry`. */
  expiry(table: TableSpec): string {
    return `${this.#prefix}${table.name}#expiry`;
  }

  sequence(name: string): string {
    return `${this.#prefix}seq:${name}`;
  }

  schemaVersion(): string {
    return `${this.#prefix}schema_version`;
  }
}
