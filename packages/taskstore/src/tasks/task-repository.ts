import { requireCount } from "../input-checks.js";
import type { Row, RowStore } from "../row-store.js";
import {
  integer,
  json,
  optionalInteger,
  optionalJson,
  optionalText,
  optionalToJson,
  text,
  toJson,
} from "../tables/row-fields.js";
import { TABLES } from "../tables/table-specs.js";
import { invalidInput } from "../task-store-error.js";
import {
  DEFAULT_TASK_PAGE_SIZE,
  matchesTaskFilter,
  pageOfTasks,
  requireTaskStatus,
  validateTaskFilter,
  validateTaskListQuery,
} from "./task-filter.js";
import {
  type EpochMs,
  FINISHED_TASK_STATUSES,
  type MiroirTaskRecord,
  type NewTask,
  type TaskFilter,
  type TaskListQuery,
  type TaskPage,
  type TaskPatch,
  type TaskStatus,
} from "./task-record.js";

const TASK_UID_SEQUENCE = "task_uid";

const UNFINISHED_TASK_STATUSES: readonly TaskStatus[] = ["enqueued", "processing"];

export interface TaskRepository {
  /** Allocates the next uid (never reused) and records the task, enqueued now. */
  create(task: NewTask): Promise<MiroirTaskRecord>;
  get(uid: number): Promise<MiroirTaskRecord | null>;
  /** Applies the patch atomically; `null` when no such task exists. */
  update(uid: number, patch: TaskPatch): Promise<MiroirTaskRecord | null>;
  list(query?: TaskListQuery): Promise<TaskPage>;
  /** Tasks still enqueued or processing, oldest first: the poller's work list. */
  listUnfinished(): Promise<MiroirTaskRecord[]>;
  /** Deletes every task matching the filter; an empty filter matches every task. */
  delete(filter: TaskFilter): Promise<number>;
  /** Deletes finished tasks that finished strictly before `olderThan`. */
  prune(olderThan: EpochMs): Promise<number>;
}

export function taskRepository(rows: RowStore, now: () => EpochMs): TaskRepository {
  const table = TABLES.tasks;

  async function all(): Promise<MiroirTaskRecord[]> {
    return (await rows.list(table)).map(taskFromRow);
  }

  /** Tasks in the given statuses, read from the per-status partitions. */
  async function inStatuses(statuses: readonly TaskStatus[]): Promise<MiroirTaskRecord[]> {
    const partitions = await Promise.all(
      [...new Set(statuses)].map((status) => rows.list(table, status)),
    );
    return partitions.flat().map(taskFromRow);
  }

  async function byUids(uids: readonly number[]): Promise<MiroirTaskRecord[]> {
    const rowsFound = await Promise.all([...new Set(uids)].map((uid) => rows.get(table, [uid])));
    return rowsFound.flatMap((row) => (row === null ? [] : [taskFromRow(row)]));
  }

  /** Every task the filter could match, read by uid or by status when the filter names them. */
  function candidates(filter: TaskFilter): Promise<MiroirTaskRecord[]> {
    if (filter.uids !== undefined) return byUids(filter.uids);
    return filter.statuses === undefined ? all() : inStatuses(filter.statuses);
  }

  async function deleteTasks(tasks: readonly MiroirTaskRecord[]): Promise<number> {
    return rows.deleteMany(
      table,
      tasks.map((task) => [task.uid]),
    );
  }

  return {
    async create(task) {
      validateNewTask(task);
      const uid = await rows.nextSequenceValue(TASK_UID_SEQUENCE);
      const record: MiroirTaskRecord = {
        uid,
        indexUid: task.indexUid,
        type: task.type,
        status: task.status ?? "enqueued",
        nodeTasks: { ...task.nodeTasks },
        nodeStatuses: {},
        error: task.error ?? null,
        details: task.details ?? null,
        canceledBy: null,
        customMetadata: task.customMetadata ?? null,
        enqueuedAt: now(),
        startedAt: null,
        finishedAt: null,
      };
      await rows.put(table, taskToRow(record));
      return record;
    },

    async get(uid) {
      requireCount(uid, "uid");
      const row = await rows.get(table, [uid]);
      return row === null ? null : taskFromRow(row);
    },

    async update(uid, patch) {
      requireCount(uid, "uid");
      validatePatch(patch);
      const row = await rows.update(table, [uid], (current) =>
        current === null ? undefined : taskToRow(patchTask(taskFromRow(current), patch)),
      );
      return row === null ? null : taskFromRow(row);
    },

    async list(query = {}) {
      validateTaskListQuery(query);
      if (!pagesByIndex(query)) return pageOfTasks(await candidates(query), query);
      const limit = query.limit ?? DEFAULT_TASK_PAGE_SIZE;
      // One row more than the page tells where the next page starts.
      const page = await rows.page(table, {
        ...(query.statuses === undefined ? {} : { partitionValues: query.statuses }),
        ...(query.from === undefined ? {} : { from: query.from }),
        descending: query.reverse !== true,
        limit: limit + 1,
      });
      const results = page.rows.slice(0, limit).map(taskFromRow);
      return {
        results,
        total: page.total,
        limit,
        from: results[0]?.uid ?? null,
        next: page.rows.length > limit ? taskFromRow(page.rows[limit] as Row).uid : null,
      };
    },

    async listUnfinished() {
      return (await inStatuses(UNFINISHED_TASK_STATUSES)).sort((a, b) => a.uid - b.uid);
    },

    async delete(filter) {
      validateTaskFilter(filter);
      const matching = (await candidates(filter)).filter((task) => matchesTaskFilter(task, filter));
      return deleteTasks(matching);
    },

    async prune(olderThan) {
      if (!Number.isFinite(olderThan)) {
        throw invalidInput("prune needs a cut-off time in epoch milliseconds.");
      }
      const finished = await inStatuses(FINISHED_TASK_STATUSES);
      return deleteTasks(
        finished.filter((task) => task.finishedAt !== null && task.finishedAt < olderThan),
      );
    },
  };
}

