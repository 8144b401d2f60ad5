import { requireCount } from "../input-checks.js";
import { invalidInput } from "../task-store-error.js";
import {
  type MiroirTaskRecord,
  TASK_STATUSES,
  type TaskFilter,
  type TaskListQuery,
  type TaskPage,
  type TaskStatus,
} from "./task-record.js";

export const DEFAULT_TASK_PAGE_SIZE = 20;

export function matchesTaskFilter(task: MiroirTaskRecord, filter: TaskFilter): boolean {
  if (filter.uids !== undefined && !filter.uids.includes(task.uid)) return false;
  if (filter.statuses !== undefined && !filter.statuses.includes(task.status)) return false;
  if (filter.types !== undefined && !filter.types.includes(task.type)) return false;
  if (filter.indexUids !== undefined) {
    if (task.indexUid === null || !filter.indexUids.includes(task.indexUid)) return false;
  }
  if (filter.canceledBy !== undefined) {
    if (task.canceledBy === null || !filter.canceledBy.includes(task.canceledBy)) return false;
  }
  return (
    withinDates(task.enqueuedAt, filter.afterEnqueuedAt, filter.beforeEnqueuedAt) &&
    withinDates(task.startedAt, filter.afterStartedAt, filter.beforeStartedAt) &&
    withinDates(task.finishedAt, filter.afterFinishedAt, filter.beforeFinishedAt)
  );
}

function withinDates(time: number | null, after?: number, before?: number): boolean {
  if (after === undefined && before === undefined) return true;
  if (time === null) return false;
  return (after === undefined || time > after) && (before === undefined || time < before);
}

/** Selects one page, newest first (oldest first with `reverse`), from any collection of tasks. */
export function pageOfTasks(tasks: Iterable<MiroirTaskRecord>, query: TaskListQuery): TaskPage {
  const limit = query.limit ?? DEFAULT_TASK_PAGE_SIZE;
  const direction = query.reverse === true ? 1 : -1;
  const matching = [...tasks]
    .filter((task) => matchesTaskFilter(task, query))
    .sort((a, b) => direction * (a.uid - b.uid));
  const from = query.from;
  const start =
    from === undefined ? matching : matching.filter((task) => direction * (task.uid - from) >= 0);
  const results = start.slice(0, limit);
  return {
    results,
    total: matching.length,
    limit,
    from: results[0]?.uid ?? null,
    next: start[limit]?.uid ?? null,
  };
}

export function validateTaskListQuery(query: TaskListQuery): void {
  validateTaskFilter(query);
  if (query.limit !== undefined) requireCount(query.limit, "limit");
  if (query.from !== undefined) requireCount(query.from, "from");
  if (query.reverse !== undefined && typeof query.reverse !== "boolean") {
    throw invalidInput(`"reverse" must be true or false.`);
  }
}

export function validateTaskFilter(filter: TaskFilter): void {
  for (const uid of filter.uids ?? []) requireCount(uid, "uids");
  for (const uid of filter.canceledBy ?? []) requireCount(uid, "canceledBy");
  for (const status of filter.statuses ?? []) requireTaskStatus(status, "statuses");
  for (const key of [
    "beforeEnqueuedAt",
    "afterEnqueuedAt",
    "beforeStartedAt",
    "afterStartedAt",
    "beforeFinishedAt",
    "afterFinishedAt",
  ] as const) {
    const time = filter[key];
    if (time !== undefined && !Number.isFinite(time)) {
      throw invalidInput(`Task filter "${key}" must be a time in epoch milliseconds.`);
    }
  }
}

export function requireTaskStatus(status: string, field: string): asserts status is TaskStatus {
  if (!(TASK_STATUSES as readonly string[]).includes(status)) {
    throw invalidInput(
      `"${field}" has an unknown task status "${status}"; use one of ${TASK_STATUSES.join(", ")}.`,
    );
  }
}
