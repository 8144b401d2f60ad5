import type { Row, RowStore } from "../row-store.js";
import { invalidInput } from "../task-store-error.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, text } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** A singleton-coordinator lease: `holder` leads `scope` until `expiresAt`. */
export interface LeaseRecord {
  readonly scope: string;
  readonly holder: string;
  readonly expiresAt: EpochMs;
}

export interface LeaseRegistry {
  /** Takes the lease when it is free, expired or already ours; `null` when another holds it. */
  acquire(scope: string, holder: string, ttlMs: number): Promise<LeaseRecord | null>;
  /** Extends a lease we still hold; `null` when it expired or another holder took it. */
  renew(scope: string, holder: string, ttlMs: number): Promise<LeaseRecord | null>;
  /** Gives the lease up; `false` when we did not hold it. */
  release(scope: string, holder: string): Promise<boolean>;
  /** The live lease of a scope, `null` when nobody holds it. */
  get(scope: string): Promise<LeaseRecord | null>;
}

export function leaseRegistry(rows: RowStore, now: () => EpochMs): LeaseRegistry {
  const table = TABLES.leaderLease;

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
      granted = { scope, holder, expiresAt: now() + ttlMs };
      return leaseToRow(granted);
    });
    return granted;
  }

  return {
    acquire: (scope, holder, ttlMs) => take(scope, holder, ttlMs, true),
    renew: (scope, holder, ttlMs) => take(scope, holder, ttlMs, false),

    async release(scope, holder) {
      validateLease(scope, holder, 1);
      let released = false;
      await rows.update(table, [scope], (current) => {
        released = current !== null && text(current, "holder") === holder;
        return released ? null : undefined;
      });
      return released;
    },

    async get(scope) {
      const row = await rows.get(table, [scope]);
      return row === null
        ? null
        : { scope, holder: text(row, "holder"), expiresAt: integer(row, "expires_at") };
    },
  };
}

function validateLease(scope: string, holder: string, ttlMs: number): void {
  if (scope === "" || holder === "") throw invalidInput("A lease needs a scope and a holder id.");
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw invalidInput(`A lease's ttlMs must be a positive integer, got ${String(ttlMs)}.`);
  }
}

function leaseToRow(lease: LeaseRecord): Row {
  return { scope: lease.scope, holder: lease.holder, expires_at: lease.expiresAt };
}