/**
 * Whether the backend's uid index (per status when the query names statuses) answers the
 * query alone: no filter other than statuses, so the page and its total need no row read
 * beyond the page itself. Other filters read the candidates and filter them in memory.
 */
function pagesByIndex(query: TaskListQuery): boolean {
  return (
    query.uids === undefined &&
    query.types === undefined &&
    query.indexUids === undefined &&
    query.canceledBy === undefined &&
    query.beforeEnqueuedAt === undefined &&
    query.afterEnqueuedAt === undefined &&
    query.beforeStartedAt === undefined &&
    query.afterStartedAt === undefined &&
    query.beforeFinishedAt === undefined &&
    query.afterFinishedAt === undefined
  );
}

function patchTask(task: MiroirTaskRecord, patch: TaskPatch): MiroirTaskRecord {
  return {
    ...task,
    status: patch.status ?? task.status,
    nodeTasks: { ...task.nodeTasks, ...patch.nodeTasks },
    nodeStatuses: { ...task.nodeStatuses, ...patch.nodeStatuses },
    error: patch.error === undefined ? task.error : patch.error,
    details: patch.details === undefined ? task.details : patch.details,
    canceledBy: patch.canceledBy === undefined ? task.canceledBy : patch.canceledBy,
    startedAt: patch.startedAt === undefined ? task.startedAt : patch.startedAt,
    finishedAt: patch.finishedAt === undefined ? task.finishedAt : patch.finishedAt,
  };
}

function validateNewTask(task: NewTask): void {
  if (task.indexUid !== null && (typeof task.indexUid !== "string" || task.indexUid === "")) {
    throw invalidInput("A task's indexUid must be a non-empty string or null.");
  }
  if (typeof task.type !== "string" || task.type === "") {
    throw invalidInput("A task needs a type, such as documentAdditionOrUpdate.");
  }
  if (task.status !== undefined) requireTaskStatus(task.status, "status");
  validateNodeTasks(task.nodeTasks);
}

function validatePatch(patch: TaskPatch): void {
  if (patch.status !== undefined) requireTaskStatus(patch.status, "status");
  validateNodeTasks(patch.nodeTasks);
  for (const status of Object.values(patch.nodeStatuses ?? {})) {
    requireTaskStatus(status, "nodeStatuses");
  }
  if (patch.canceledBy !== undefined && patch.canceledBy !== null) {
    requireCount(patch.canceledBy, "canceledBy");
  }
  for (const key of ["startedAt", "finishedAt"] as const) {
    const time = patch[key];
    if (time !== undefined && time !== null && !Number.isFinite(time)) {
      throw invalidInput(`"${key}" must be a time in epoch milliseconds or null.`);
    }
  }
}

function validateNodeTasks(nodeTasks: Readonly<Record<string, number>> | undefined): void {
  for (const [nodeId, nodeTaskUid] of Object.entries(nodeTasks ?? {})) {
    requireCount(nodeTaskUid, `nodeTasks.${nodeId}`);
  }
}

function taskToRow(task: MiroirTaskRecord): Row {
  return {
    uid: task.uid,
    index_uid: task.indexUid,
    type: task.type,
    status: task.status,
    node_tasks: toJson(task.nodeTasks),
    node_statuses: toJson(task.nodeStatuses),
    error: optionalToJson(task.error),
    details: optionalToJson(task.details),
    canceled_by: task.canceledBy,
    custom_metadata: task.customMetadata,
    enqueued_at: task.enqueuedAt,
    started_at: task.startedAt,
    finished_at: task.finishedAt,
  };
}

function taskFromRow(row: Row): MiroirTaskRecord {
  const status = text(row, "status");
  requireTaskStatus(status, "status");
  return {
    uid: integer(row, "uid"),
    indexUid: optionalText(row, "index_uid"),
    type: text(row, "type"),
    status,
    nodeTasks: json(row, "node_tasks"),
    nodeStatuses: json(row, "node_statuses"),
    error: optionalJson(row, "error"),
    details: optionalJson(row, "details"),
    canceledBy: optionalInteger(row, "canceled_by"),
    customMetadata: optionalText(row, "custom_metadata"),
    enqueuedAt: integer(row, "enqueued_at"),
    startedAt: optionalInteger(row, "started_at"),
    finishedAt: optionalInteger(row, "finished_at"),
  };
}
