import type { JobRecord } from "@miroir/taskstore";

/** Job type of a reshard in the task store's jobs table. */
export const RESHARD_JOB = "reshard";
/** Job type of the marker that asks a reshard to cancel (`<reshard id>:cancel`). */
export const RESHARD_CANCEL_JOB = "reshard-cancel";

/**
 * Where a reshard stands; each phase is persisted before its work begins, so a process
 * that takes the job over after a crash starts the phase again (every phase can run twice).
 */
export type ReshardPhase =
  | "queued"
  | "creating"
  | "copying"
  | "catching_up"
  | "switching"
  | "switched"
  | "done"
  | "canceled"
  | "failed";

/** What a reshard is asked to do, fixed when it starts. */
export interface ReshardParams {
  /** The name clients use: an index uid, or an alias naming one index. */
  readonly name: string;
  /** The index resharded (the name itself, or the index its alias names). */
  readonly source: string;
  /** The new index, created with `toShards` shards. */
  readonly target: string;
  readonly primaryKey: string;
  readonly fromShards: number;
  readonly toShards: number;
}

export interface ReshardProgress {
  readonly phase: ReshardPhase;
  /** True while the reshard waits for a maintenance window to open. */
  readonly waitingForWindow: boolean;
  readonly documentsCopied: number;
  /** The source's documents when the copy began. */
  readonly documentsTotal: number | null;
  /** Copy rate of the current run, documents per second. */
  readonly documentsPerSecond: number;
  /** Source shards copied completely. */
  readonly shardsCopied: readonly number[];
  /** Per source shard being copied: the last primary key copied, in copy order. */
  readonly cursors: Readonly<Record<string, string>>;
  /** Comparison rounds that brought the new index up to date with writes since the copy. */
  readonly catchUpRounds: number;
  /** Documents written or deleted by those rounds. */
  readonly caughtUp: number;
  /** The last comparison of old and new: equal primary keys and versions. */
  readonly verified: { readonly documents: number; readonly digest: string } | null;
  readonly runs: number;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly switchedAt: string | null;
  /** When the old index is deleted (after `retain_old_index_hours`). */
  readonly dropAfter: string | null;
  readonly finishedAt: string | null;
  readonly error: string | null;
}

export function startingProgress(at: string): ReshardProgress {
  return {
    phase: "queued",
    waitingForWindow: false,
    documentsCopied: 0,
    documentsTotal: null,
    documentsPerSecond: 0,
    shardsCopied: [],
    cursors: {},
    catchUpRounds: 0,
    caughtUp: 0,
    verified: null,
    runs: 0,
    startedAt: at,
    updatedAt: at,
    switchedAt: null,
    dropAfter: null,
    finishedAt: null,
    error: null,
  };
}

/** A reshard as `GET /_miroir/indexes/{uid}/reshard` shows it. */
export interface ReshardView extends ReshardParams, ReshardProgress {
  readonly id: string;
  readonly status: "processing" | "succeeded" | "canceled" | "failed";
  readonly cancelRequested: boolean;
}

export function reshardView(job: JobRecord, cancelRequested = false): ReshardView {
  const params = job.params as ReshardParams;
  const progress =
    (job.progress as ReshardProgress | null) ??
    startingProgress(new Date(job.enqueuedAt).toISOString());
  const status =
    progress.phase === "canceled"
      ? "canceled"
      : progress.phase === "failed" || job.state === "failed"
        ? "failed"
        : progress.phase === "done"
          ? "succeeded"
          : "processing";
  return { id: job.id, ...params, ...progress, status, cancelRequested };
}

/** Whether `minute` (after midnight UTC) is inside one of the daily windows. */
export function insideWindows(
  windows: readonly { startMinute: number; endMinute: number }[],
  at: Date,
): boolean {
  if (windows.length === 0) return true;
  const minute = at.getUTCHours() * 60 + at.getUTCMinutes();
  return windows.some(({ startMinute, endMinute }) =>
    startMinute <= endMinute
      ? minute >= startMinute && minute < endMinute
      : minute >= startMinute || minute < endMinute,
  );
}
