import type { MiroirTaskRecord, TaskListQuery, TaskPage } from "@miroir/taskstore";
import { FULL_ACCESS, type RequestAccess } from "../auth/index.js";
import type { ProxyContext } from "../context.js";
import { matchingTasks } from "./task-control.js";

/** Whether the caller may see a task; `null` when it may see every task. */
export type TaskVisibility = ((task: MiroirTaskRecord) => boolean) | null;

/**
 * As Meilisearch decides it: a key sees the tasks of the indexes it may act on and every
 * task that names no index (dumps, cancelations…); a swap also names both of its indexes.
 */
export function taskVisibility(access: RequestAccess): TaskVisibility {
  if (access === FULL_ACCESS) return null;
  return (task) => indexesOf(task).every((uid) => access.allowsIndex(uid));
}

function indexesOf(task: MiroirTaskRecord): string[] {
  const swapped = (task.details?.swaps as { indexes?: unknown }[] | undefined) ?? [];
  const named = swapped.flatMap((swap) =>
    Array.isArray(swap?.indexes) ? swap.indexes.filter((uid) => typeof uid === "string") : [],
  );
  return task.indexUid === null ? named : [task.indexUid, ...named];
}

/**
 * One page of `GET /tasks` among the tasks the caller may see: `total`, `from` and `next`
 * count only those, as one Meilisearch node would. A caller who sees everything is served
 * by the store's own paging; otherwise every matching task is read and filtered here.
 */
export async function visibleTaskPage(
  ctx: ProxyContext,
  query: TaskListQuery,
  visible: TaskVisibility,
): Promise<TaskPage> {
  if (visible === null) return ctx.taskStore.tasks.list(query);
  const { from, limit = 20, ...filter } = query;
  const seen = (await matchingTasks(ctx, filter)).filter(visible);
  const start =
    from === undefined
      ? 0
      : seen.findIndex((task) => (query.reverse === true ? task.uid >= from : task.uid <= from));
  const window = start < 0 ? [] : seen.slice(start);
  const results = window.slice(0, limit);
  return {
    results,
    total: seen.length,
    limit,
    from: results[0]?.uid ?? null,
    next: window[limit]?.uid ?? null,
  };
}

/** The task `uid` when it exists and the caller may see it, else null. */
export async function visibleTask(
  ctx: ProxyContext,
  uid: number,
  visible: TaskVisibility,
): Promise<MiroirTaskRecord | null> {
  const task = await ctx.taskStore.tasks.get(uid);
  return task !== null && (visible === null || visible(task)) ? task : null;
}
