import type { NodeTask } from "./node-task.js";

/**
 * Settings Miroir adds to node settings changes of its own accord (the nodes' large
 * `maxValuesPerFacet`): a client sees them in a task's details only when it sent them, or
 * as the `null` of a reset of every setting.
 */
const ADDED_BY_MIROIR = ["faceting"] as const;

/**
 * What Miroir recorded at enqueue time, completed with a node's details (its figures, the
 * node's own shapes), without the settings Miroir added to the node's change.
 */
export function withNodeDetails(
  recorded: Readonly<Record<string, unknown>> | null,
  node: Readonly<Record<string, unknown>> | null | undefined,
): Record<string, unknown> {
  const details: Record<string, unknown> = { ...(node ?? {}), ...(recorded ?? {}) };
  if (recorded !== null) {
    for (const key of ADDED_BY_MIROIR) {
      if (!(key in recorded) && details[key] !== null) delete details[key];
    }
  }
  return details;
}

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
  const details = withNodeDetails(recorded, first);
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
