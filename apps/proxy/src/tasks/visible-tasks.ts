import type { MiroirTaskRecord, TaskListQuery, TaskPage } from "@miroir/taskstore";
import { FULL_ACCESS, type RequestAccess } from "../auth/index.js";
import type { ProxyContext } from "../context.js";
import { matchingTasks } from "./task-control.js";

/** Whether the caller may see a task; `null` when it may see every task. */
export type TaskVisibility = ((task: MiroirTaskRecord) => boolean) | null;

/**
 * As Meilisearch 1.50 decides it: a caller that may act on every index sees every task;
 * any other key sees only the tasks that name at least one index, all of which it may act
 * on (a swap names both of its indexes). Tasks that name no index (dumps, cancelations…)
 * are hidden from it.
 */
export function taskVisibility(access: RequestAccess): TaskVisibility {
  if (access === FULL_ACCESS || access.allIndexes) return null;
  return (task) => {
    const indexes = indexesOf(task);
    return indexes.length > 0 && indexes.every((uid) => access.allowsIndex(uid));
  };
}

function indexesOf(task: MiroirTaskRecord): string[] {
  const swapped = (task.details?.swaps as { indexes?: unknown }[] | undefined) ?? [];
  const named = swapped.flatMap((swap) =>
    Array.isArray(swap?.indexes) ? swap.indexes.filter((uid) => typeof uid === "string") : [],
  );
  return task.indexUid === null ? named : [task.indexUid, ...named];
}

/**
 * One page of `GET /tasks` for the caller, as one Meilisearch node pages it: the page is
 * cut among every matching task first and only then narrowed to those the caller may
 * see, so `total` counts every matching task, `from` is the first task left on the page
 * and `next` is set only when a whole page (plus one) stayed visible. A caller who sees
 * everything is served by the store's own paging.
 */
export async function visibleTaskPage(
  ctx: ProxyContext,
  query: TaskListQuery,
  visible: TaskVisibility,
): Promise<TaskPage> {
  if (visible === null) return ctx.taskStore.tasks.list(query);
  const { from, limit = 20, ...filter } = query;
  const matching = await matchingTasks(ctx, filter);
  const start =
    from === undefined
      ? 0
      : matching.findIndex((task) =>
          query.reverse === true ? task.uid >= from : task.uid <= from,
        );
  const window = start < 0 ? [] : matching.slice(start, start + limit + 1);
  const seen = window.filter(visible);
  const next = seen.length === limit + 1 ? (seen[limit]?.uid ?? null) : null;
  const results = seen.slice(0, limit);
  return {
    results,
    total: matching.length,
    limit,
    from: results[0]?.uid ?? null,
    next,
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
