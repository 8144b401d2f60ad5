import type { Access } from "../../auth/access.js";
import type { Task } from "../../task-queue.js";

/**
 * As Meilisearch 1.50: a caller that may act on every index sees every task; any other
 * key sees only the tasks of indexes it may act on, never a task that names no index.
 */
export function visible(access: Access, task: Task): boolean {
  if (access.allIndexes) return true;
  return task.indexUid !== null && access.allows(task.indexUid);
}
