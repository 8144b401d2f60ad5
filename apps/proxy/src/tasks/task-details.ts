import type { NodeTask } from "./node-task.js";

/** Counters that each node reports for its own part and that add up across shards. */
const DOCUMENT_COUNTERS = ["indexedDocuments", "deletedDocuments", "editedDocuments"] as const;

/**
 * A finished Miroir task's `details`: what Miroir recorded at enqueue time (received
 * documents, provided ids, the filter…), completed with the nodes' figures. Per-document
 * counters are summed over nodes and divided by the number of copies of each document,
 * since every document was counted once on each of its copies.
 */
export function finishedDetails(
  recorded: Readonly<Record<string, unknown>> | null,
  nodeTasks: readonly NodeTask[],
  copies: number,
  succeeded: boolean,
): Record<string, unknown> | null {
  const first = nodeTasks.find((task) => task.details != null)?.details ?? null;
  if (recorded === null && first === null) return null;
  const details: Record<string, unknown> = { ...(first ?? {}), ...(recorded ?? {}) };
  for (const counter of DOCUMENT_COUNTERS) {
    if (!nodeTasks.some((task) => typeof task.details?.[counter] === "number")) continue;
    if (!succeeded) {
      details[counter] = 0;
      continue;
    }
    const total = nodeTasks.reduce((sum, task) => {
      const value = task.details?.[counter];
      return sum + (typeof value === "number" ? value : 0);
    }, 0);
    details[counter] = Math.round(total / Math.max(copies, 1));
  }
  if (typeof details.receivedDocuments === "number" && "indexedDocuments" in details) {
    details.indexedDocuments = succeeded ? details.receivedDocuments : 0;
  }
  return details;
}
