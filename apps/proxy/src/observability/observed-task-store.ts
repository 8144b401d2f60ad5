import { FINISHED_TASK_STATUSES, type TaskStore } from "@miroir/taskstore";
import type { ProxyMetrics } from "./proxy-metrics.js";

/**
 * The task store with every task this process records counted by the status it enters
 * (`miroir_tasks_total`): its status when created, then the final status it is stored
 * with. A task is read before it is stored finished, so rewriting a finished task does not
 * count it twice.
 */
export function observedTaskStore(store: TaskStore, metrics: ProxyMetrics): TaskStore {
  const { tasks } = store;
  return {
    ...store,
    tasks: {
      ...tasks,
      async create(task) {
        const record = await tasks.create(task);
        metrics.tasksTotal.inc({ status: record.status });
        return record;
      },
      async update(uid, patch) {
        const finishing =
          patch.status !== undefined && FINISHED_TASK_STATUSES.includes(patch.status);
        const before = finishing ? await tasks.get(uid) : null;
        const after = await tasks.update(uid, patch);
        if (after !== null && before !== null && before.status !== after.status) {
          metrics.tasksTotal.inc({ status: after.status });
        }
        return after;
      },
    },
  };
}
