import { TASK_STATUSES, type TaskStore } from "@miroir/taskstore";

/** Miroir tasks per status, for `miroir_task_registry_size`. */
export async function countTasksByStatus(store: TaskStore): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const status of TASK_STATUSES) {
    counts[status] = (await store.tasks.list({ statuses: [status], limit: 0 })).total;
  }
  return counts;
}

/**
 * How long the oldest `enqueued` and the oldest `processing` Miroir task have waited since
 * they were accepted, in seconds (0 when there is none), for
 * `miroir_task_oldest_age_seconds`: a task stuck on a node shows as an age that only grows.
 */
export async function oldestTaskAges(
  store: TaskStore,
  now: number = Date.now(),
): Promise<Record<"enqueued" | "processing", number>> {
  const ages = { enqueued: 0, processing: 0 };
  for (const task of await store.tasks.listUnfinished()) {
    if (task.status !== "enqueued" && task.status !== "processing") continue;
    ages[task.status] = Math.max(ages[task.status], (now - task.enqueuedAt) / 1000);
  }
  return ages;
}
