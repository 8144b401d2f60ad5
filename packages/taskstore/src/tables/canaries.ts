import { compareText, requireCount, requireTime } from "../input-checks.js";
import type { Row, RowStore } from "../row-store.js";
import { invalidInput } from "../task-store-error.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, json, text, toJson } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** A synthetic query run on a schedule with assertions on its answer (plan §13.18). */
export interface CanaryRecord {
  readonly id: string;
  readonly name: string;
  readonly indexUid: string;
  readonly intervalS: number;
  readonly query: unknown;
  readonly assertions: readonly unknown[];
  readonly enabled: boolean;
  readonly createdAt: EpochMs;
}

export interface Canaries {
  put(canary: CanaryRecord): Promise<void>;
  get(id: string): Promise<CanaryRecord | null>;
  list(): Promise<CanaryRecord[]>;
  /** Deletes the canary and its run history. */
  delete(id: string): Promise<boolean>;
}

export function canaries(rows: RowStore): Canaries {
  const table = TABLES.canaries;
  return {
    async put(canary) {
      if (canary.id === "" || canary.indexUid === "") {
        throw invalidInput("A canary needs an id and an index uid.");
      }
      requireCount(canary.intervalS, "intervalS");
      requireTime(canary.createdAt, "createdAt");
      await rows.put(table, toRow(canary));
    },
    async get(id) {
      const row = await rows.get(table, [id]);
      return row === null ? null : fromRow(row);
    },
    async list() {
      return (await rows.list(table)).map(fromRow).sort((a, b) => compareText(a.id, b.id));
    },
    async delete(id) {
      const runs = await rows.list(TABLES.canaryRuns, id);
      await rows.deleteMany(
        TABLES.canaryRuns,
        runs.map((run) => [id, integer(run, "ran_at")]),
      );
      return rows.delete(table, [id]);
    },
  };
}

function toRow(canary: CanaryRecord): Row {
  return {
    id: canary.id,
    name: canary.name,
    index_uid: canary.indexUid,
    interval_s: canary.intervalS,
    query_json: toJson(canary.query),
    assertions_json: toJson(canary.assertions),
    enabled: canary.enabled ? 1 : 0,
    created_at: canary.createdAt,
  };
}

function fromRow(row: Row): CanaryRecord {
  return {
    id: text(row, "id"),
    name: text(row, "name"),
    indexUid: text(row, "index_uid"),
    intervalS: integer(row, "interval_s"),
    query: json(row, "query_json"),
    assertions: json(row, "assertions_json"),
    enabled: integer(row, "enabled") === 1,
    createdAt: integer(row, "created_at"),
  };
}
