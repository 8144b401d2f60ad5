import type { MiroirTaskRecord } from "@miroir/taskstore";
import type { IndexCatalog } from "./index-catalog.js";

/**
 * Task types whose completion can change what a merge depends on: the settings, and the
 * primary key or the index itself (a document write may create the index or fix its key).
 */
const CHANGES_MERGE_SETTINGS: ReadonlySet<string> = new Set([
  "settingsUpdate",
  "indexCreation",
  "indexUpdate",
  "indexDeletion",
  "indexSwap",
  "documentAdditionOrUpdate",
]);

/**
 * Forgets the cached merge settings a finishing task may have changed; called before the
 * task is stored finished, so a client that saw it finish is merged with what it did.
 * A task of no index (a swap) forgets every index's settings.
 */
export function forgetSettingsChangedBy(
  catalog: IndexCatalog,
  task: Pick<MiroirTaskRecord, "type" | "indexUid">,
): void {
  if (CHANGES_MERGE_SETTINGS.has(task.type)) catalog.settings.invalidate(task.indexUid);
}
