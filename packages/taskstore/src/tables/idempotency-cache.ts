import { requireCount, requireTime } from "../input-checks.js";
import type { Row, RowStore } from "../row-store.js";
import { invalidInput } from "../task-store-error.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, text } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** An `Idempotency-Key` already used: the body it came with and the task it created. */
export interface IdempotencyRecord {
  readonly key: string;
  /** Hex SHA-256 of the request body. */
  readonly bodySha256: string;
  readonly taskUid: number;
  readonly expiresAt: EpochMs;
}

export interface IdempotencyCache {
  get(key: string): Promise<IdempotencyRecord | null>;
  /**
   * Stores the entry unless a live entry with the same key exists, atomically; returns
   * the existing entry in that case (the caller then answers from it), else `null`.
   */
  remember(entry: IdempotencyRecord): Promise<IdempotencyRecord | null>;
  delete(key: string): Promise<boolean>;
}

export function idempotencyCache(rows: RowStore): IdempotencyCache {
  const table = TABLES.idempotencyCache;
  return {
    async get(key) {
      const row = await rows.get(table, [key]);
      return row === null ? null : fromRow(row);
    },
    async remember(entry) {
      if (entry.key === "") throw invalidInput("An idempotency key must not be empty.");
      if (!/^[0-9a-f]{64}$/.test(entry.bodySha256)) {
        throw invalidInput("bodySha256 must be 64 lower-case hex digits.");
      }
      requireCount(entry.taskUid, "taskUid");
      requireTime(entry.expiresAt, "expiresAt");
      let existing: IdempotencyRecord | null = null;
      await rows.update(table, [entry.key], (current) => {
        existing = current === null ? null : fromRow(current);
        return current === null ? toRow(entry) : undefined;
      });
      return existing;
    },
    delete: (key) => rows.delete(table, [key]),
  };
}

function toRow(entry: IdempotencyRecord): Row {
  return {
    key: entry.key,
    body_sha256: entry.bodySha256,
    task_uid: entry.taskUid,
    expires_at: entry.expiresAt,
  };
}

function fromRow(row: Row): IdempotencyRecord {
  return {
    key: text(row, "key"),
    bodySha256: text(row, "body_sha256"),
    taskUid: integer(row, "task_uid"),
    expiresAt: integer(row, "expires_at"),
  };
}
