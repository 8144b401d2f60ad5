import { compareText, requireCount } from "../input-checks.js";
import type { Row, RowStore } from "../row-store.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, text } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** How far one change-data-capture sink has acknowledged one index's events. */
export interface CdcCursorRecord {
  readonly sinkName: string;
  readonly indexUid: string;
  readonly lastEventSeq: number;
  readonly updatedAt: EpochMs;
}

export interface CdcCursors {
  get(sinkName: string, indexUid: string): Promise<CdcCursorRecord | null>;
  /** Moves the cursor forward; a sequence at or below the stored one changes nothing. */
  advance(sinkName: string, indexUid: string, lastEventSeq: number): Promise<CdcCursorRecord>;
  /** Every cursor of one sink, by index uid. */
  listForSink(sinkName: string): Promise<CdcCursorRecord[]>;
}

export function cdcCursors(rows: RowStore, now: () => EpochMs): CdcCursors {
  const table = TABLES.cdcCursors;
  return {
    async get(sinkName, indexUid) {
      const row = await rows.get(table, [sinkName, indexUid]);
      return row === null ? null : fromRow(row);
    },
    async advance(sinkName, indexUid, lastEventSeq) {
      requireCount(lastEventSeq, "lastEventSeq");
      const row = await rows.update(table, [sinkName, indexUid], (current) => {
        if (current !== null && integer(current, "last_event_seq") >= lastEventSeq) {
          return undefined;
        }
        return {
          sink_name: sinkName,
          index_uid: indexUid,
          last_event_seq: lastEventSeq,
          updated_at: now(),
        };
      });
      return fromRow(row as Row);
    },
    async listForSink(sinkName) {
      return (await rows.list(table, sinkName))
        .map(fromRow)
        .sort((a, b) => compareText(a.indexUid, b.indexUid));
    },
  };
}

function fromRow(row: Row): CdcCursorRecord {
  return {
    sinkName: text(row, "sink_name"),
    indexUid: text(row, "index_uid"),
    lastEventSeq: integer(row, "last_event_seq"),
    updatedAt: integer(row, "updated_at"),
  };
}
