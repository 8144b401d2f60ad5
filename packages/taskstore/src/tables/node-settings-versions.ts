import { compareText, requireCount } from "../input-checks.js";
import type { Row, RowStore } from "../row-store.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, text } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** The last cluster-wide settings version verified on one (index, node) pair. */
export interface NodeSettingsVersionRecord {
  readonly indexUid: string;
  readonly nodeId: string;
  readonly version: number;
  readonly updatedAt: EpochMs;
}

export interface NodeSettingsVersions {
  get(indexUid: string, nodeId: string): Promise<NodeSettingsVersionRecord | null>;
  /** Records a verified version; a lower version than the stored one is ignored. */
  advance(indexUid: string, nodeId: string, version: number): Promise<NodeSettingsVersionRecord>;
  /** Every node's version for one index, by node id. */
  listForIndex(indexUid: string): Promise<NodeSettingsVersionRecord[]>;
  deleteIndex(indexUid: string): Promise<number>;
}

export function nodeSettingsVersions(rows: RowStore, now: () => EpochMs): NodeSettingsVersions {
  const table = TABLES.nodeSettingsVersion;
  return {
    async get(indexUid, nodeId) {
      const row = await rows.get(table, [indexUid, nodeId]);
      return row === null ? null : fromRow(row);
    },
    async advance(indexUid, nodeId, version) {
      requireCount(version, "version");
      const row = await rows.update(table, [indexUid, nodeId], (current) => {
        if (current !== null && integer(current, "version") >= version) return undefined;
        return { index_uid: indexUid, node_id: nodeId, version, updated_at: now() };
      });
      return fromRow(row as Row);
    },
    async listForIndex(indexUid) {
      return (await rows.list(table, indexUid))
        .map(fromRow)
        .sort((a, b) => compareText(a.nodeId, b.nodeId));
    },
    async deleteIndex(indexUid) {
      const keys = (await rows.list(table, indexUid)).map((row) => [
        indexUid,
        text(row, "node_id"),
      ]);
      return rows.deleteMany(table, keys);
    },
  };
}

function fromRow(row: Row): NodeSettingsVersionRecord {
  return {
    indexUid: text(row, "index_uid"),
    nodeId: text(row, "node_id"),
    version: integer(row, "version"),
    updatedAt: integer(row, "updated_at"),
  };
}
