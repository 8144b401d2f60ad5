import type { RowStore } from "../row-store.js";
import { invalidInput } from "../task-store-error.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, json, text } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** A read-your-writes session: the Miroir task of its last write to each index. */
export interface SessionRecord {
  readonly sessionId: string;
  /** Index uid → uid of the session's newest write to it. */
  readonly lastWrites: Readonly<Record<string, number>>;
  readonly expiresAt: EpochMs;
}

/** The indexes a session remembers; past it the one written longest ago is forgotten. */
export const SESSION_INDEXES_KEPT = 64;

export interface Sessions {
  /**
   * Records a write of the session to the index (kept when newer than the one recorded:
   * writes of one session may finish in any order) and extends the session's life to
   * `ttlMs` from now; creates the session when it does not exist.
   */
  recordWrite(
    sessionId: string,
    indexUid: string,
    taskUid: number,
    ttlMs: number,
  ): Promise<SessionRecord>;
  /** The live session, `null` when unknown or expired. */
  get(sessionId: string): Promise<SessionRecord | null>;
}

export function sessions(rows: RowStore, now: () => EpochMs): Sessions {
  const table = TABLES.sessions;
  return {
    async recordWrite(sessionId, indexUid, taskUid, ttlMs) {
      if (sessionId === "" || !Number.isSafeInteger(taskUid) || taskUid < 0) {
        throw invalidInput("A session write needs a session id and a task uid.");
      }
      if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
        throw invalidInput(`A session's ttlMs must be a positive integer, got ${String(ttlMs)}.`);
      }
      const row = await rows.update(table, [sessionId], (current) => {
        const writes: Record<string, number> =
          current === null ? {} : { ...json<Record<string, number>>(current, "last_writes") };
        writes[indexUid] = Math.max(writes[indexUid] ?? -1, taskUid);
        const kept = Object.entries(writes)
          .sort((a, b) => b[1] - a[1])
          .slice(0, SESSION_INDEXES_KEPT);
        return {
          session_id: sessionId,
          last_writes: JSON.stringify(Object.fromEntries(kept)),
          expires_at: now() + ttlMs,
        };
      });
      return fromRow(row as NonNullable<typeof row>);
    },
    async get(sessionId) {
      const row = await rows.get(table, [sessionId]);
      return row === null ? null : fromRow(row);
    },
  };
}

function fromRow(row: Parameters<typeof text>[0]): SessionRecord {
  return {
    sessionId: text(row, "session_id"),
    lastWrites: json<Record<string, number>>(row, "last_writes"),
    expiresAt: integer(row, "expires_at"),
  };
}
