/**
 * Every task type Meilisearch 1.50 knows, in the order its `invalid_task_types` error
 * lists them (`Invalid value in parameter `types`: … The `types` query parameter can
 * contain `documentAdditionOrUpdate`, …`).
 */
export const TASK_TYPES = [
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
  "networkTopologyChange",
  "dsrUpdate",
  "dsrClear",
] as const;

export type TaskType = (typeof TASK_TYPES)[number];
