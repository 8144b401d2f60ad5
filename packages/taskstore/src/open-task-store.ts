import { openRedisTaskStore } from "./redis/open-redis-task-store.js";
import { openSqliteTaskStore } from "./sqlite/open-sqlite-task-store.js";
import type { TaskStore } from "./task-store.js";
import type { TaskStoreConfig } from "./task-store-config.js";
import { invalidInput } from "./task-store-error.js";

/**
 * Opens the task store the configuration names, creating or migrating its schema.
 * Refuses, with a {@link TaskStoreError}, a store it cannot reach, a file that is not a
 * Miroir store, and a schema written by a newer Miroir; nothing is overwritten then.
 */
export function openTaskStore(config: TaskStoreConfig): Promise<TaskStore> {
  switch (config.backend) {
    case "sqlite":
      return openSqliteTaskStore(config);
    case "redis":
      return openRedisTaskStore(config);
    default:
      return Promise.reject(
        invalidInput(
          `Unknown task store backend "${String((config as { backend: unknown }).backend)}"; use sqlite or redis.`,
        ),
      );
  }
}
