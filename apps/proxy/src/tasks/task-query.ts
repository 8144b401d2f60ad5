import { type ErrorCode, meiliError, TASK_TYPES } from "@miroir/errors";
import { TASK_STATUSES, type TaskListQuery, type TaskStatus } from "@miroir/taskstore";

const DATE_FILTERS = [
  "beforeEnqueuedAt",
  "afterEnqueuedAt",
  "beforeStartedAt",
  "afterStartedAt",
  "beforeFinishedAt",
  "afterFinishedAt",
] as const;

/** Filter parameters that `POST /tasks/cancel` and `DELETE /tasks` require one of. */
export const TASK_FILTER_PARAMETERS = [
  "uids",
  "batchUids",
  "indexUids",
  "statuses",
  "types",
  "canceledBy",
  ...DATE_FILTERS,
];

/**
 * Meilisearch's task query parameters (`GET /tasks`, `POST /tasks/cancel`,
 * `DELETE /tasks`) as a task-store query, with Meilisearch's `invalid_task_*` errors.
 * Batches are one Miroir task each, so `batchUids` filters like `uids`.
 */
export function parseTaskQuery(params: Readonly<Record<string, string>>): TaskListQuery {
  const query: {
    -readonly [K in keyof TaskListQuery]: TaskListQuery[K];
  } = {};
  const uids = integerList(params.uids, "uids", "invalid_task_uids");
  const batchUids = integerList(params.batchUids, "batchUids", "invalid_batch_uids");
  if (uids !== undefined || batchUids !== undefined) {
    query.uids =
      uids !== undefined && batchUids !== undefined
        ? uids.filter((uid) => batchUids.includes(uid))
        : (uids ?? batchUids);
  }
  const canceledBy = integerList(params.canceledBy, "canceledBy", "invalid_task_canceled_by");
  if (canceledBy !== undefined) query.canceledBy = canceledBy;
  const statuses = enumList(params.statuses, "statuses", TASK_STATUSES, "status");
  if (statuses !== undefined) query.statuses = statuses as TaskStatus[];
  const types = enumList(params.types, "types", TASK_TYPES, "type");
  if (types !== undefined) query.types = types;
  const indexUids = list(params.indexUids);
  if (indexUids !== undefined) query.indexUids = indexUids;
  for (const name of DATE_FILTERS) {
    const time = dateParam(params[name], name);
    if (time !== undefined) query[name] = time;
  }
  if (params.limit !== undefined) {
    query.limit = nonNegative(params.limit, "limit", "invalid_task_limit");
  }
  if (params.from !== undefined) query.from = nonNegative(params.from, "from", "invalid_task_from");
  if (params.reverse !== undefined && params.reverse !== "true" && params.reverse !== "false") {
    throw meiliError(
      "invalid_task_reverse",
      `Invalid value in parameter \`reverse\`: could not parse \`${params.reverse}\` as a boolean.`,
    );
  }
  if (params.reverse === "true") query.reverse = true;
  return query;
}

export function hasTaskFilter(params: Readonly<Record<string, string>>): boolean {
  return TASK_FILTER_PARAMETERS.some((name) => params[name] !== undefined);
}

/**
 * The query string Meilisearch reports as `originalFilter`: the request's own, as sent
 * (`search` of its URL, with its `?`).
 */
export function originalFilterOf(search: string): string {
  return search;
}

/**
 * A list of allowed names; each item is checked, under the name Meilisearch gives it
 * (`types[1]` once there are several), even beside a `*`.
 */
function enumList(
  value: string | undefined,
  name: string,
  allowed: readonly string[],
  what: "status" | "type",
): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(",").map((item) => item.trim());
  items.forEach((item, at) => {
    if (item === "*" || allowed.includes(item)) return;
    const param = items.length > 1 ? `${name}[${at}]` : name;
    throw meiliError(
      name === "types" ? "invalid_task_types" : "invalid_task_statuses",
      `Invalid value in parameter \`${param}\`: \`${item}\` is not a valid task ${what}. Available ${what === "status" ? "statuses" : "types"} are ${allowed.map((a) => `\`${a}\``).join(", ")}.`,
    );
  });
  return items.includes("*") ? undefined : items;
}

/** A date filter: `*` (no bound), `YYYY-MM-DD` (midnight UTC) or an RFC 3339 date-time. */
function dateParam(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw === "*") return undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(raw);
  const time = day ? Date.parse(`${raw}T00:00:00Z`) : rfc3339 ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(time)) {
    throw meiliError(
      `invalid_task_${snakeCase(name)}` as ErrorCode,
      `Invalid value in parameter \`${name}\`: \`${raw}\` is an invalid date-time. It should follow the YYYY-MM-DD or RFC 3339 date-time format.`,
    );
  }
  return time;
}

/** A comma-separated list; `*` (or nothing) means no filter. */
function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(",").map((item) => item.trim());
  return items.includes("*") ? undefined : items;
}

function integerList(value: string | undefined, name: string, code: ErrorCode) {
  return list(value)?.map((item) => nonNegative(item, name, code));
}

function nonNegative(value: string, name: string, code: ErrorCode): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw meiliError(
      code,
      `Invalid value in parameter \`${name}\`: could not parse \`${value}\` as a positive integer`,
    );
  }
  return Number(value);
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
