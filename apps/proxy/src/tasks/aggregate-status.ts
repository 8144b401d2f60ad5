import type { TaskStatus } from "@miroir/taskstore";

const FINISHED: ReadonlySet<TaskStatus> = new Set(["succeeded", "failed", "canceled"]);

export function isFinished(status: TaskStatus): boolean {
  return FINISHED.has(status);
}

/**
 * The status of a Miroir task from its node tasks: enqueued until a node starts,
 * processing while any node task is unfinished, then failed if any failed, canceled if any
 * was canceled, succeeded when all succeeded.
 */
export function aggregateStatus(statuses: readonly TaskStatus[]): TaskStatus {
  if (statuses.length === 0) return "succeeded";
  if (statuses.every((status) => status === "enqueued")) return "enqueued";
  if (statuses.some((status) => !isFinished(status))) return "processing";
  if (statuses.includes("failed")) return "failed";
  if (statuses.includes("canceled")) return "canceled";
  return "succeeded";
}
