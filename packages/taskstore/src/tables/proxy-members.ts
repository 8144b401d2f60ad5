import type { Row, RowStore } from "../row-store.js";
import { invalidInput } from "../task-store-error.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, json, text, toJson } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** A Miroir process sharing the store, as its last heartbeat described it. */
export interface ProxyMember {
  /** Unique per process start. */
  readonly id: string;
  /** Where clients reach it (`http://host:port`), as the process knows itself. */
  readonly address: string;
  readonly version: string;
  /** The background duties this process runs, by name. */
  readonly duties: readonly string[];
  readonly startedAt: EpochMs;
  readonly lastSeenAt: EpochMs;
  /** Past this the process counts as gone unless it beats again. */
  readonly expiresAt: EpochMs;
}

export type ProxyHeartbeat = Omit<ProxyMember, "lastSeenAt" | "expiresAt">;

/** Membership of the processes sharing the store: each beats, the others see it live. */
export interface ProxyMembers {
  /** Records (or refreshes) a process, live for `ttlMs` from now. */
  heartbeat(member: ProxyHeartbeat, ttlMs: number): Promise<ProxyMember>;
  /** Every live process, oldest start first (then by id). */
  list(): Promise<ProxyMember[]>;
  /** Forgets a process (it stopped); `false` when it was not there. */
  remove(id: string): Promise<boolean>;
}

export function proxyMembers(rows: RowStore, now: () => EpochMs): ProxyMembers {
  const table = TABLES.proxyMembers;
  return {
    async heartbeat(member, ttlMs) {
      if (member.id === "") throw invalidInput("A process needs an id.");
      if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
        throw invalidInput(`A heartbeat's ttlMs must be a positive integer, got ${String(ttlMs)}.`);
      }
      const at = now();
      const recorded: ProxyMember = { ...member, lastSeenAt: at, expiresAt: at + ttlMs };
      await rows.put(table, memberToRow(recorded));
      return recorded;
    },
    async list() {
      const members = (await rows.list(table)).map(rowToMember);
      return members.sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1));
    },
    remove: (id) => rows.delete(table, [id]),
  };
}

function memberToRow(member: ProxyMember): Row {
  return {
    id: member.id,
    address: member.address,
    version: member.version,
    duties_json: toJson(member.duties),
    started_at: member.startedAt,
    last_seen_at: member.lastSeenAt,
    expires_at: member.expiresAt,
  };
}

function rowToMember(row: Row): ProxyMember {
  return {
    id: text(row, "id"),
    address: text(row, "address"),
    version: text(row, "version"),
    duties: json<string[]>(row, "duties_json"),
    startedAt: integer(row, "started_at"),
    lastSeenAt: integer(row, "last_seen_at"),
    expiresAt: integer(row, "expires_at"),
  };
}
