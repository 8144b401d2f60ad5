import type { MiroirTaskRecord } from "@miroir/taskstore";
import { isoDuration, rfc3339 } from "../../tasks/meili-task.js";

/** A batch in Meilisearch's shape (`GET /batches/{uid}`). */
export interface MeiliBatch {
  uid: number;
  progress: null;
  details: Record<string, unknown>;
  stats: {
    totalNbTasks: number;
    status: Record<string, number>;
    types: Record<string, number>;
    indexUids: Record<string, number>;
  };
  duration: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/**
 * Miroir runs each of its tasks as its own batch, with the task's uid (the `batchUid` its
 * task object shows); a task still enqueued has no batch yet.
 */
export function batchOf(task: MiroirTaskRecord): MeiliBatch | null {
  if (task.status === "enqueued") return null;
  const startedAt = task.startedAt ?? task.finishedAt ?? task.enqueuedAt;
  return {
    uid: task.uid,
    progress: null,
    details: { ...(task.details ?? {}) },
    stats: {
      totalNbTasks: 1,
      status: { [task.status]: 1 },
      types: { [task.type]: 1 },
      indexUids: task.indexUid === null ? {} : { [task.indexUid]: 1 },
    },
    duration: task.finishedAt === null ? null : isoDuration(task.finishedAt - startedAt),
    startedAt: rfc3339(startedAt),
    finishedAt: task.finishedAt === null ? null : rfc3339(task.finishedAt),
  };
}
