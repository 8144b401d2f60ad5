import { type ErrorCode, meiliError } from "@miroir/errors";
import type { Context } from "hono";
import { notAPositiveInteger } from "../../query-params.js";
import type { Task } from "../../task-queue.js";

const STATUSES = ["enqueued", "processing", "succeeded", "failed", "canceled"];
const TYPES = [
  "documentAdditionOrUpdate",
  "documentEdition",
  "documentDeletion",
  "settingsUpdate",
  "indexCreation",
  "indexDeletion",
  "indexUpdate",
  "indexSwap",
  "taskCancelation",
  "taskDeletion",
  "dumpCreation",
  "snapshotCreation",
  "export",
  "upgradeDatabase",
  "indexCompaction",
];

const DATE_FILTERS = [
  ["beforeEnqueuedAt", "enqueuedAt", "before"],
  ["afterEnqueuedAt", "enqueuedAt", "after"],
  ["beforeStartedAt", "startedAt", "before"],
  ["afterStartedAt", "startedAt", "after"],
  ["beforeFinishedAt", "finishedAt", "before"],
  ["afterFinishedAt", "finishedAt", "after"],
] as const;

/** The filter parameters shared by `GET /tasks`, `POST /tasks/cancel` and `DELETE /tasks`. */
export const TASK_FILTER_PARAMS = [
  "uids",
  "batchUids",
  "canceledBy",
  "types",
  "statuses",
  "indexUids",
  ...DATE_FILTERS.map(([name]) => name),
];

function codeOf(param: string): ErrorCode {
  return `invalid_task_${param.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}` as ErrorCode;
}

function list(c: Context, name: string): string[] | undefined {
  const raw = c.req.query(name);
  if (raw === undefined) return undefined;
  const items = raw.split(",").map((item) => item.trim());
  return items.includes("*") ? undefined : items;
}

function uidList(c: Context, name: string, code: ErrorCode): number[] | undefined {
  return list(c, name)?.map((item) => {
    if (!/^\d+$/.test(item)) throw notAPositiveInteger(code, name, item);
    return Number(item);
  });
}

function enumList(c: Context, name: string, allowed: readonly string[], what: string) {
  const values = list(c, name);
  for (const value of values ?? []) {
    if (!allowed.includes(value)) {
      throw meiliError(
        codeOf(name),
        `Invalid value in parameter \`${name}\`: \`${value}\` is not a valid task ${what}. Available ${what === "status" ? "statuses" : "types"} are ${allowed.map((a) => `\`${a}\``).join(", ")}.`,
      );
    }
  }
  return values;
}

function dateParam(c: Context, name: string): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined) return undefined;
  const value = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? Date.parse(`${raw}T00:00:00Z`) : Date.parse(raw);
  if (Number.isNaN(value)) {
    throw meiliError(
      codeOf(name),
      `Invalid value in parameter \`${name}\`: \`${raw}\` is an invalid date-time. It should follow the YYYY-MM-DD or RFC 3339 date-time format.`,
    );
  }
  return value;
}

/** Which tasks a request names; `present` says whether any filter was given at all. */
export interface TaskFilter {
  matches(task: Task): boolean;
  present: boolean;
}

/** Reads the task filters of a request with Meilisearch's codes (`invalid_task_*`). */
export function readTaskFilter(c: Context): TaskFilter {
  const uids = uidList(c, "uids", "invalid_task_uids");
  const batchUids = uidList(c, "batchUids", "invalid_batch_uids");
  const canceledBy = uidList(c, "canceledBy", "invalid_task_canceled_by");
  const statuses = enumList(c, "statuses", STATUSES, "status");
  const types = enumList(c, "types", TYPES, "type");
  const indexUids = list(c, "indexUids");
  const dates = DATE_FILTERS.map(([name, field, side]) => ({
    at: dateParam(c, name),
    field,
    side,
  }));
  const present = TASK_FILTER_PARAMS.some((name) => c.req.query(name) !== undefined);
  return {
    present,
    matches: (task) =>
      (uids === undefined || uids.includes(task.uid)) &&
      (batchUids === undefined || (task.batchUid !== null && batchUids.includes(task.batchUid))) &&
      (canceledBy === undefined ||
        (task.canceledBy !== null && canceledBy.includes(task.canceledBy))) &&
      (statuses === undefined || statuses.includes(task.status)) &&
      (types === undefined || types.includes(task.type)) &&
      (indexUids === undefined || (task.indexUid !== null && indexUids.includes(task.indexUid))) &&
      dates.every(({ at, field, side }) => {
        if (at === undefined) return true;
        const value = task[field];
        if (value === null) return false;
        return side === "before" ? Date.parse(value) < at : Date.parse(value) > at;
      }),
  };
}

/** The query string of a cancel or delete request, as its task's `originalFilter`. */
export function originalFilter(c: Context): string {
  return new URL(c.req.url).search;
}
