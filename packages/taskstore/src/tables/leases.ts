import type { Row, RowStore } from "../row-store.js";
import { invalidInput, TaskStoreError } from "../task-store-error.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, optionalInteger, text } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/**
 * A singleton-coordinator lease: `holder` leads `scope` until `expiresAt`. `token` is the
 * fencing token of this tenure: every new holder (or a holder whose lease lapsed and who
 * takes it again) gets a token strictly greater than every earlier one of the scope, and
 * renewals keep it. A write made in the name of the lease carries the token and is refused
 * once a newer tenure exists.
 */
export interface LeaseRecord {
  readonly scope: string;
  readonly holder: string;
  readonly expiresAt: EpochMs;
  readonly token: number;
}

export interface LeaseRegistry {
  /** Takes the lease when it is free, expired or already ours; `null` when another holds it. */
  acquire(scope: string, holder: string, ttlMs: number): Promise<LeaseRecord | null>;
  /** Extends a lease we still hold; `null` when it expired or another holder took it. */
  renew(scope: string, holder: string, ttlMs: number): Promise<LeaseRecord | null>;
  /** Gives the lease up; `false` when we did not hold it. */
  release(scope: string, holder: string): Promise<boolean>;
  /** The live lease of a scope, `null` when nobody holds it (or its token is not drawn yet). */
  get(scope: string): Promise<LeaseRecord | null>;
  /** True when `lease` is still the live tenure of its scope (same holder and token). */
  holds(lease: Pick<LeaseRecord, "scope" | "holder" | "token">): Promise<boolean>;
  /**
   * Runs `act` only while `lease` is the live tenure of its scope; otherwise throws a
   * `TaskStoreError` with code `stale_lease` and runs nothing. The check happens right
   * before `act`: a holder keeps a margin before its `expiresAt` so that the act ends in
   * its tenure.
   */
  fenced<T>(
    lease: Pick<LeaseRecord, "scope" | "holder" | "token">,
    act: () => Promise<T>,
  ): Promise<T>;
}

export function leaseRegistry(rows: RowStore, now: () => EpochMs): LeaseRegistry {
  const table = TABLES.leaderLease;

  /** Extends the holder's live lease, or takes a free one (token still to be drawn: 0). */
  async function take(
    scope: string,
    holder: string,
    ttlMs: number,
    mayTakeFree: boolean,
  ): Promise<LeaseRecord | null> {
    validateLease(scope, holder, ttlMs);
    let granted: LeaseRecord | null = null;
    await rows.update(table, [scope], (current) => {
      granted = null;
      const ours = current !== null && text(current, "holder") === holder;
      if (!ours && !(mayTakeFree && current === null)) return undefined;
      const token = ours ? (optionalInteger(current, "token") ?? 0) : 0;
      granted = { scope, holder, expiresAt: now() + ttlMs, token };
      return leaseToRow(granted);
    });
    return granted;
  }

  /**
   * Gives a fresh tenure its token. The token is drawn after the lease was taken, so it is
   * greater than the token of every tenure that ended before; it is written only while the
   * tenure is still live, so a holder that lost the lease in between gets nothing.
   */
  async function stamp(lease: LeaseRecord): Promise<LeaseRecord | null> {
    const token = (await rows.nextSequenceValue(`lease_token:${lease.scope}`)) + 1;
    let stamped: LeaseRecord | null = null;
    await rows.update(table, [lease.scope], (current) => {
      stamped = null;
      if (current === null || text(current, "holder") !== lease.holder) return undefined;
      const existing = optionalInteger(current, "token") ?? 0;
      if (existing !== 0) {
        stamped = rowToLease(current);
        return undefined;
      }
      stamped = { ...rowToLease(current), token };
      return leaseToRow(stamped);
    });
    return stamped;
  }

  async function get(scope: string): Promise<LeaseRecord | null> {
    const row = await rows.get(table, [scope]);
    // A tenure without its token yet is being taken: nobody may act for it so far.
    return row === null || (optionalInteger(row, "token") ?? 0) === 0 ? null : rowToLease(row);
  }

  async function holds(lease: Pick<LeaseRecord, "scope" | "holder" | "token">) {
    const live = await get(lease.scope);
    return live !== null && live.holder === lease.holder && live.token === lease.token;
  }

  return {
    async acquire(scope, holder, ttlMs) {
      const taken = await take(scope, holder, ttlMs, true);
      if (taken === null || taken.token !== 0) return taken;
      return stamp(taken);
    },

    async renew(scope, holder, ttlMs) {
      const renewed = await take(scope, holder, ttlMs, false);
      if (renewed === null || renewed.token !== 0) return renewed;
      return stamp(renewed);
    },

    async release(scope, holder) {
      validateLease(scope, holder, 1);
      let released = false;
      await rows.update(table, [scope], (current) => {
        released = current !== null && text(current, "holder") === holder;
        return released ? null : undefined;
      });
      return released;
    },

    get,
    holds,

    async fenced(lease, act) {
      if (!(await holds(lease))) {
        throw new TaskStoreError(
          "stale_lease",
          `The ${lease.scope} lease of ${lease.holder} (token ${lease.token}) is no longer held; a newer holder acts for it, so nothing was done.`,
        );
      }
      return act();
    },
  };
}

function validateLease(scope: string, holder: string, ttlMs: number): void {
  if (scope === "" || holder === "") throw invalidInput("A lease needs a scope and a holder id.");
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw invalidInput(`A lease's ttlMs must be a positive integer, got ${String(ttlMs)}.`);
  }
}

function rowToLease(row: Row): LeaseRecord {
  return {
    scope: text(row, "scope"),
    holder: text(row, "holder"),
    expiresAt: integer(row, "expires_at"),
    token: optionalInteger(row, "token") ?? 0,
  };
}

function leaseToRow(lease: LeaseRecord): Row {
  return {
    scope: lease.scope,
    holder: lease.holder,
    expires_at: lease.expiresAt,
    token: lease.token === 0 ? null : lease.token,
  };
}
