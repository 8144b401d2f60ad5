import { requireCount, requireTime } from "../input-checks.js";
import type { Row, RowStore } from "../row-store.js";
import { invalidInput } from "../task-store-error.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, optionalInteger, text } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** A read-your-writes session pin (plan §13.6); it reads as absent once expired. */
export interface SessionRecord {
  readonly sessionId: string;
  readonly lastWriteTaskUid: number | null;
  readonly lastWriteAt: EpochMs | null;
  readonly pinnedGroup: number | null;
  readonly minSettingsVersion: number;
  readonly expiresAt: EpochMs;
}

export interface Sessions {
  get(sessionId: string): Promise<SessionRecord | null>;
  put(session: SessionRecord): Promise<void>;
  delete(sessionId: string): Promise<boolean>;
}

export function sessions(rows: RowStore): Sessions {
  const table = TABLES.sessions;
  return {
    async get(sessionId) {
      const row = await rows.get(table, [sessionId]);
      return row === null ? null : fromRow(row);
    },
    async put(session) {
      if (session.sessionId === "") throw invalidInput("A session needs an id.");
      requireCount(session.minSettingsVersion, "minSettingsVersion");
      requireTime(session.expiresAt, "expiresAt");
      await rows.put(table, {
        session_id: session.sessionId,
        last_write_task_uid: session.lastWriteTaskUid,
        last_write_at: session.lastWriteAt,
        pinned_group: session.pinnedGroup,
        min_settings_version: session.minSettingsVersion,
        expires_at: session.expiresAt,
      });
    },
    delete: (sessionId) => rows.delete(table, [sessionId]),
  };
}

function fromRow(row: Row): SessionRecord {
  return {
    sessionId: text(row, "session_id"),
    lastWriteTaskUid: optionalInteger(row, "last_write_task_uid"),
    lastWriteAt: optionalInteger(row, "last_write_at"),
    pinnedGroup: optionalInteger(row, "pinned_group"),
    minSettingsVersion: integer(row, "min_settings_version"),
    expiresAt: integer(row, "expires_at"),
  };
}
