import { type ErrorBody, MeiliError, meiliError } from "@miroir/errors";

export type TaskStatus = "enqueued" | "processing" | "succeeded" | "failed" | "canceled";

export type TaskType =
  | "documentAdditionOrUpdate"
  | "documentDeletion"
  | "settingsUpdate"
  | "indexCreation"
  | "indexDeletion"
  | "indexUpdate"
  | "indexSwap"
  | "taskCancelation"
  | "taskDeletion"
  | "dumpCreation"
  | "snapshotCreation"
  | "indexCompaction"
  | "export"
  | "upgradeDatabase"
  | "networkTopologyChange"
  | "dsrUpdate"
  | "dsrClear";

/** A task in Meilisearch's shape (`GET /tasks/{uid}`). */
export interface Task {
  uid: number;
  batchUid: number | null;
  indexUid: string | null;
  status: TaskStatus;
  type: TaskType;
  canceledBy: number | null;
  /** absent for the task kinds that have none (`snapshotCreation`) */
  details?: Record<string, unknown>;
  error: ErrorBody | null;
  duration: string | null;
  enqueuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** the `customMetadata` the write was sent with, only when it had one */
  customMetadata?: string;
}

/** What a write answers with: `202 {taskUid, indexUid, status, type, enqueuedAt}`. */
export interface TaskSummary {
  taskUid: number;
  indexUid: string | null;
  status: TaskStatus;
  type: TaskType;
  enqueuedAt: string;
  /** the write's `customMetadata`, when it had one */
  customMetadata?: string;
}

/**
 * The work of a task, run when the scheduler reaches it. It returns the final `details`
 * (or nothing to keep the enqueued ones) and throws a MeiliError to fail the task.
 */
export type TaskWork = (task: Task) => Record<string, unknown> | undefined;

/** Details a failed or canceled task reports, per type (Meilisearch zeroes its counters). */
const FAILED_DETAILS: Partial<Record<TaskType, Record<string, unknown>>> = {
  documentAdditionOrUpdate: { indexedDocuments: 0 },
  documentDeletion: { deletedDocuments: 0 },
  indexDeletion: { deletedDocuments: 0 },
};

function isoDuration(ms: number): string {
  return `PT${(ms / 1000).toFixed(6).replace(/\.?0+$/, "")}S`;
}

/**
 * The node's scheduler: tasks get uids from 0, run one at a time in uid order on a later
 * tick, and move enqueued → processing → succeeded | failed, as Meilisearch's do.
 */
export class TaskQueue {
  private readonly tasks = new Map<number, Task>();
  private readonly work = new Map<number, TaskWork>();
  /** The update file of each document write, kept while its task waits or runs. */
  private readonly payloads = new Map<number, string>();
  private readonly pending: number[] = [];
  private nextUid = 0;
  private nextBatchUid = 0;
  private draining = false;
  private readonly finishedListeners: ((task: Task) => void)[] = [];

  /**
   * `failWhen` names the tasks a test wants failed (see NodeFaults.failTasks), `holdWhen`
   * those it wants kept `enqueued` (NodeFaults.holdTasks).
   */
  constructor(
    private readonly failWhen: () => ((task: Task) => boolean) | undefined,
    private readonly holdWhen: () => ((task: Task) => boolean) | undefined = () => undefined,
  ) {}

  enqueue(
    type: TaskType,
    indexUid: string | null,
    details: Record<string, unknown> | undefined,
    work: TaskWork,
    {
      urgent = false,
      customMetadata,
      payload,
    }: { urgent?: boolean; customMetadata?: string; payload?: string } = {},
  ): TaskSummary {
    const task: Task = {
      uid: this.nextUid++,
      batchUid: null,
      indexUid,
      status: "enqueued",
      type,
      canceledBy: null,
      ...(details === undefined ? {} : { details }),
      error: null,
      duration: null,
      enqueuedAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      ...(customMetadata === undefined ? {} : { customMetadata }),
    };
    this.tasks.set(task.uid, task);
    this.work.set(task.uid, work);
    if (payload !== undefined) this.payloads.set(task.uid, payload);
    // Meilisearch's scheduler runs cancelations and deletions of tasks before other work.
    if (urgent) this.pending.unshift(task.uid);
    else this.pending.push(task.uid);
    this.scheduleDrain();
    return {
      taskUid: task.uid,
      indexUid,
      status: task.status,
      type,
      enqueuedAt: task.enqueuedAt,
      ...(customMetadata === undefined ? {} : { customMetadata }),
    };
  }

  /** Calls `listener` with every task that finishes (each task is its own batch here). */
  onFinished(listener: (task: Task) => void): void {
    this.finishedListeners.push(listener);
  }

  get(uid: number): Task | undefined {
    return this.tasks.get(uid);
  }

