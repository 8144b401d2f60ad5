import { type ErrorCode, meiliError, TASK_TYPES } from "@miroir/errors";
import type { Context } from "hono";
import { checkIndexUid } from "../../index-registry.js";
import { notAPositiveInteger } from "../../query-params.js";
import type { Task } from "../../task-queue.js";

const STATUSES = ["enqueued", "processing", "succeeded", "failed", "canceled"];

const DATE_FILTERS = [
  ["afterEnqueuedAt", "enqueuedAt", "after"],
  ["beforeEnqueuedAt", "enqueuedAt", "before"],
  ["afterStartedAt", "startedAt", "after"],
  ["beforeStartedAt", "startedAt", "before"],
  ["afterFinishedAt", "finishedAt", "after"],
  ["beforeFinishedAt", "finishedAt", "before"],
] as const;

/** The filter parameters of `POST /tasks/cancel` and `DELETE /tasks`, in Meilisearch's order. */
export const TASK_FILTER_PARAMS = [
  "uids",
  "batchUids",
  "canceledBy",
  "types",
  "statuses",
  "indexUids",
  ...DATE_FILTERS.map(([name]) => name),
];

/** The parameters of `GET /tasks` and `GET /batches`, in Meilisearch's order. */
export const TASK_LIST_PARAMS = [
  "limit",
  "from",
  "reverse",
  "batchUids",
  "uids",
  "canceledBy",
  "types",
  "statuses",
  "indexUids",
  ...DATE_FILTERS.map(([name]) => name),
];

function codeOf(param: string): ErrorCode {
  return `invalid_task_${param.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}` as ErrorCode;
}

/**
 * A comma-separated list parameter, each item checked by `read` under the name Meilisearch
 * gives it (`types[1]` once there are several). `*` anywhere matches everything, but the
 * other items are still checked.
 */
function list<T>(
  c: Context,
  name: string,
  read: (item: string, param: string) => T,
): T[] | undefined {
  const raw = c.req.query(name);
  if (raw === undefined) return undefined;
  const items = raw.split(",").map((item) => item.trim());
  const values = items.map((item, i) =>
    item === "*" ? undefined : read(item, items.length > 1 ? `${name}[${i}]` : name),
  );
  return items.includes("*") ? undefined : (values as T[]);
}

function uidList(c: Context, name: string, code: ErrorCode): number[] | undefined {
  return list(c, name, (item, param) => {
    if (!/^\d+$/.test(item)) throw notAPositiveInteger(code, param, item);
    return Number(item);
  });
}

function enumList(c: Context, name: string, allowed: readonly string[], what: string) {
  return list(c, name, (item, param) => {
    if (!allowed.includes(item)) {
      throw meiliError(
        codeOf(name),
        `Invalid value in parameter \`${param}\`: \`${item}\` is not a valid task ${what}. Available ${what === "status" ? "statuses" : "types"} are ${allowed.map((a) => `\`${a}\``).join(", ")}.`,
      );
    }
    return item;
  });
}

/** A date filter: `*` (no bound), `YYYY-MM-DD` (midnight UTC) or an RFC 3339 date-time. */
function dateParam(c: Context, name: string): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "*") return undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(raw);
  const value = day ? Date.parse(`${raw}T00:00:00Z`) : rfc3339 ? Date.parse(raw) : Number.NaN;
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
  const types = enumList(c, "types", TASK_TYPES, "type");
  const indexUids = list(c, "indexUids", (item, param) =>
    checkIndexUid(item, `Invalid value in parameter \`${param}\`: `),
  );
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
