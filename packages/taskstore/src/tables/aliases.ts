import type { Row, RowStore } from "../row-store.js";
import { invalidInput } from "../task-store-error.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, json, text, toJson } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** A name that clients use in place of one index (read and write) or several (read only). */
export interface AliasRecord {
  readonly name: string;
  /** The indexes the alias names now, in the order they were given. */
  readonly indexes: readonly string[];
  /** 1 at creation, one more at every switch. */
  readonly version: number;
  /** What the alias named before, newest first, as many as the last switch kept. */
  readonly history: readonly AliasFlip[];
  readonly createdAt: EpochMs;
  readonly updatedAt: EpochMs;
}

/** One past target of an alias: the indexes it named at `version`, until `until`. */
export interface AliasFlip {
  readonly indexes: readonly string[];
  readonly version: number;
  readonly until: EpochMs;
}

/** How a switch ended: done, no such alias, or another switch came first. */
export type AliasSwitch =
  | { readonly outcome: "switched"; readonly alias: AliasRecord }
  | { readonly outcome: "missing" }
  | { readonly outcome: "version_conflict"; readonly alias: AliasRecord };

export interface AliasSwitchTerms {
  /** Switch only if the alias is still at this version (compare-and-set). */
  readonly expectedVersion?: number;
  /** Past targets kept in the history (the oldest go first). */
  readonly historyKept: number;
}

export interface Aliases {
  /** Every alias, by name. */
  list(): Promise<AliasRecord[]>;
  get(name: string): Promise<AliasRecord | null>;
  /** Creates the alias; null (and nothing written) when the name is taken. */
  create(name: string, indexes: readonly string[]): Promise<AliasRecord | null>;
  /** Points the alias at other indexes in one atomic step, for every process sharing the store. */
  switch(name: string, indexes: readonly string[], terms: AliasSwitchTerms): Promise<AliasSwitch>;
  delete(name: string): Promise<boolean>;
}

export function aliases(rows: RowStore, now: () => EpochMs): Aliases {
  const table = TABLES.aliases;
  return {
    async list() {
      const stored = await rows.list(table);
      return stored.map(fromRow).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async get(name) {
      const row = await rows.get(table, [name]);
      return row === null ? null : fromRow(row);
    },
    async create(name, indexes) {
      checked(name, indexes);
      let created = false;
      const row = await rows.update(table, [name], (current) => {
        created = current === null;
        if (!created) return undefined;
        const at = now();
        return {
          name,
          indexes_json: toJson(indexes),
          version: 1,
          history_json: "[]",
          created_at: at,
          updated_at: at,
        };
      });
      return created && row !== null ? fromRow(row) : null;
    },
    async switch(name, indexes, terms) {
      checked(name, indexes);
      if (!Number.isInteger(terms.historyKept) || terms.historyKept < 0) {
        throw invalidInput("historyKept must be a non-negative integer.");
      }
      let outcome: "switched" | "missing" | "version_conflict" = "missing";
      const row = await rows.update(table, [name], (current) => {
        if (current === null) {
          outcome = "missing";
          return undefined;
        }
        const alias = fromRow(current);
        if (terms.expectedVersion !== undefined && terms.expectedVersion !== alias.version) {
          outcome = "version_conflict";
          return undefined;
        }
        outcome = "switched";
        const at = now();
        const flip: AliasFlip = { indexes: alias.indexes, version: alias.version, until: at };
        return {
          ...current,
          indexes_json: toJson(indexes),
          version: alias.version + 1,
          history_json: toJson([flip, ...alias.history].slice(0, terms.historyKept)),
          updated_at: at,
        };
      });
      if (outcome === "missing" || row === null) return { outcome: "missing" };
      return { outcome, alias: fromRow(row) };
    },
    delete: (name) => rows.delete(table, [name]),
  };
}

function checked(name: string, indexes: readonly string[]): void {
  if (typeof name !== "string" || name === "") throw invalidInput("An alias needs a name.");
  if (!Array.isArray(indexes) || indexes.length === 0) {
    throw invalidInput("An alias names at least one index.");
  }
  if (indexes.some((uid) => typeof uid !== "string" || uid === "")) {
    throw invalidInput("An alias names indexes by their non-empty uids.");
  }
  if (new Set(indexes).size !== indexes.length) {
    throw invalidInput("An alias names each index once.");
  }
}

function fromRow(row: Row): AliasRecord {
  return {
    name: text(row, "name"),
    indexes: json(row, "indexes_json"),
    version: integer(row, "version"),
    history: json(row, "history_json"),
    createdAt: integer(row, "created_at"),
    updatedAt: integer(row, "updated_at"),
  };
}
