import type { TaskError, TaskStatus } from "@miroir/taskstore";

/** A task as a node reports it (`GET /tasks/{uid}`), with the fields Miroir reads. */
export interface NodeTask {
  readonly uid: number;
  readonly status: TaskStatus;
  readonly type: string;
  readonly indexUid: string | null;
  readonly details?: Record<string, unknown> | null;
  readonly error?: TaskError | null;
  readonly startedAt?: string | null;
  readonly finishedAt?: string | null;
}

/** What a node answers when it accepts a write: `202 {taskUid, …}`. */
export interface EnqueuedNodeTask {
  readonly taskUid: number;
}