  /**
   * The documents a write was sent with (concatenated JSON objects), while its task is `enqueued` or
   * `processing`: Meilisearch deletes a task's update file once the task is processed or
   * canceled.
   */
  payloadOf(uid: number): string | undefined {
    return this.payloads.get(uid);
  }

  /** Every task, newest first (the order of `GET /tasks`). */
  all(): Task[] {
    return [...this.tasks.values()].reverse();
  }

  /** Cancels enqueued tasks among `uids`; returns how many were canceled. */
  cancel(uids: readonly number[], canceledBy: number): number {
    let canceled = 0;
    for (const uid of uids) {
      const task = this.tasks.get(uid);
      if (task?.status !== "enqueued") continue;
      const now = new Date().toISOString();
      Object.assign(task, {
        status: "canceled",
        ...(task.details === undefined
          ? {}
          : { details: { ...task.details, ...FAILED_DETAILS[task.type] } }),
        canceledBy,
        startedAt: null,
        finishedAt: now,
        duration: null,
      });
      this.pending.splice(this.pending.indexOf(uid), 1);
      this.work.delete(uid);
      this.payloads.delete(uid);
      canceled++;
    }
    return canceled;
  }

  /** Deletes finished tasks among `uids`; returns how many were deleted. */
  delete(uids: readonly number[]): number {
    let deleted = 0;
    for (const uid of uids) {
      const task = this.tasks.get(uid);
      if (task === undefined || task.status === "enqueued" || task.status === "processing") {
        continue;
      }
      this.tasks.delete(uid);
      deleted++;
    }
    return deleted;
  }

  /**
   * Exchanges two index uids in the history of finished tasks, as a Meilisearch swap does
   * (tasks still waiting keep the uid they were sent to).
   */
  swapIndexUids(a: string, b: string): void {
    for (const task of this.tasks.values()) {
      if (task.status === "enqueued" || task.type === "indexSwap") continue;
      if (task.indexUid === a) task.indexUid = b;
      else if (task.indexUid === b) task.indexUid = a;
    }
  }

  /**
   * Gives the finished tasks of a renamed index its new uid, as a Meilisearch rename does
   * (the renaming task keeps the old one, tasks still waiting keep theirs).
   */
  renameIndexUid(from: string, to: string, renamingTask: number): void {
    for (const task of this.tasks.values()) {
      if (task.status === "enqueued" || task.uid === renamingTask) continue;
      if (task.indexUid === from) task.indexUid = to;
    }
  }

  /** Whether a task of the index is still waiting or running. */
  isIndexing(indexUid: string): boolean {
    return this.pending.some((uid) => this.tasks.get(uid)?.indexUid === indexUid);
  }

  /** Runs the queue again after held tasks were released. */
  wake(): void {
    if (this.pending.length > 0) this.scheduleDrain();
  }

  /** Resolves once every task enqueued so far has finished (held tasks never do). */
  async idle(): Promise<void> {
    while (this.pending.length > 0 || this.draining) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  private scheduleDrain(): void {
    if (this.draining) return;
    this.draining = true;
    setImmediate(() => this.drain());
  }

  /**
   * A held task at the head of the queue stops the scheduler, as a busy Meilisearch
   * would be: nothing behind it runs, except cancelations and deletions of tasks, which
   * are queued ahead of it.
   */
  private drain(): void {
    const uid = this.pending[0];
    if (uid === undefined || this.holdWhen()?.(this.tasks.get(uid) as Task)) {
      this.draining = false;
      return;
    }
    this.pending.shift();
    this.run(uid);
    setImmediate(() => this.drain());
  }

  private run(uid: number): void {
    const task = this.tasks.get(uid) as Task;
    const work = this.work.get(uid) as TaskWork;
    this.work.delete(uid);
    const started = performance.now();
    task.status = "processing";
    task.batchUid = this.nextBatchUid++;
    task.startedAt = new Date().toISOString();
    try {
      if (this.failWhen()?.(task)) {
        throw meiliError("internal", `Task \`${task.uid}\` failed: the node was told to fail it.`);
      }
      const details = work(task);
      if (details !== undefined) task.details = details;
      task.status = "succeeded";
    } catch (error) {
      const failure =
        error instanceof MeiliError
          ? error
          : meiliError("internal", error instanceof Error ? error.message : String(error));
      task.status = "failed";
      task.error = failure.toBody();
      if (task.details !== undefined) {
        task.details = { ...task.details, ...FAILED_DETAILS[task.type] };
      }
    }
    this.payloads.delete(uid);
    task.finishedAt = new Date().toISOString();
    task.duration = isoDuration(performance.now() - started);
    for (const listener of this.finishedListeners) listener(task);
  }
}
