import { SHARD_FIELD } from "@miroir/merger";
import type { MiroirTaskRecord, TaskError } from "@miroir/taskstore";

const LISTED_SHARD_FIELD = new RegExp(`\`${SHARD_FIELD}\`, |, \`${SHARD_FIELD}\``, "g");

/** A node's task error as a client sees it: lists Meilisearch prints never show `_miroir_shard`. */
function clientTaskError(error: TaskError | null): TaskError | null {
  if (error === null || !error.message.includes(SHARD_FIELD)) return error;
  return { ...error, message: error.message.replace(LISTED_SHARD_FIELD, "") };
}

/** A task exactly as Meilisearch shows it in `GET /tasks/{uid}` and `GET /tasks`. */
export interface MeiliTask {
  uid: number;
  batchUid: number | null;
  indexUid: string | null;
  status: string;
  type: string;
  canceledBy: number | null;
  details?: Record<string, unknown>;
  error: TaskError | null;
  duration: string | null;
  enqueuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  customMetadata?: string;
}

/**
 * The 202 answer of a write: `{taskUid, indexUid, status, type, enqueuedAt}`, plus the
 * write's `customMetadata` when it has one.
 */
export interface EnqueuedTask {
  taskUid: number;
  indexUid: string | null;
  status: "enqueued";
  type: string;
  enqueuedAt: string;
  customMetadata?: string;
}

export function enqueuedTaskOf(record: MiroirTaskRecord): EnqueuedTask {
  const enqueued: EnqueuedTask = {
    taskUid: record.uid,
    indexUid: record.indexUid,
    status: "enqueued",
    type: record.type,
    enqueuedAt: rfc3339(record.enqueuedAt),
  };
  if (record.customMetadata !== null) enqueued.customMetadata = record.customMetadata;
  return enqueued;
}

/** The fields in a node's order: `details` (when there are any) sits before `error`. */
export function meiliTaskOf(record: MiroirTaskRecord): MeiliTask {
  const task: MeiliTask = {
    uid: record.uid,
    batchUid: record.status === "enqueued" ? null : record.uid,
    indexUid: record.indexUid,
    status: record.status,
    type: record.type,
    canceledBy: record.canceledBy,
    ...(record.details === null ? {} : { details: { ...record.details } }),
    error: clientTaskError(record.error),
    duration:
      record.startedAt !== null && record.finishedAt !== null
        ? isoDuration(record.finishedAt - record.startedAt)
        : null,
    enqueuedAt: rfc3339(record.enqueuedAt),
    startedAt: record.startedAt === null ? null : rfc3339(record.startedAt),
    finishedAt: record.finishedAt === null ? null : rfc3339(record.finishedAt),
  };
  if (record.customMetadata !== null) task.customMetadata = record.customMetadata;
  return task;
}

export function rfc3339(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** Meilisearch's ISO-8601 durations, e.g. `PT0.512S`. */
export function isoDuration(ms: number): string {
  return `PT${(Math.max(ms, 0) / 1000).toString()}S`;
}

/** A batch as Meilisearch shows it in `GET /batches`; each Miroir task is its own batch. */
export interface MeiliBatch {
  uid: number;
  progress: null;
  details: Record<string, unknown>;
  stats: {
    totalNbTasks: number;
    status: Record<string, number>;
    types: Record<string, number>;
    indexUids: Record<string, number>;
    progressTrace: Record<string, string>;
  };
  duration: string | null;
  startedAt: string;
  finishedAt: string | null;
  batchStrategy: string;
}

/** Why a batch stopped, in Meilisearch's words: a Miroir batch holds one task. */
const BATCH_STRATEGY = "batched up to configured batch size of 1 tasks";

export function meiliBatchOf(record: MiroirTaskRecord): MeiliBatch {
  const task = meiliTaskOf(record);
  return {
    uid: record.uid,
    progress: null,
    details: task.details ?? {},
    stats: {
      totalNbTasks: 1,
      status: { [record.status]: 1 },
      types: { [record.type]: 1 },
      indexUids: record.indexUid === null ? {} : { [record.indexUid]: 1 },
      progressTrace: {},
    },
    duration: task.duration,
    startedAt: task.startedAt ?? task.enqueuedAt,
    finishedAt: task.finishedAt,
    batchStrategy: BATCH_STRATEGY,
  };
}
