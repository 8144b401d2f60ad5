import { randomUUID } from "node:crypto";
import type { Row, RowStore } from "../row-store.js";
import { invalidInput } from "../task-store-error.js";
import type { EpochMs } from "../tasks/task-record.js";
import { integer, json, optionalInteger, optionalText, text, toJson } from "./row-fields.js";
import { TABLES } from "./table-specs.js";

export type JobState = "queued" | "in_progress" | "completed" | "failed";

/** A background job any proxy process may claim, with a lease on its claim. */
export interface JobRecord {
  readonly id: string;
  readonly type: string;
  readonly params: unknown;
  readonly state: JobState;
  readonly claimedBy: string | null;
  readonly claimExpiresAt: EpochMs | null;
  readonly progress: unknown;
  readonly error: string | null;
  /** How many times the job has been claimed. */
  readonly attempts: number;
  readonly enqueuedAt: EpochMs;
  readonly updatedAt: EpochMs;
}

export interface NewJob {
  readonly type: string;
  readonly params?: unknown;
  /** Defaults to a random UUID. */
  readonly id?: string;
}

export interface JobQueue {
  enqueue(job: NewJob): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | null>;
  list(state?: JobState): Promise<JobRecord[]>;
  /** Claims the oldest queued job (of one of `types`, when given) for `ttlMs`. */
  claim(
    holder: string,
    ttlMs: number,
    options?: { types?: readonly string[] },
  ): Promise<JobRecord | null>;
  /**
   * Extends a live claim and optionally records progress. A claim is live while it has not
   * expired; once it has, every call of its holder is refused and the job may be reclaimed.
   */
  heartbeat(id: string, holder: string, ttlMs: number, progress?: unknown): Promise<boolean>;
  complete(id: string, holder: string, progress?: unknown): Promise<boolean>;
  fail(id: string, holder: string, error: string): Promise<boolean>;
  /** Deletes a job that is not in progress (a finished one no longer needed); `false` otherwise. */
  remove(id: string): Promise<boolean>;
  /** Puts jobs whose claim expired back in the queue; returns their ids. */
  reclaimExpired(): Promise<string[]>;
  /** Number of queued jobs: the autoscaling signal. */
  queuedCount(): Promise<number>;
}

