import type { RowStore } from "./row-store.js";
import { TaskStoreError } from "./task-store-error.js";

/**
 * Wraps a backend so that every failure of the backend itself (a dropped connection, a
 * locked or full disk) surfaces as one {@link TaskStoreError}; the store's own refusals
 * pass through unchanged.
 */
export function reportingFailuresAs(
  rows: RowStore,
  failure: (cause: unknown) => TaskStoreError,
): RowStore {
  const guard =
    <A extends unknown[], R>(operation: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await operation(...args);
      } catch (error) {
        throw error instanceof TaskStoreError ? error : failure(error);
      }
    };
  return {
    get: guard(rows.get.bind(rows)),
    list: guard(rows.list.bind(rows)),
    page: guard(rows.page.bind(rows)),
    put: guard(rows.put.bind(rows)),
    update: guard(rows.update.bind(rows)),
    delete: guard(rows.delete.bind(rows)),
    deleteMany: guard(rows.deleteMany.bind(rows)),
    deleteExpired: guard(rows.deleteExpired.bind(rows)),
    nextSequenceValue: guard(rows.nextSequenceValue.bind(rows)),
    close: guard(rows.close.bind(rows)),
  };
}
