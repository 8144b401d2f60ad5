import { compareText, requireCount } from "../input-checks.js";
import type { Row, RowStore } from "../row-store.js";
import { invalidInput, TaskStoreError } from "../task-store-error.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, json, optionalJson, optionalText, text, toJson } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** What an alias pointed at before a flip. */
export interface AliasState {
  readonly currentUid: string | null;
  readonly targetUids: readonly string[] | null;
  readonly version: number;
  readonly replacedAt: EpochMs;
}

/** An index alias: `single` resolves to one index, `multi` fans reads out to several. */
export interface AliasRecord {
  readonly name: string;
  readonly kind: "single" | "multi";
  readonly currentUid: string | null;
  readonly targetUids: readonly string[] | null;
  /** Starts at 1 and grows by one on every flip. */
  readonly version: number;
  readonly createdAt: EpochMs;
  /** Prior states, newest first, bounded by the flip's `historyRetention`. */
  readonly history: readonly AliasState[];
}

/** A single alias takes one index uid, a multi alias a list of them. */
export type AliasTarget = string | readonly string[];

export interface Aliases {
  create(name: string, target: AliasTarget): Promise<AliasRecord>;
  get(name: string): Promise<AliasRecord | null>;
  list(): Promise<AliasRecord[]>;
  /**
   * Points the alias at a new target atomically. With `expectedVersion`, the flip only
   * happens if nobody flipped since; `null` when the alias is missing or was flipped.
   */
  flip(
    name: string,
    target: AliasTarget,
    options?: { expectedVersion?: number; historyRetention?: number },
  ): Promise<AliasRecord | null>;
  delete(name: string): Promise<boolean>;
}

const DEFAULT_HISTORY_RETENTION = 10;

export function aliases(rows: RowStore, now: () => EpochMs): Aliases {
  const table = TABLES.aliases;
  return {
    async create(name, target) {
      if (name === "") throw invalidInput("An alias needs a name.");
      validateTarget(target);
      const record: AliasRecord = {
        name,
        ...targetFields(target),
        version: 1,
        createdAt: now(),
        history: [],
      };
      let exists = false;
      await rows.update(table, [name], (current) => {
        exists = current !== null;
        return exists ? undefined : toRow(record);
      });
      if (exists) {
        throw new TaskStoreError(
          "alias_exists",
          `Alias "${name}" already exists; flip it to change its target.`,
        );
      }
      return record;
    },

    async get(name) {
      const row = await rows.get(table, [name]);
      return row === null ? null : fromRow(row);
    },

    async list() {
      return (await rows.list(table)).map(fromRow).sort((a, b) => compareText(a.name, b.name));
    },

    async flip(name, target, options = {}) {
      validateTarget(target);
      const retention = options.historyRetention ?? DEFAULT_HISTORY_RETENTION;
      requireCount(retention, "historyRetention");
      let flipped = false;
      const row = await rows.update(table, [name], (current) => {
        flipped = false;
        if (current === null) return undefined;
        const alias = fromRow(current);
        if (options.expectedVersion !== undefined && alias.version !== options.expectedVersion) {
          return undefined;
        }
        const fields = targetFields(target);
        if (fields.kind !== alias.kind) {
          throw new TaskStoreError(
            "alias_kind_mismatch",
            `Alias "${name}" is a ${alias.kind} alias; flip it to ${alias.kind === "single" ? "one index uid" : "a list of index uids"}.`,
          );
        }
        const previous: AliasState = {
          currentUid: alias.currentUid,
          targetUids: alias.targetUids,
          version: alias.version,
          replacedAt: now(),
        };
        flipped = true;
        return toRow({
          ...alias,
          ...fields,
          version: alias.version + 1,
          history: [previous, ...alias.history].slice(0, retention),
        });
      });
      return flipped && row !== null ? fromRow(row) : null;
    },

    delete: (name) => rows.delete(table, [name]),
  };
}

function targetFields(
  target: AliasTarget,
): Pick<AliasRecord, "kind" | "currentUid" | "targetUids"> {
  return typeof target === "string"
    ? { kind: "single", currentUid: target, targetUids: null }
    : { kind: "multi", currentUid: null, targetUids: [...target] };
}

function validateTarget(target: AliasTarget): void {
  const uids = typeof target === "string" ? [target] : target;
  if (uids.length === 0 || uids.some((uid) => typeof uid !== "string" || uid === "")) {
    throw invalidInput("An alias target must be one or more non-empty index uids.");
  }
}

function toRow(alias: AliasRecord): Row {
  return {
    name: alias.name,
    kind: alias.kind,
    current_uid: alias.currentUid,
    target_uids: alias.targetUids === null ? null : toJson(alias.targetUids),
    version: alias.version,
    created_at: alias.createdAt,
    history: toJson(alias.history),
  };
}

function fromRow(row: Row): AliasRecord {
  return {
    name: text(row, "name"),
    kind: text(row, "kind") === "multi" ? "multi" : "single",
    currentUid: optionalText(row, "current_uid"),
    targetUids: optionalJson(row, "target_uids"),
    version: integer(row, "version"),
    createdAt: integer(row, "created_at"),
    history: json(row, "history"),
  };
}
