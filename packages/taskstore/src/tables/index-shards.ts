import type { Row, RowStore } from "../row-store.js";
import { invalidInput } from "../task-store-error.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, text } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** The shard count of one index, when it is not the cluster's configured `shards`. */
export interface IndexShardCount {
  readonly indexUid: string;
  readonly shards: number;
  readonly updatedAt: EpochMs;
}

/**
 * The registry of per-index shard counts: an index listed here is split into `shards`
 * shards; every other index has the cluster's configured count.
 */
export interface IndexShards {
  /** Every registered index, by uid. */
  list(): Promise<IndexShardCount[]>;
  get(indexUid: string): Promise<IndexShardCount | null>;
  /** Registers (or changes) the shard count of an index. */
  set(indexUid: string, shards: number): Promise<IndexShardCount>;
  /** Forgets an index: it has the configured count again. */
  delete(indexUid: string): Promise<boolean>;
}

export function indexShards(rows: RowStore, now: () => EpochMs): IndexShards {
  const table = TABLES.indexShards;
  return {
    async list() {
      const stored = await rows.list(table);
      return stored
        .map(fromRow)
        .sort((a, b) => (a.indexUid < b.indexUid ? -1 : a.indexUid > b.indexUid ? 1 : 0));
    },
    async get(indexUid) {
      const row = await rows.get(table, [indexUid]);
      return row === null ? null : fromRow(row);
    },
    async set(indexUid, shards) {
      if (indexUid === "") throw invalidInput("An index uid must not be empty.");
      if (!Number.isInteger(shards) || shards < 1) {
        throw invalidInput("A shard count is a positive integer.");
      }
      const row = { index_uid: indexUid, shards, updated_at: now() };
      await rows.put(table, row);
      return fromRow(row);
    },
    delete: (indexUid) => rows.delete(table, [indexUid]),
  };
}

function fromRow(row: Row): IndexShardCount {
  return {
    indexUid: text(row, "index_uid"),
    shards: integer(row, "shards"),
    updatedAt: integer(row, "updated_at"),
  };
}