export function jobQueue(rows: RowStore, now: () => EpochMs): JobQueue {
  const table = TABLES.jobs;

  async function byState(state: JobState): Promise<JobRecord[]> {
    const withSeq = (await rows.list(table, state)).map(
      (row) => [integer(row, "seq"), jobFromRow(row)] as const,
    );
    return withSeq.sort((a, b) => a[0] - b[0]).map(([, job]) => job);
  }

  async function changeClaim(
    id: string,
    holder: string,
    change: (job: JobRecord, at: EpochMs) => Partial<JobRecord>,
  ): Promise<boolean> {
    let changed = false;
    await rows.update(table, [id], (current) => {
      changed = false;
      if (current === null) return undefined;
      const job = jobFromRow(current);
      const at = now();
      const live =
        job.state === "in_progress" &&
        job.claimedBy === holder &&
        job.claimExpiresAt !== null &&
        at < job.claimExpiresAt;
      if (!live) return undefined;
      changed = true;
      return jobToRow({ ...job, ...change(job, at), updatedAt: at }, integer(current, "seq"));
    });
    return changed;
  }

  return {
    async enqueue(job) {
      if (typeof job.type !== "string" || job.type === "") {
        throw invalidInput("A job needs a type, such as dump_import.");
      }
      const id = job.id ?? randomUUID();
      if (id === "") throw invalidInput("A job id must not be empty.");
      const seq = await rows.nextSequenceValue("job_seq");
      const at = now();
      const record: JobRecord = {
        id,
        type: job.type,
        params: job.params ?? null,
        state: "queued",
        claimedBy: null,
        claimExpiresAt: null,
        progress: null,
        error: null,
        attempts: 0,
        enqueuedAt: at,
        updatedAt: at,
      };
      let duplicate = false;
      await rows.update(table, [id], (current) => {
        duplicate = current !== null;
        return duplicate ? undefined : jobToRow(record, seq);
      });
      if (duplicate) throw invalidInput(`A job with id "${id}" already exists.`);
      return record;
    },

    async get(id) {
      const row = await rows.get(table, [id]);
      return row === null ? null : jobFromRow(row);
    },

    async list(state) {
      if (state !== undefined) return byState(state);
      const all = await rows.list(table);
      return all
        .sort((a, b) => integer(a, "seq") - integer(b, "seq"))
        .map((row) => jobFromRow(row));
    },

    async claim(holder, ttlMs, options = {}) {
      validateClaim(holder, ttlMs);
      for (const candidate of await byState("queued")) {
        if (options.types !== undefined && !options.types.includes(candidate.type)) continue;
        let claimed: JobRecord | null = null;
        await rows.update(table, [candidate.id], (current) => {
          claimed = null;
          if (current === null || text(current, "state") !== "queued") return undefined;
          const at = now();
          const job = jobFromRow(current);
          claimed = {
            ...job,
            state: "in_progress",
            claimedBy: holder,
            claimExpiresAt: at + ttlMs,
            attempts: job.attempts + 1,
            updatedAt: at,
          };
          return jobToRow(claimed, integer(current, "seq"));
        });
        if (claimed !== null) return claimed;
      }
      return null;
    },

    heartbeat(id, holder, ttlMs, progress) {
      validateClaim(holder, ttlMs);
      return changeClaim(id, holder, (job, at) => ({
        claimExpiresAt: at + ttlMs,
        progress: progress === undefined ? job.progress : progress,
      }));
    },

    complete(id, holder, progress) {
      return changeClaim(id, holder, (job) => ({
        state: "completed",
        claimedBy: null,
        claimExpiresAt: null,
        progress: progress === undefined ? job.progress : progress,
      }));
    },

    fail(id, holder, error) {
      return changeClaim(id, holder, () => ({
        state: "failed",
        claimedBy: null,
        claimExpiresAt: null,
        error,
      }));
    },

    async remove(id) {
      let removed = false;
      await rows.update(table, [id], (current) => {
        removed = current !== null && text(current, "state") !== "in_progress";
        return removed ? null : undefined;
      });
      return removed;
    },

    async reclaimExpired() {
      const reclaimed: string[] = [];
      for (const candidate of await byState("in_progress")) {
        let expired = false;
        await rows.update(table, [candidate.id], (current) => {
          expired = false;
          if (current === null) return undefined;
          const job = jobFromRow(current);
          const at = now();
          if (job.state !== "in_progress" || (job.claimExpiresAt ?? 0) > at) return undefined;
          expired = true;
          return jobToRow(
            { ...job, state: "queued", claimedBy: null, claimExpiresAt: null, updatedAt: at },
            integer(current, "seq"),
          );
        });
        if (expired) reclaimed.push(candidate.id);
      }
      return reclaimed;
    },

    async queuedCount() {
      return (await rows.list(table, "queued")).length;
    },
  };
}

function validateClaim(holder: string, ttlMs: number): void {
  if (holder === "") throw invalidInput("A job claim needs a holder id.");
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw invalidInput(`A claim's ttlMs must be a positive integer, got ${String(ttlMs)}.`);
  }
}

function jobToRow(job: JobRecord, seq: number): Row {
  return {
    id: job.id,
    type: job.type,
    params: toJson(job.params),
    state: job.state,
    claimed_by: job.claimedBy,
    claim_expires_at: job.claimExpiresAt,
    progress: toJson(job.progress),
    error: job.error,
    attempts: job.attempts,
    seq,
    enqueued_at: job.enqueuedAt,
    updated_at: job.updatedAt,
  };
}

function jobFromRow(row: Row): JobRecord {
  return {
    id: text(row, "id"),
    type: text(row, "type"),
    params: json(row, "params"),
    state: text(row, "state") as JobState,
    claimedBy: optionalText(row, "claimed_by"),
    claimExpiresAt: optionalInteger(row, "claim_expires_at"),
    progress: json(row, "progress"),
    error: optionalText(row, "error"),
    attempts: integer(row, "attempts"),
    enqueuedAt: integer(row, "enqueued_at"),
    updatedAt: integer(row, "updated_at"),
  };
}
