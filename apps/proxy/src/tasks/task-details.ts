import type { NodeTask } from "./node-task.js";
import { partOfTaskKey } from "./node-task-key.js";

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
 * documents, provided ids, the filter…), completed with the nodes' figures.
 *
 * A write sent in counting parts (node task keys `node#p<part>`) is counted exactly: each
 * part's replicas were asked about the same shards, so each part counts once, from the
 * replica that reports the most (a replica that missed the write reports nothing), and
 * only the recorded details are shown (the nodes saw a narrowed filter). Otherwise the
 * counters are summed over nodes and divided by the copies of each document.
 */
export function finishedDetails(
  recorded: Readonly<Record<string, unknown>> | null,
  nodeTasks: ReadonlyMap<string, NodeTask>,
  copies: number,
  succeeded: boolean,
): Record<string, unknown> | null {
  const tasks = [...nodeTasks.values()];
  const first = tasks.find((task) => task.details != null)?.details ?? null;
  if (recorded === null && first === null) return null;
  const keys = [...nodeTasks.keys()];
  const parted = keys.length > 0 && keys.every((key) => partOfTaskKey(key) !== undefined);
  const details = parted ? { ...(recorded ?? {}) } : withNodeDetails(recorded, first);
  for (const counter of DOCUMENT_COUNTERS) {
    if (!tasks.some((task) => typeof task.details?.[counter] === "number")) continue;
    if (!succeeded) {
      details[counter] = 0;
      continue;
    }
    details[counter] = parted
      ? countedByPart(nodeTasks, counter)
      : Math.round(sumOf(tasks, counter) / Math.max(copies, 1));
  }
  if (typeof details.receivedDocuments === "number" && "indexedDocuments" in details) {
    details.indexedDocuments = succeeded ? details.receivedDocuments : 0;
  }
  return details;
}

function countedByPart(nodeTasks: ReadonlyMap<string, NodeTask>, counter: string): number {
  const byPart = new Map<number, number>();
  for (const [key, task] of nodeTasks) {
    const value = task.details?.[counter];
    if (typeof value !== "number") continue;
    const part = partOfTaskKey(key) as number;
    byPart.set(part, Math.max(byPart.get(part) ?? 0, value));
  }
  return [...byPart.values()].reduce((total, value) => total + value, 0);
}

function sumOf(tasks: readonly NodeTask[], counter: string): number {
  return tasks.reduce((sum, task) => {
    const value = task.details?.[counter];
    return sum + (typeof value === "number" ? value : 0);
  }, 0);
}
