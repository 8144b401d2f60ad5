import type { Row, RowStore } from "../row-store.js";
import { invalidInput } from "../task-store-error.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, json, text, toJson } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** The end-user search UI's configuration for one index (plan §13.21). */
export interface SearchUiConfigRecord {
  readonly indexUid: string;
  readonly config: unknown;
  readonly updatedAt: EpochMs;
}

export interface SearchUiConfigs {
  get(indexUid: string): Promise<SearchUiConfigRecord | null>;
  put(indexUid: string, config: unknown): Promise<SearchUiConfigRecord>;
  delete(indexUid: string): Promise<boolean>;
}

export function searchUiConfigs(rows: RowStore, now: () => EpochMs): SearchUiConfigs {
  const table = TABLES.searchUiConfig;
  return {
    async get(indexUid) {
      const row = await rows.get(table, [indexUid]);
      return row === null ? null : fromRow(row);
    },
    async put(indexUid, config) {
      if (indexUid === "") throw invalidInput("A search UI configuration needs an index uid.");
      if (config === undefined) throw invalidInput("A search UI configuration needs a value.");
      const record: SearchUiConfigRecord = { indexUid, config, updatedAt: now() };
      await rows.put(table, {
        index_uid: indexUid,
        config_json: toJson(config),
        updated_at: record.updatedAt,
      });
      return record;
    },
    delete: (indexUid) => rows.delete(table, [indexUid]),
  };
}

function fromRow(row: Row): SearchUiConfigRecord {
  return {
    indexUid: text(row, "index_uid"),
    config: json(row, "config_json"),
    updatedAt: integer(row, "updated_at"),
  };
}
