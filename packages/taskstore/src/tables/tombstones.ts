import type { Row, RowStore } from "../row-store.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, text } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** A deleted document: its id and the version of the write that deleted it. */
export interface TombstoneRecord {
  readonly indexUid: string;
  readonly documentId: string;
  readonly version: number;
  readonly deletedAt: EpochMs;
}

export interface Tombstones {
  /** Records the deletion of `documentIds` at `version` (a newer deletion keeps its own). */
  record(indexUid: string, documentIds: readonly string[], version: number): Promise<void>;
  /** Every tombstone of the index, keyed by document id. */
  list(indexUid: string): Promise<Map<string, TombstoneRecord>>;
  /** Removes the tombstones of a document written again at a newer version. */
  clear(indexUid: string, documentIds: readonly string[]): Promise<number>;
  /** Removes the index's tombstones recorded at or before `deletedBefore`; answers how many. */
  prune(indexUid: string, deletedBefore: EpochMs): Promise<number>;
}

export function tombstones(rows: RowStore, now: () => EpochMs): Tombstones {
  const table = TABLES.tombstones;
  return {
    async record(indexUid, documentIds, version) {
      const deletedAt = now();
      for (const documentId of documentIds) {
        await rows.update(table, [indexUid, documentId], (current) =>
          current !== null && integer(current, "version") >= version
            ? undefined
            : { index_uid: indexUid, document_id: documentId, version, deleted_at: deletedAt },
        );
      }
    },
    async list(indexUid) {
      const found = new Map<string, TombstoneRecord>();
      for (const row of await rows.list(table, indexUid)) {
        const record = fromRow(row);
        found.set(record.documentId, record);
      }
      return found;
    },
    clear: (indexUid, documentIds) =>
      rows.deleteMany(
        table,
        documentIds.map((documentId) => [indexUid, documentId]),
      ),
    async prune(indexUid, deletedBefore) {
      const old = (await rows.list(table, indexUid))
        .map(fromRow)
        .filter((record) => record.deletedAt <= deletedBefore);
      return rows.deleteMany(
        table,
        old.map((record) => [indexUid, record.documentId]),
      );
    },
  };
}

function fromRow(row: Row): TombstoneRecord {
  return {
    indexUid: text(row, "index_uid"),
    documentId: text(row, "document_id"),
    version: integer(row, "version"),
    deletedAt: integer(row, "deleted_at"),
  };
}
