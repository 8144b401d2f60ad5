/** Times are epoch milliseconds everywhere in the task store. */
export type EpochMs = number;

export const TASK_STATUSES = ["enqueued", "processing", "succeeded", "failed", "canceled"] as const;

export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Finished tasks never change status again and are the only ones pruning removes. */
export const FINISHED_TASK_STATUSES: readonly TaskStatus[] = ["succeeded", "failed", "canceled"];

/** Meilisearch's error object, as a node reported it or as Miroir built it. */
export interface TaskError {
  readonly message: string;
  readonly code: string;
  readonly type: string;
  readonly link: string;
}

/** One Miroir task: what a client sees as `taskUid`, mapped to one task per node. */
export interface MiroirTaskRecord {
  readonly uid: number;
  /** `null` for tasks that span indexes, such as `indexSwap`. */
  readonly indexUid: string | null;
  readonly type: string;
  readonly status: TaskStatus;
  /** Node id → the uid of the task that node enqueued for this write. */
  readonly nodeTasks: Readonly<Record<string, number>>;
  /** Node id → the last status polled for that node's task. */
  readonly nodeStatuses: Readonly<Record<string, TaskStatus>>;
  readonly error: TaskError | null;
  readonly details: Readonly<Record<string, unknown>> | null;
  readonly canceledBy: number | null;
  readonly customMetadata: string | null;
  readonly enqueuedAt: EpochMs;
  readonly startedAt: EpochMs | null;
  readonly finishedAt: EpochMs | null;
}

export interface NewTask {
  readonly indexUid: string | null;
  readonly type: string;
  readonly details?: Readonly<Record<string, unknown>> | null;
  readonly nodeTasks?: Readonly<Record<string, number>>;
  readonly status?: TaskStatus;
  readonly error?: TaskError | null;
  readonly customMetadata?: string | null;
}

/**
 * A change to a task. `nodeTasks` and `nodeStatuses` are merged into the stored maps
 * (a node's entry is added or replaced); every other field replaces the stored value,
 * and `null` clears it.
 */
export interface TaskPatch {
  readonly status?: TaskStatus;
  readonly nodeTasks?: Readonly<Record<string, number>>;
  readonly nodeStatuses?: Readonly<Record<string, TaskStatus>>;
  readonly error?: TaskError | null;
  readonly details?: Readonly<Record<string, unknown>> | null;
  readonly canceledBy?: number | null;
  readonly startedAt?: EpochMs | null;
  readonly finishedAt?: EpochMs | null;
}

/** Meilisearch's task filters; every present filter must match (`before*`/`after*` are strict). */
export interface TaskFilter {
  readonly uids?: readonly number[];
  readonly statuses?: readonly TaskStatus[];
  readonly types?: readonly string[];
  readonly indexUids?: readonly string[];
  readonly canceledBy?: readonly number[];
  readonly beforeEnqueuedAt?: EpochMs;
  readonly afterEnqueuedAt?: EpochMs;
  readonly beforeStartedAt?: EpochMs;
  readonly afterStartedAt?: EpochMs;
  readonly beforeFinishedAt?: EpochMs;
  readonly afterFinishedAt?: EpochMs;
}

export interface TaskListQuery extends TaskFilter {
  /** The uid to start from (inclusive), going towards older tasks (newer with `reverse`). */
  readonly from?: number;
  /** Page size, 20 when absent (Meilisearch's default). */
  readonly limit?: number;
  /** Oldest first instead of newest first, as Meilisearch's `reverse=true`. */
  readonly reverse?: boolean;
}

/** One page of tasks, shaped like Meilisearch's `GET /tasks` answer. */
export interface TaskPage {
  readonly results: MiroirTaskRecord[];
  /** How many tasks match the filters, whatever `from` and `limit` say. */
  readonly total: number;
  readonly limit: number;
  /** Uid of the first task of the page, `null` when the page is empty. */
  readonly from: number | null;
  /** The `from` of the next page, `null` on the last page. */
  readonly next: number | null;
}
