import type { Row, RowStore } from "../row-store.js";
import { invalidInput } from "../task-store-error.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, optionalJson, text } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

/** The answer a write gave the first time, replayed to every repeat of its key. */
export interface StoredAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What `claim` found under a key. */
export type IdempotencyClaim =
  /** The caller now performs the request; it must `complete` or `release` the key. */
  | { readonly kind: "claimed" }
  /** The key was used for a different request (another fingerprint). */
  | { readonly kind: "conflict" }
  /** The request was performed: its answer. */
  | { readonly kind: "completed"; readonly answer: StoredAnswer }
  /** Another holder is performing it; its claim lasts until `claimExpiresAt` unless renewed. */
  | { readonly kind: "in_flight"; readonly holder: string; readonly claimExpiresAt: EpochMs };

export interface ClaimTerms {
  /** How long the key is remembered from now. */
  readonly ttlMs: number;
  /** How long the claim holds without a `renew`; past it another holder may take it over. */
  readonly leaseMs: number;
}

export interface IdempotencyKeys {
  /**
   * Claims `key` for the request whose fingerprint is `requestSha256`, atomically across
   * processes: exactly one of several concurrent claims of a free key gets `claimed`. A
   * claim whose holder stopped renewing it is taken over.
   */
  claim(
    key: string,
    requestSha256: string,
    holder: string,
    terms: ClaimTerms,
  ): Promise<IdempotencyClaim>;
  /** Extends our claim; `false` when it is no longer ours. */
  renew(key: string, holder: string, leaseMs: number): Promise<boolean>;
  /** Records the answer of our claim, remembered for `ttlMs`; `false` when not ours. */
  complete(key: string, holder: string, answer: StoredAnswer, ttlMs: number): Promise<boolean>;
  /** Forgets our claim, so that a repeat performs the request; `false` when not ours. */
  release(key: string, holder: string): Promise<boolean>;
}

export function idempotencyKeys(rows: RowStore, now: () => EpochMs): IdempotencyKeys {
  const table = TABLES.idempotencyKeys;

  async function ours(
    key: string,
    holder: string,
    next: (current: Row) => Row | null,
  ): Promise<boolean> {
    let done = false;
    await rows.update(table, [key], (current) => {
      done =
        current !== null &&
        text(current, "state") === "pending" &&
        text(current, "holder") === holder;
      return done && current !== null ? next(current) : undefined;
    });
    return done;
  }

  return {
    async claim(key, requestSha256, holder, terms) {
      validate(key, holder, terms.ttlMs);
      validate(key, holder, terms.leaseMs);
      let found: IdempotencyClaim = { kind: "claimed" };
      await rows.update(table, [key], (current) => {
        const at = now();
        const fresh: Row = {
          key,
          request_sha256: requestSha256,
          state: "pending",
          holder,
          claim_expires_at: at + terms.leaseMs,
          answer: null,
          expires_at: at + terms.ttlMs,
        };
        found = { kind: "claimed" };
        if (current === null) return fresh;
        if (text(current, "request_sha256") !== requestSha256) {
          found = { kind: "conflict" };
          return undefined;
        }
        if (text(current, "state") === "done") {
          found = {
            kind: "completed",
            answer: optionalJson<StoredAnswer>(current, "answer") as StoredAnswer,
          };
          return undefined;
        }
        const claimExpiresAt = integer(current, "claim_expires_at");
        if (claimExpiresAt > at && text(current, "holder") !== holder) {
          found = { kind: "in_flight", holder: text(current, "holder"), claimExpiresAt };
          return undefined;
        }
        return fresh;
      });
      return found;
    },
    renew(key, holder, leaseMs) {
      validate(key, holder, leaseMs);
      return ours(key, holder, (current) => ({ ...current, claim_expires_at: now() + leaseMs }));
    },
    complete(key, holder, answer, ttlMs) {
      validate(key, holder, ttlMs);
      return ours(key, holder, (current) => ({
        ...current,
        state: "done",
        answer: JSON.stringify(answer),
        expires_at: now() + ttlMs,
      }));
    },
    release(key, holder) {
      validate(key, holder, 1);
      return ours(key, holder, () => null);
    },
  };
}

function validate(key: string, holder: string, durationMs: number): void {
  if (key === "" || holder === "")
    throw invalidInput("An idempotency key needs a key and a holder.");
  if (!Number.isSafeInteger(durationMs) || durationMs <= 0) {
    throw invalidInput(
      `An idempotency key's durations must be positive integers (ms), got ${String(durationMs)}.`,
    );
  }
}
