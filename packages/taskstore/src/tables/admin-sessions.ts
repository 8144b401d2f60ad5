import { requireTime } from "../input-checks.js";
import type { Row, RowStore } from "../row-store.js";
import { invalidInput } from "../task-store-error.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, optionalText, text } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** A logged-in admin UI session; revocation is shared by every proxy process. */
export interface AdminSessionRecord {
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly adminKeyHash: string;
  readonly createdAt: EpochMs;
  readonly expiresAt: EpochMs;
  readonly revoked: boolean;
  readonly userAgent: string | null;
  readonly sourceIp: string | null;
}

export interface AdminSessions {
  create(session: Omit<AdminSessionRecord, "revoked">): Promise<AdminSessionRecord>;
  /** The session while it has not expired, revoked or not. */
  get(sessionId: string): Promise<AdminSessionRecord | null>;
  /** Marks the session revoked (logout); `false` when it does not exist. */
  revoke(sessionId: string): Promise<boolean>;
  delete(sessionId: string): Promise<boolean>;
}

export function adminSessions(rows: RowStore): AdminSessions {
  const table = TABLES.adminSessions;
  return {
    async create(session) {
      if (session.sessionId === "" || session.csrfToken === "") {
        throw invalidInput("An admin session needs an id and a CSRF token.");
      }
      requireTime(session.createdAt, "createdAt");
      requireTime(session.expiresAt, "expiresAt");
      const record: AdminSessionRecord = { ...session, revoked: false };
      await rows.put(table, toRow(record));
      return record;
    },
    async get(sessionId) {
      const row = await rows.get(table, [sessionId]);
      return row === null ? null : fromRow(row);
    },
    async revoke(sessionId) {
      const row = await rows.update(table, [sessionId], (current) =>
        current === null ? undefined : { ...current, revoked: 1 },
      );
      return row !== null;
    },
    delete: (sessionId) => rows.delete(table, [sessionId]),
  };
}

function toRow(session: AdminSessionRecord): Row {
  return {
    session_id: session.sessionId,
    csrf_token: session.csrfToken,
    admin_key_hash: session.adminKeyHash,
    created_at: session.createdAt,
    expires_at: session.expiresAt,
    revoked: session.revoked ? 1 : 0,
    user_agent: session.userAgent,
    source_ip: session.sourceIp,
  };
}

function fromRow(row: Row): AdminSessionRecord {
  return {
    sessionId: text(row, "session_id"),
    csrfToken: text(row, "csrf_token"),
    adminKeyHash: text(row, "admin_key_hash"),
    createdAt: integer(row, "created_at"),
    expiresAt: integer(row, "expires_at"),
    revoked: integer(row, "revoked") === 1,
    userAgent: optionalText(row, "user_agent"),
    sourceIp: optionalText(row, "source_ip"),
  };
}
