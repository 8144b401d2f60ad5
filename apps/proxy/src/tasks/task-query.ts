import { type ErrorCode, meiliError } from "@miroir/errors";
import { TASK_STATUSES, type TaskListQuery, type TaskStatus } from "@miroir/taskstore";

const TASK_TYPES = [
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
  const statuses = list(params.statuses);
  if (statuses !== undefined) {
    for (const status of statuses) {
      if (!(TASK_STATUSES as readonly string[]).includes(status)) {
        throw meiliError(
          "invalid_task_statuses",
          `Invalid value in parameter \`statuses\`: \`${status}\` is not a valid task status. Available statuses are ${TASK_STATUSES.map((s) => `\`${s}\``).join(", ")}.`,
        );
      }
    }
    query.statuses = statuses as TaskStatus[];
  }
  const types = list(params.types);
  if (types !== undefined) {
    for (const type of types) {
      if (!TASK_TYPES.includes(type)) {
        throw meiliError(
          "invalid_task_types",
          `Invalid value in parameter \`types\`: \`${type}\` is not a valid task type. Available types are ${TASK_TYPES.map((t) => `\`${t}\``).join(", ")}.`,
        );
      }
    }
    query.types = types;
  }
  const indexUids = list(params.indexUids);
  if (indexUids !== undefined) query.indexUids = indexUids;
  for (const name of DATE_FILTERS) {
    const value = params[name];
    if (value === undefined) continue;
    const time = Date.parse(value);
    if (Number.isNaN(time)) {
      throw meiliError(
        `invalid_task_${snakeCase(name)}` as ErrorCode,
        `Invalid value in parameter \`${name}\`: \`${value}\` is an invalid date-time. It should follow the YYYY-MM-DD or RFC 3339 date-time format.`,
      );
    }
    query[name] = time;
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

/** The query string Meilisearch reports as `originalFilter`. */
export function originalFilterOf(params: Readonly<Record<string, string>>): string {
  const parts = TASK_FILTER_PARAMETERS.flatMap((name) => {
    const value = params[name];
    return value === undefined ? [] : [`${name}=${value}`];
  });
  return `?${parts.join("&")}`;
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
